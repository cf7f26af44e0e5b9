"""Registry exports and the blank import template (IMPORT_FORMATS.md, CLI.md).

`export_registry` writes what a registry screen shows (or the whole registry)
as a printable workbook whose sheet re-imports; personal data is masked unless
the caller asks otherwise. Files are written beside the target and renamed into
place, so an interrupted export never leaves half a workbook under the
user's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.db import registry_rows
from desktop.db.connection import Database
from desktop.domain.registry import OrganizationFilter, PersonFilter
from desktop.errors import UserError
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.workspace import county_name
from desktop.sheets import export, template
from desktop.domain import access as acl
from desktop.services import personal_data
from desktop.services.users import require

PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class ExportKind:
    """One kind of registry export: its title, layout and rows."""

    title: str
    layout: export.ExportLayout
    rows: Callable[[Database, Any], Iterable[dict]]


KINDS: dict[str, ExportKind] = {
    "organizations": ExportKind("两新组织名册", export.ORGANIZATIONS_EXPORT,
                                lambda db, f: registry_rows.organization_rows(
                                    db, f or OrganizationFilter())),
    "instructors": ExportKind("党建工作指导员名册", export.INSTRUCTORS_EXPORT,
                              lambda db, f: registry_rows.instructor_rows(db, f or PersonFilter())),
    "assignments": ExportKind("挂钩指导名册", export.ASSIGNMENTS_EXPORT,
                              lambda db, f: registry_rows.assignment_rows(db)),
    "officers": ExportKind("驻企联络员名册", export.OFFICERS_EXPORT,
                           lambda db, f: registry_rows.officer_rows(db, f or PersonFilter())),
    "postings": ExportKind("驻企联络员派驻名册", export.POSTINGS_EXPORT,
                           lambda db, f: registry_rows.posting_rows(db)),
    "assessments": ExportKind("驻企联络员考核结果", export.ASSESSMENTS_EXPORT,
                              lambda db, f: registry_rows.assessment_rows(db)),
}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    masked: bool

    def describe(self) -> str:
        note = "（身份号码、电话、银行卡号已部分隐藏）" if self.masked else "（含完整个人信息，请妥善保管）"
        return f"已导出 {self.rows} 条记录到：{self.path}{note}"


def export_registry(db: Database, kind: str, out: str | Path, *, mask: bool = True,
                    row_filter: OrganizationFilter | PersonFilter | None = None,
                    today: date | None = None,
                    progress: Callable[[int, int, str], None] | None = None) -> ExportResult:
    """Write the `kind` registry (only the rows `row_filter` selects, when given) to `out`.
    Refused unless the user may export (and, unmasked, reveal personal data).

    `progress(done, 0, text)` is called every few thousand rows; if it raises (the
    user cancelled), no file is left behind."""
    require(db, acl.EXPORT_REGISTRY)
    if not mask:
        require(db, acl.REVEAL)
    spec = KINDS.get(kind)
    if spec is None:
        raise UserError(f"不能导出“{kind}”，可导出：" + "、".join(KINDS))
    out = checked_target(out, (".xlsx",))
    rows = spec.rows(db, row_filter)
    if progress is not None:
        rows = _reporting(rows, progress)
    count = write_atomically(out, lambda tmp: export.write_registry_export(
        tmp, title=spec.title, county=county_name(db), as_of=today or date.today(),
        columns=spec.layout.columns, rows=rows, mask=mask, sheet_name=spec.layout.sheet_name))
    if not mask:
        personal_data.record_unmasked_export(db, spec.title, count)
    return ExportResult(out, count, mask)


def _reporting(rows: Iterable[dict], progress: Callable[[int, int, str], None]) -> Iterator[dict]:
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done, 0, f"已写入 {done} 条……")
        yield row


def write_template(out: str | Path) -> Path:
    """Write the blank import workbook to `out`."""
    out = checked_target(out, (".xlsx",))
    write_atomically(out, template.write_template)
    return out
