"""Registry use cases: create, update, soft-delete, get and list records.

Every refusal is a UserError whose message names the field; `problems` carries
(field, reason) pairs so a form can mark each field.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Callable

from desktop.db import areas, links, organizations, people, records
from desktop.db.connection import Database, transaction
from desktop.domain import identifiers
from desktop.domain.registry import (
    Area, Assessment, GuidanceStation, Instructor, InstructorAssignment, LiaisonOfficer,
    Organization, OrganizationFilter, Page, PersonFilter, Posting, check_area, check_assessment,
    check_instructor, check_officer, check_organization, check_posting, check_station,
)
from desktop.errors import UserError
from desktop.services import ownership
from desktop.domain import access as acl
from desktop.services.users import require

TABLES = {
    Organization: "organization", Instructor: "instructor", LiaisonOfficer: "liaison_officer",
    Posting: "posting", InstructorAssignment: "instructor_assignment", Assessment: "assessment",
    Area: "area", GuidanceStation: "guidance_station",
}


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise UserError("；".join(reason for _, reason in problems), problems=problems)


def _normalized(record: Any) -> Any:
    """Identifiers in their canonical form before checking and saving."""
    changes = {}
    for name, normalize in (("uscc", identifiers.normalize_uscc),
                            ("id_number", identifiers.normalize_id_number),
                            ("phone", identifiers.normalize_phone),
                            ("contact_phone", identifiers.normalize_phone),
                            ("bank_account", identifiers.normalize_bank_account)):
        value = getattr(record, name, None)
        if isinstance(value, str):
            changes[name] = normalize(value) or None
    return dataclasses.replace(record, **changes) if changes else record


def _checked(db: Database, record: Any) -> Any:
    record = _normalized(record)
    ownership.require_editable(db, TABLES[type(record)])
    if isinstance(record, (Organization, Instructor, GuidanceStation)):
        ownership.require_own_area(db, record.area_id)
    if isinstance(record, Organization):
        _refuse(check_organization(record))
        if not any(a.id == record.area_id for a in areas.list_areas(db)):
            _refuse([("area_id", "所属乡镇不存在")])
    elif isinstance(record, Instructor):
        _refuse(check_instructor(record))
    elif isinstance(record, LiaisonOfficer):
        _refuse(check_officer(record))
    elif isinstance(record, (Posting, InstructorAssignment)):
        _refuse(check_posting(record))
        _refuse_double_link(db, record)
    elif isinstance(record, Assessment):
        _refuse(check_assessment(record))
    elif isinstance(record, Area):
        _refuse(check_area(record))
    elif isinstance(record, GuidanceStation):
        _refuse(check_station(record))
    return record


def _refuse_double_link(db: Database, link: Posting | InstructorAssignment) -> None:
    table, person = (("posting", "officer_id") if isinstance(link, Posting)
                     else ("instructor_assignment", "instructor_id"))
    if links.overlapping_link(db, table, person, link):
        _refuse([("start_on", "该人员在这段时间已挂钩/派驻到同一组织，日期重叠")])


def _edit_action(record: Any) -> str:
    """The county's own area is its name in 设置 (administrators); the rest is the registry."""
    if isinstance(record, Area) and record.kind == "county":
        return acl.CHANGE_SETTINGS
    return acl.EDIT_REGISTRY


def create(db: Database, record: Any) -> str:
    """Check and insert a registry record; returns its new id.

    The checks that read the database (the township exists, no overlapping posting)
    and the insert are one write transaction, so what was checked still holds."""
    require(db, _edit_action(record))
    with transaction(db):
        record = _checked(db, record)
        return records.insert(db, TABLES[type(record)], record)


def update(db: Database, record: Any) -> None:
    """Check and save every field of an existing record."""
    if not record.id:
        raise UserError("记录没有编号，无法保存")
    require(db, _edit_action(record))
    with transaction(db):  # checked and saved against the same data, as in create
        record = _checked(db, record)
        records.update(db, TABLES[type(record)], record)


def delete(db: Database, cls: type, record_id: str) -> None:
    """Soft-delete a record (a tombstone keeps its id for later merging)."""
    require(db, acl.EDIT_REGISTRY)
    with transaction(db):
        ownership.require_editable(db, TABLES[cls])
        if cls in (Organization, Instructor, GuidanceStation):
            ownership.require_own_area(db, records.get(db, TABLES[cls], cls, record_id).area_id)
        records.soft_delete(db, TABLES[cls], record_id)


def get(db: Database, cls: type, record_id: str) -> Any:
    """A live record by id."""
    return records.get(db, TABLES[cls], cls, record_id)


def list_organizations(db: Database, f: OrganizationFilter = OrganizationFilter(), *,
                       count: bool = True) -> Page:
    """A page of (Organization, township name) and the count; `extra` holds how
    many of the whole filtered list have a Party organization (status line).
    With `count=False` only the page is read (total -1): see count_organizations."""
    return organizations.list_organizations(db, f, count=count)


def count_organizations(db: Database, f: OrganizationFilter = OrganizationFilter()) -> tuple[int, dict]:
    """(how many organizations `f` matches, {"with_party_org": how many of them have one})."""
    total, with_party = organizations.coverage_counts(db, f)
    return total, {"with_party_org": with_party}


def list_instructors(db: Database, f: PersonFilter = PersonFilter(), *, count: bool = True) -> Page:
    """A page of (Instructor, organizations guided today)."""
    return people.list_instructors(db, f, count=count)


def list_officers(db: Database, f: PersonFilter = PersonFilter(), *, count: bool = True) -> Page:
    """A page of (LiaisonOfficer, enterprises posted to today)."""
    return people.list_officers(db, f, count=count)


def count_instructors(db: Database, f: PersonFilter = PersonFilter()) -> tuple[int, dict]:
    return people.count_people(db, "instructor", f), {}


def count_officers(db: Database, f: PersonFilter = PersonFilter()) -> tuple[int, dict]:
    return people.count_people(db, "liaison_officer", f), {}


def postings_of(db: Database, officer_id: str) -> list[tuple[Posting, str]]:
    return links.postings_of(db, officer_id)


def assignments_of(db: Database, instructor_id: str) -> list[tuple[InstructorAssignment, str]]:
    return links.assignments_of(db, instructor_id)


def officers_posted_to(db: Database, organization_id: str, on: date) -> int:
    """Live officers whose posting to the organization has not ended before `on`:
    deleting the organization stops their stipends (payment runs skip its postings)."""
    return links.officers_posted_to(db, organization_id, on.isoformat())


def assessments_of(db: Database, officer_id: str) -> list[Assessment]:
    return links.assessments_of(db, officer_id)


def townships(db: Database) -> list[Area]:
    """Areas where organizations are registered (townships, streets, zones)."""
    return areas.list_areas(db, ("township", "street", "zone"))


def stations(db: Database) -> list[GuidanceStation]:
    return areas.list_stations(db)


# --- the registry by key, for the command line (CLI.md `registry list/delete`) -----------

LISTED_KINDS: dict[str, type] = {"organizations": Organization, "instructors": Instructor,
                                 "officers": LiaisonOfficer}
NOUNS: dict[type, str] = {Organization: "两新组织", Instructor: "党建工作指导员",
                          LiaisonOfficer: "驻企联络员"}
_KEY_LENGTH = 18  # a 统一社会信用代码 and a 公民身份号码 alike
_NO_LIMIT = 2 ** 62  # one query, so the whole list is one consistent read
_MASKERS: dict[str, Callable[[str], str]] = {
    "id_number": identifiers.mask_id_number, "phone": identifiers.mask_phone,
    "contact_phone": identifiers.mask_phone, "bank_account": identifiers.mask_bank_account}
MASKED_FIELDS = frozenset(_MASKERS)  # what screens show masked (services.personal_data)


def find(db: Database, cls: type, key: str) -> Any:
    """The live record of `cls` named by `key`: a 统一社会信用代码 (organizations) or a
    公民身份号码 (instructors, officers), normalized as the registry stores them,
    else the record id. UserError "没有找到…" when there is none."""
    is_org = cls is Organization
    code = (identifiers.normalize_uscc if is_org else identifiers.normalize_id_number)(key)
    if len(code) == _KEY_LENGTH:
        found = (organizations.find_by_uscc(db, code) if is_org
                 else people.find_instructor(db, code) if cls is Instructor
                 else people.find_officer(db, code))
        if found is not None:
            return found
        label = "统一社会信用代码" if is_org else "公民身份号码"
        raise UserError(f"没有找到{label}为 {code} 的{NOUNS[cls]}（已删除的不算）")
    try:
        return get(db, cls, key.strip())
    except UserError:
        raise UserError(f"没有找到编号为 {key.strip()} 的{NOUNS[cls]}（已删除的不算）") from None


def list_all(db: Database, cls: type, search: str = "") -> list[tuple[Any, Any]]:
    """Every live record of `cls` the list's search word matches, by name: (record,
    township name) for organizations, else (person, the list's summary column)."""
    if cls is Organization:
        return list(list_organizations(
            db, OrganizationFilter(search=search, limit=_NO_LIMIT), count=False).rows)
    lister = list_instructors if cls is Instructor else list_officers
    return list(lister(db, PersonFilter(search=search, limit=_NO_LIMIT), count=False).rows)


def masked(record: Any) -> Any:
    """`record` with its ID number, phones and bank account masked as lists and
    masked exports show them."""
    changes = {name: mask(value) for name, mask in _MASKERS.items()
               if isinstance(value := getattr(record, name, None), str) and value}
    return dataclasses.replace(record, **changes) if changes else record


def record_as_json(record: Any, *, mask: bool = True) -> dict[str, Any]:
    """Every field under its glossary name; dates as ISO text; masked unless `mask=False`."""
    shown = masked(record) if mask else record
    return {f.name: _json_value(getattr(shown, f.name)) for f in dataclasses.fields(shown)}


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def delete_warning(db: Database, cls: type, record_id: str, on: date) -> str:
    """What deleting the record stops, for the question before it ("" when nothing):
    the stipends of officers still posted to an organization."""
    posted = officers_posted_to(db, record_id, on) if cls is Organization else 0
    if not posted:
        return ""
    return (f"该组织仍有 {posted} 名驻企联络员在派驻，删除后补贴发放"
            "不再计算其在本组织的派驻天数。如联络员已离开，请先在联络员信息中填写派驻结束日期。")
