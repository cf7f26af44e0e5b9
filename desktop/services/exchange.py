"""Data exchange packages between township offices and the county (EXCHANGE.md).

export_package writes this installation's package; preview_import reads,
verifies and plans a package without writing; merge_package plans it again
inside one write transaction (so nothing another process wrote between the
preview and the merge is overwritten unseen) and applies it with the clerk's
choices for the conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from desktop.db import areas, exchange_package, exchange_rows, installation
from desktop.db.connection import Database, current_operator, set_operator, transaction
from desktop.db.exchange_package import Package
from desktop.db.installation import Identity, LogEntry
from desktop.db.migrations import SCHEMA_VERSION
from desktop.db import records
from desktop.db.records import now_utc
from desktop.domain import exchange as rules
from desktop.domain.exchange import COUNTY, TOWNSHIP
from desktop.domain.merge import Plan, Sender, changed_since, plan_merge
from desktop.domain.coverage import TOWNSHIP_KINDS
from desktop.domain.periods import Period, quarter_of
from desktop.domain.registry import Area
from desktop.domain.submissions import Submission, township_submissions
from desktop.errors import UserError
from desktop.services import sealing
from desktop.services.workspace import database_path
from desktop.domain import access as acl
from desktop.services.users import require

Progress = Callable[[int, int], None]
SHOWN_CHANGES = 3  # rows named in PlanChanged's message


class MergeCancelled(UserError):
    """Raised by a merge's progress callback when the clerk pressed 取消: the
    merge's transaction rolls back and nothing of the package is written."""

    def __init__(self) -> None:
        super().__init__("已取消导入：交换包中的数据一条也没有写入，本机数据和交换记录都没有变化")


class PlanChanged(UserError):
    """The database changed between the preview and the merge in a way that
    alters what the merge would do: refused, so nothing is overwritten unseen."""

    def __init__(self, changed: list[str]) -> None:
        named = "、".join(changed[:SHOWN_CHANGES])
        more = f"等 {len(changed)} 条" if len(changed) > SHOWN_CHANGES else ""
        super().__init__(f"预览之后，本机数据有了变化（{named}{more}），导入结果已与预览不同。"
                         "为免覆盖未看到的修改，没有导入任何数据，请重新导入该交换包查看最新预览")
        self.changed = changed


@dataclass
class Preview:
    """What a package would do here; `plan` is None when it was merged before."""

    file_name: str
    sender: Sender
    created_at: str
    row_count: int
    plan: Plan | None
    already_merged: bool = False

    @property
    def message(self) -> str:
        if self.already_merged:
            return (f"该交换包（{self.sender.name} 第{self.sender.sequence}号）已经导入过，"
                    "或已导入过更新的交换包，本次不作任何改动")
        return ""


def identity(db: Database) -> Identity:
    return installation.identity(db)


def installation_name(ident: Identity) -> str:
    """How an installation is named in files and logs: 白沙镇, 宜城县委组织部."""
    if ident.level == TOWNSHIP:
        return ident.township
    return f"{ident.county}委组织部" if ident.county else "县委组织部"


def set_installation(db: Database, level: str, township: str = "") -> None:
    """Make this PC the county office or a township's office (init, 设置, first start).
    A township's own area is created under the county when the county has none."""
    require(db, acl.CHANGE_SETTINGS)
    township = township.strip()
    if level not in (COUNTY, TOWNSHIP):
        raise UserError("本机级别只能是县委组织部或乡镇")
    if level == TOWNSHIP and not township:
        raise UserError("请填写本机所在的乡镇（街道、园区）名称")
    county = areas.county(db)
    if county is None:
        raise UserError("请先填写本县名称（--county）")
    with transaction(db):
        if level == TOWNSHIP and not any(a.name == township and a.kind != "community"
                                         for a in areas.list_areas(db)):
            # Written directly: at a township the area tree is the county's (read-only).
            records.insert(db, "area", Area(name=township, kind="township", parent_id=county.id))
        installation.set_level(db, level, township if level == TOWNSHIP else "")


# ---------------------------------------------------------------- export

def export_package(db: Database, out: Path, *, today: date | None = None,
                   password: str | None = None) -> Path:
    """Write this installation's package; `out` is a file or a folder (then the
    file gets its standard name). Returns the file written. The sequence number,
    the log entry and the file stand or fall together: a package that could not
    be written takes no number, and one whose transaction failed is removed.
    Sealed with `password` when the office has set an exchange password."""
    require(db, acl.EXCHANGE)
    ident = installation.identity(db)
    _require_identity(ident)
    today = today or date.today()
    seal_with = sealing.sealing_password(db, password)
    written: list[Path] = []
    try:
        with transaction(db):
            written.append(_export(db, ident, out, today, seal_with))
    except BaseException:
        for path in written:  # written, but its number and log entry rolled back
            exchange_package.discard(path)
        raise
    return written[0]


def _export(db: Database, ident: Identity, out: Path, today: date,
            seal_with: str | None) -> Path:
    sequence = installation.next_sequence(db)
    name = installation_name(ident)
    path = out / rules.package_name(ident.county, name, today.isoformat(), sequence) \
        if out.is_dir() else out
    tables = exchange_rows.owned_rows(db, ident.level, ident.township)
    created = now_utc()
    manifest = {"format": rules.FORMAT, "format_version": rules.FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION, "sender_id": ident.id, "sender_name": name,
                "sender_level": ident.level, "sender_township": ident.township,
                "county": ident.county, "sequence": sequence, "created_at": created}
    rows = sum(len(r) for r in tables.values())
    installation.log(db, LogEntry("export", ident.id, name, ident.level, ident.township,
                                  sequence, created, created, current_operator(db), path.name, rows,
                                  {t: len(r) for t, r in tables.items()}))
    _write(db, path, seal_with, manifest, tables, exchange_rows.aliases(db))
    return path


def _write(db: Database, path: Path, seal_with: str | None, manifest: dict,
           tables: dict[str, list[dict]], aliases: list[dict]) -> None:
    if not seal_with:
        exchange_package.write_package(path, manifest, tables, aliases)
        return
    exchange_package.require_folder(path)
    try:
        sealing.write_sealed(path, seal_with, database_path(db),
                             lambda plain: exchange_package.write_package(
                                 plain, manifest, tables, aliases))
    except OSError as exc:
        raise exchange_package.write_error(exc, path) from exc


def _read(db: Database, path: Path, password: str | None) -> Package:
    """Read a package, a sealed one opened with `password` and checked whole first."""
    with sealing.unsealed(path, password, database_path(db), "，未导入") as plain:
        return exchange_package.read_package(plain)


def _require_identity(ident: Identity) -> None:
    if not ident.county:
        raise UserError("请先在设置中填写本县名称，再生成或导入交换包")
    if ident.level == TOWNSHIP and not ident.township:
        raise UserError("本机是乡镇，但没有填写乡镇名称，请在设置中填写")


# ---------------------------------------------------------------- import

def preview_import(db: Database, path: Path, *, password: str | None = None) -> Preview:
    """Read, verify and plan `path` against this database; writes nothing."""
    package = _read(db, path, password)
    return _preview(db, package, path.name)


def _preview(db: Database, package: Package, file_name: str) -> Preview:
    ident = installation.identity(db)
    sender = _sender(package)
    _refuse_foreign(ident, sender, package)
    preview = Preview(file_name, sender, str(package.manifest.get("created_at", "")),
                      package.row_count, None)
    if sender.sequence <= installation.last_merged_sequence(db, sender.id):
        preview.already_merged = True
        return preview
    local = exchange_rows.LocalRows(db, ident.level, ident.township, sender.id,
                                    {t: len(r) for t, r in package.tables.items()})
    preview.plan = plan_merge(local, sender, package.tables, package.aliases)
    return preview


def _sender(package: Package) -> Sender:
    m = package.manifest
    try:
        return Sender(str(m["sender_id"]), str(m["sender_name"]), str(m["sender_level"]),
                      str(m.get("sender_township") or ""), int(m["sequence"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError("交换包的清单不完整，或文件已损坏") from exc


def _refuse_foreign(ident: Identity, sender: Sender, package: Package) -> None:
    _require_identity(ident)
    if int(package.manifest.get("schema_version", 0)) > SCHEMA_VERSION:
        raise UserError("该交换包由更新版本的工作台生成，请升级软件后再导入")
    if sender.id == ident.id:
        raise UserError("该交换包是本机生成的，不能导入本机")
    county = str(package.manifest.get("county") or "")
    if county != ident.county:
        raise UserError(f"该交换包来自其他县（{county or '未填写县名'}），本机是{ident.county}，未导入")
    if sender.level == ident.level == TOWNSHIP:
        raise UserError("乡镇之间不交换数据：请把交换包发给县委组织部")
    if sender.level not in (COUNTY, TOWNSHIP):
        raise UserError("交换包的发送方级别无法识别，或文件已损坏")


def merge_package(db: Database, path: Path, *, choices: dict[tuple[str, str], str] | None = None,
                  resolve_all: str = "", progress: Progress | None = None,
                  previewed: Plan | None = None, password: str | None = None) -> Preview:
    """Merge `path` in one transaction. Every conflict needs a choice ("ours" or
    "theirs"), per (table, row id) in `choices` or for all in `resolve_all`;
    otherwise nothing is written and UserError lists how many are left.

    `previewed`: the plan the clerk decided on; if the plan made again inside the
    transaction differs (someone changed a row since), PlanChanged and nothing is
    written. `progress` may raise (MergeCancelled) to roll the whole merge back.
    A sealed package is opened with `password`."""
    require(db, acl.EXCHANGE)
    package = _read(db, path, password)
    with transaction(db):
        preview = _preview(db, package, path.name)
        if preview.plan is None:
            return preview
        if previewed is not None:
            changed = changed_since(previewed, preview.plan)
            if changed:
                raise PlanChanged(changed)
        _decide(preview.plan, choices or {}, resolve_all)
        operator = current_operator(db)
        set_operator(db, f"数据交换：{preview.sender.name} 第{preview.sender.sequence}号")
        try:
            exchange_rows.apply_plan(db, preview.plan, progress)
        finally:
            set_operator(db, operator)
        _log_merge(db, preview, operator)
    return preview


def _decide(plan: Plan, choices: dict[tuple[str, str], str], resolve_all: str) -> None:
    undecided = 0
    for action in plan.conflicts:
        choice = choices.get((action.table, action.local_id)) or resolve_all
        if choice not in ("ours", "theirs"):
            undecided += 1
        action.choice = choice
    if undecided:
        raise UserError(f"还有 {undecided} 处冲突没有选择保留本机还是采用对方，未导入任何数据")


def _log_merge(db: Database, preview: Preview, operator: str) -> None:
    sender, plan = preview.sender, preview.plan
    assert plan is not None
    counts = plan.counts()
    counts["taken_theirs"] = sum(1 for a in plan.conflicts if a.choice == "theirs")
    installation.log(db, LogEntry("import", sender.id, sender.name, sender.level, sender.township,
                                  sender.sequence, preview.created_at, now_utc(), operator,
                                  preview.file_name, preview.row_count, counts))


def exchange_log(db: Database) -> list[LogEntry]:
    return installation.log_entries(db)


def conflict_json(plan: Plan) -> list[dict]:
    """The conflicts as CLI.md prints them."""
    return [{"table": a.table, "id": a.local_id, "key": a.key_text,
             "fields": a.differences(), **({"reason": a.reason} if a.reason else {})}
            for a in plan.conflicts]


def preview_json(preview: Preview) -> dict:
    counts = preview.plan.counts() if preview.plan else dict.fromkeys(
        ("new", "updated", "kept", "deleted", "linked", "unchanged", "ignored", "conflicts"), 0)
    conflicts = conflict_json(preview.plan) if preview.plan else []
    counts.pop("conflicts")
    return {"sender": preview.sender.name, "sequence": preview.sender.sequence, **counts,
            "conflicts": conflicts, "already_merged": preview.already_merged}


def submissions(db: Database, *, today: date | None = None,
                quarter: Period | None = None) -> list[Submission]:
    """Each township of the county with its newest package made by the end of
    `quarter` (default: the quarter of `today`); those that made none within
    the quarter are flagged."""
    quarter = quarter or quarter_of(today or date.today())
    townships = [a.name for a in areas.list_areas(db, TOWNSHIP_KINDS)]
    return township_submissions(townships, installation.merged_from_townships(db), quarter)
