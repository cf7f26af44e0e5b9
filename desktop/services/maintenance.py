"""Keeping the database safe: create, back up, restore and check it.

Backups use SQLite's online backup API (desktop.db.backup) so they are
consistent even while the app is writing, and each copy is verified before it
is kept. The folder rotates (the newest backup of each of the last 30 days that
have one, the oldest of every month), but a copy whose path the clerk was shown
is kept 30 days and the newest 10 of them always (desktop.db.backup_rotation).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from desktop import paths
from desktop.db import backup, file_identity, guards, migrations, policies
from desktop.db.backup import BackupInfo
from desktop.db.connection import Database
from desktop.db.database import open_database
from desktop.db.files import db_file_name
from desktop.db.payruns import double_payments
from desktop.domain.registry import (
    OrganizationFilter, PersonFilter, check_instructor, check_officer, check_organization,
)
from desktop.domain.subsidy import check_policy
from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.services import registry, sealing
from desktop.services.workspace import database_path, open_workspace
from desktop.domain import access as acl
from desktop.services.users import require

_PAGE = 1000  # rows fetched per query when walking a whole list
_MAX_PER_KIND = 50  # invariant problems listed per record kind; more only add noise


def init_database(path: Path | None = None) -> Path:
    """Create and migrate the database at `path` (default: the clerk's database)
    if it is missing; an existing one is only migrated. Returns its path."""
    path = Path(path) if path else paths.default_db_path()
    open_database(path, create=True).close()  # refuses a folder, a missing folder, a foreign file
    return path


def open_existing(path: Path | None = None, *, operator: str = "") -> Database:
    """Open a database that must exist already (default: the clerk's), so that
    a mistyped path is refused instead of silently creating an empty file."""
    path = Path(path) if path else paths.default_db_path()
    if not path.is_file():
        raise UserError(f"数据库文件不存在：{path}（如需新建，请先运行 init）")
    return open_workspace(path, operator=operator)


def backup_now(db: Database, dest: Path | str | None = None, *,
               password: str | None = None) -> Path:
    """Back up the open database: into the rotating backups folder, or to
    `dest` (a new file, or a folder to put a dated file in; text ending in a
    path separator always means a folder). Returns the copy.

    A copy to `dest` outside the data folder is sealed with `password` when the
    office has set an exchange password (services/sealing.py); the rotating
    backups beside the database stay plain."""
    require(db, acl.BACKUP)
    live = database_path(db)
    if isinstance(dest, str) and dest.endswith(("/", os.sep)) and not Path(dest).is_dir():
        raise UserError(f"文件夹不存在：{dest}")
    target = _backup_target(live, Path(dest)) if dest else None
    if target is None:
        _require_writable(paths.backups_dir(live), create=True)
    leaves = target is not None and sealing.leaves_data_folder(live, target)
    seal_with = sealing.sealing_password(db, password) if leaves else None
    try:
        if target is not None and seal_with:
            return sealing.sealed_backup(db, live, target, seal_with)
        return backup.backup_database(db, live, reason="manual", dest=target)
    except OSError as exc:
        raise file_error("备份失败，无法写入文件", exc) from exc


def _backup_target(live: Path, dest: Path) -> Path:
    """Where a backup to a user-given path goes; never overwrites a file."""
    if dest.is_dir():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
        dest = dest / db_file_name(f"{live.stem}-{stamp}-manual")
    if dest.exists():
        raise UserError(f"目标文件已存在，未覆盖：{dest}")
    _require_writable(dest.parent, create=False)
    return dest


def _require_writable(folder: Path, *, create: bool) -> None:
    # Checked up front: the database driver's own message for this is English.
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"无法创建备份文件夹：{folder}") from exc
    if not folder.is_dir():
        raise UserError(f"文件夹不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise UserError(f"没有写入权限：{folder}")


def startup_backup(db: Database) -> Path | None:
    """The automatic backup when the app starts: at most one a day. Returns the
    new backup, or None when today's exists already. A failure (a full disk, a
    damaged database) is a UserError saying the backup was skipped: the app
    starts anyway, and no bad copy enters the backups folder."""
    live = database_path(db)
    try:
        _require_writable(paths.backups_dir(live), create=True)
        return backup.backup_if_due(db, live)
    except OSError as exc:
        raise file_error("今日自动备份已跳过", exc) from exc
    except UserError as err:
        raise UserError(f"今日自动备份已跳过：{err}") from err


def list_backups(db: Database) -> list[BackupInfo]:
    """The backups in the open database's backups folder, newest first."""
    return backup.list_backups(paths.backups_dir(database_path(db)))


OtherCountyBackup = backup.OtherCountyBackup  # what the front ends ask the clerk about


def restore(db: Database, backup_path: Path, *, other_county_ok: bool = False,
            password: str | None = None) -> Path:
    """Replace the open database's contents with a backup, after backing up the
    current contents; `db` stays open and usable. Returns that safety copy.

    A backup of another county raises OtherCountyBackup (naming both) unless
    `other_county_ok`: the front end asks the clerk, this never does. A sealed
    backup is opened with `password` and verified whole before anything changes."""
    require(db, acl.RESTORE)
    live = database_path(db)
    source = Path(backup_path)
    if source.exists() and source.resolve() == live.resolve():
        raise UserError("不能用正在使用的数据库本身进行恢复，请选择备份文件")
    with sealing.unsealed(source, password, live, "，未恢复，当前数据未改变") as plain:
        safety = backup.restore_backup(db, live, plain, other_county_ok=other_county_ok)
    try:
        # An older backup is brought up to date; a newer one cannot be used.
        migrations.migrate(db, live)
    except UserError:
        backup.restore_backup(db, live, safety, other_county_ok=True)
        raise
    return safety


def safety_copy_note(safety: Path) -> str:
    """The line that names the copy taken before a restore."""
    if backup.is_damaged_copy(safety):
        return (f"恢复前的数据库已损坏，其副本已另存为：{safety}"
                "（仅供抢救数据，不计入完好的备份）")
    return f"恢复前的数据已另存为：{safety}"


def check(db: Database) -> list[str]:
    """Every problem found, in Chinese; empty when all is well. Covers SQLite's
    integrity and foreign-key checks, the audit chain, payment totals, and the
    field rules of every live record and policy."""
    damage = file_identity.damage(db)
    if damage:  # the other checks would only stumble over the damaged pages
        return damage
    problems = backup.check_database(db)
    problems += guards.guard_problems(db)  # triggers put back; edits made without them
    problems += _record_problems(db)
    problems += double_payments(db)  # a month or bonus two locked runs paid
    for policy in policies.list_policies(db):
        reason = check_policy(policy)
        if reason:
            problems.append(f"{policy.year}年度补贴标准有误：{reason}")
    return problems


def _record_problems(db: Database) -> list[str]:
    kinds: list[tuple[str, Callable, Callable, Callable]] = [
        ("组织", registry.list_organizations, lambda o: OrganizationFilter(offset=o, limit=_PAGE),
         check_organization),
        ("指导员", registry.list_instructors, lambda o: PersonFilter(offset=o, limit=_PAGE),
         check_instructor),
        ("联络员", registry.list_officers, lambda o: PersonFilter(offset=o, limit=_PAGE),
         check_officer),
    ]
    problems: list[str] = []
    for label, lister, make_filter, checker in kinds:
        found = [f"{label}“{record.name}”：{reason}"
                 for record in _walk(db, lister, make_filter)
                 for _, reason in checker(record)]
        problems += found[:_MAX_PER_KIND]
        if len(found) > _MAX_PER_KIND:
            problems.append(f"{label}另有 {len(found) - _MAX_PER_KIND} 个问题未列出")
    return problems


def _walk(db: Database, lister: Callable, make_filter: Callable) -> Iterator:
    """Every record of a paged list, page by page."""
    offset = 0
    while True:
        page = lister(db, make_filter(offset))
        yield from (record for record, _ in page.rows)
        offset += _PAGE
        if offset >= page.total:
            return
