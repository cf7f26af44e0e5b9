"""Registry records (GLOSSARY.md) and their field rules.

Records are frozen dataclasses; the database layer maps them to rows by field
name, so a field here is a column there. `check_*` functions return every
problem at once as (field, Chinese reason) pairs so a form can mark each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop.domain import identifiers
from desktop.domain.text_limits import check_lengths

KINDS = ("enterprise", "social_org")
INDUSTRIES = ("express", "food_delivery", "ride_hailing", "road_freight", "internet",
              "property", "manufacturing", "other")
PARTY_ORG_FORMS = ("standalone", "joint", "regional", "none")
AREA_KINDS = ("county", "township", "street", "zone", "community")
GRADES = ("excellent", "good", "competent", "incompetent")
NEW_BUSINESS_INDUSTRIES = ("express", "food_delivery", "ride_hailing", "road_freight", "internet")

FieldProblem = tuple[str, str]


@dataclass(frozen=True)
class Area:
    """A county, township/street or zone; `parent_id` builds the tree."""

    name: str
    kind: str = "township"
    parent_id: str | None = None
    sort_order: int = 0
    id: str | None = None


@dataclass(frozen=True)
class Organization:
    """A 两新组织: enterprise or social organization, with its Party coverage."""

    name: str
    area_id: str
    kind: str = "enterprise"
    uscc: str | None = None
    industry: str | None = None
    is_new_business_form: bool = False
    address: str | None = None
    employee_count: int | None = None
    party_member_count: int | None = None
    party_org_form: str = "none"
    party_org_name: str | None = None
    party_org_established_on: date | None = None
    has_union: bool = False
    has_youth_league: bool = False
    has_women_federation: bool = False
    industry_party_committee: str | None = None
    registered_on: date | None = None
    closed_on: date | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    note: str | None = None
    id: str | None = None

    @property
    def has_party_org(self) -> bool:
        return self.party_org_form != "none"

    @property
    def has_mass_org(self) -> bool:
        return self.has_union or self.has_youth_league or self.has_women_federation


@dataclass(frozen=True)
class GuidanceStation:
    """党建工作指导站: where instructors work from."""

    name: str
    area_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Instructor:
    """党建工作指导员."""

    name: str
    id_number: str
    phone: str | None = None
    work_unit: str | None = None
    position: str | None = None
    guidance_station_id: str | None = None
    area_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class LiaisonOfficer:
    """驻企联络员, paid a stipend to the bank account below."""

    name: str
    id_number: str
    phone: str | None = None
    home_unit: str | None = None
    position: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class InstructorAssignment:
    """挂钩指导: an instructor guiding an organization between two dates (inclusive)."""

    instructor_id: str
    organization_id: str
    start_on: date
    end_on: date | None = None
    id: str | None = None


@dataclass(frozen=True)
class Posting:
    """派驻: a liaison officer posted to an organization between two dates (inclusive)."""

    officer_id: str
    organization_id: str
    start_on: date
    end_on: date | None = None
    id: str | None = None


@dataclass(frozen=True)
class Assessment:
    """考核: an officer's grade for one year."""

    officer_id: str
    year: int
    grade: str
    id: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a filtered list, with the total count over all pages."""

    rows: tuple = ()
    total: int = 0
    extra: dict = field(default_factory=dict)


def _blank(value: str | None) -> bool:
    return value is None or not str(value).strip()


def _check_count(problems: list[FieldProblem], name: str, value: int | None, label: str) -> None:
    if value is not None and (not isinstance(value, int) or value < 0):
        problems.append((name, f"{label}应为不小于 0 的整数"))


def _check_span(problems: list[FieldProblem], start: date | None, end: date | None) -> None:
    if start is None:
        problems.append(("start_on", "开始日期不能为空"))
    elif end is not None and end < start:
        problems.append(("end_on", "结束日期早于开始日期"))


def check_organization(org: Organization) -> list[FieldProblem]:
    """Every field problem of an organization, as (field, reason)."""
    problems: list[FieldProblem] = []
    if _blank(org.name):
        problems.append(("name", "名称不能为空"))
    if _blank(org.area_id):
        problems.append(("area_id", "所属乡镇不能为空"))
    if org.kind not in KINDS:
        problems.append(("kind", "类型应为非公企业或社会组织"))
    if org.industry is not None and org.industry not in INDUSTRIES:
        problems.append(("industry", "行业不在可选范围内"))
    if org.party_org_form not in PARTY_ORG_FORMS:
        problems.append(("party_org_form", "党组织组建方式不在可选范围内"))
    if org.uscc:
        reason = identifiers.check_uscc(org.uscc)
        if reason:
            problems.append(("uscc", reason))
    if org.contact_phone:
        reason = identifiers.check_phone(org.contact_phone)
        if reason:
            problems.append(("contact_phone", reason))
    _check_count(problems, "employee_count", org.employee_count, "从业人员数")
    _check_count(problems, "party_member_count", org.party_member_count, "党员数")
    if org.party_org_form == "none" and org.party_org_established_on is not None:
        problems.append(("party_org_established_on", "未建党组织时不应填写党组织建立日期"))
    if org.registered_on and org.closed_on and org.closed_on < org.registered_on:
        problems.append(("closed_on", "注销日期早于登记日期"))
    return problems + check_lengths("organization", org)


def _check_person(name: str, id_number: str, phone: str | None) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if _blank(name):
        problems.append(("name", "姓名不能为空"))
    reason = identifiers.check_id_number(id_number or "")
    if reason:
        problems.append(("id_number", reason))
    if phone:
        reason = identifiers.check_phone(phone)
        if reason:
            problems.append(("phone", reason))
    return problems


def check_instructor(person: Instructor) -> list[FieldProblem]:
    """Every field problem of an instructor."""
    return (_check_person(person.name, person.id_number, person.phone)
            + check_lengths("instructor", person))


def check_officer(officer: LiaisonOfficer) -> list[FieldProblem]:
    """Every field problem of a liaison officer, bank account included."""
    problems = _check_person(officer.name, officer.id_number, officer.phone)
    if officer.bank_account:
        reason = identifiers.check_bank_account(officer.bank_account)
        if reason:
            problems.append(("bank_account", reason))
    return problems + check_lengths("officer", officer)


def check_area(area: Area) -> list[FieldProblem]:
    """Name and kind of a county, township, street or zone."""
    problems: list[FieldProblem] = []
    if _blank(area.name):
        problems.append(("name", "名称不能为空"))
    if area.kind not in AREA_KINDS:
        problems.append(("kind", "区划类型不在可选范围内"))
    return problems + check_lengths("area", area)


def check_station(station: GuidanceStation) -> list[FieldProblem]:
    """The name of a guidance station."""
    problems: list[FieldProblem] = []
    if _blank(station.name):
        problems.append(("name", "指导站名称不能为空"))
    return problems + check_lengths("station", station)


def check_posting(link: Posting | InstructorAssignment) -> list[FieldProblem]:
    """Dates of a posting or an instructor assignment."""
    problems: list[FieldProblem] = []
    _check_span(problems, link.start_on, link.end_on)
    return problems


def check_assessment(item: Assessment) -> list[FieldProblem]:
    """Year and grade of an assessment."""
    problems: list[FieldProblem] = []
    if not isinstance(item.year, int) or not 2000 <= item.year <= 2100:
        problems.append(("year", "年度应为 2000 到 2100 之间的年份"))
    if item.grade not in GRADES:
        problems.append(("grade", "考核等次应为优秀、良好、称职或不称职"))
    return problems


# Which text_limits table holds each record's length limits.
LIMIT_KINDS: dict[type, str] = {Organization: "organization", Instructor: "instructor",
                                LiaisonOfficer: "officer", Area: "area",
                                GuidanceStation: "station"}


@dataclass(frozen=True)
class OrganizationFilter:
    """What a clerk filters the organization list by; None means any."""

    area_id: str | None = None
    kind: str | None = None
    industry: str | None = None
    is_new_business_form: bool | None = None
    party_org_form: str | None = None
    has_party_org: bool | None = None
    has_mass_org: bool | None = None
    search: str = ""
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True)
class PersonFilter:
    """Filter for instructor and officer lists."""

    search: str = ""
    area_id: str | None = None
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 100
