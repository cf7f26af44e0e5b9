"""Opening the working database and the settings kept inside it."""

from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.db import areas, file_identity, settings_store
from desktop.db.connection import Database, journal_mode, set_operator
from desktop.db.database import open_database
from desktop.db.files import (
    BACKUP_SUFFIXES, DB_SUFFIX, OPENABLE_SUFFIXES, file_filter, with_db_suffix,
)
from desktop.db.storage import on_network_share
from desktop.domain import access as acl
from desktop.domain import text_limits
from desktop.errors import UserError
from desktop.services.users import require


# File-dialog filters for the views, from the one list of database suffixes.
NEW_DATABASE_FILTER = file_filter("工作台数据库", (DB_SUFFIX,), any_file=False)
DATABASE_FILTER = file_filter("工作台数据库", OPENABLE_SUFFIXES)
BACKUP_FILTER = file_filter("数据库备份", BACKUP_SUFFIXES)
database_file = with_db_suffix  # a chosen name, given the database suffix if it lacks one


DEMO_MARK = "demo_database"  # app_setting set on every demo database
DEMO_OPERATOR = "演示操作员"


def open_workspace(db_path: Path | None = None, *, operator: str = "",
                   create: bool = False) -> Database:
    """Open (migrating if needed) the database at `db_path`, by default the
    clerk's database in the data directory. A missing or empty file is refused
    unless `create` (only init and the demo create a database). With no operator
    given, a demo database records its changes as DEMO_OPERATOR."""
    path = Path(db_path) if db_path else paths.default_db_path()
    db = open_database(path, operator=operator, create=create)
    if not operator and default_operator(db):
        set_operator(db, default_operator(db))
    return db


def default_operator(db: Database) -> str:
    """Who a change is recorded as when nobody is configured: the demo's operator on
    a demo database (a newcomer looking around has typed no name), else ''."""
    return DEMO_OPERATOR if settings_store.get_if_readable(db, DEMO_MARK) == "1" else ""


def require_intact(db: Database) -> None:
    """Refuse a damaged database (SQLite's structural check, every page read once:
    about 10 ms for the demo, 2 s for 100,000 organizations)."""
    file_identity.require_intact(db, database_path(db))


def is_read_only(db: Database) -> bool:
    """Whether the database was opened read-only (its file or folder is not writable)."""
    return file_identity.is_read_only(db)


def database_path(db: Database) -> Path:
    """The file behind an open database."""
    return Path(settings_store.main_file(db))


def get_setting(db: Database, key: str, default: str = "") -> str:
    """An app setting kept in the database (county name, bulletin masthead …)."""
    return settings_store.get(db, key, default)


def set_setting(db: Database, key: str, value: str) -> None:
    """Save an app setting (administrators); audited like every other change."""
    require(db, acl.CHANGE_SETTINGS)
    settings_store.put(db, key, value)


def county_name(db: Database) -> str:
    """The county's name as printed on sheets and reports."""
    return get_setting(db, "county_name") or "本县"


def storage_warning(db: Database) -> str:
    """A warning for a database kept where SQLite cannot keep it safe ('' when fine):
    on a network share, or where WAL journaling could not be switched on."""
    path = database_path(db)
    if is_read_only(db):
        return (f"数据库文件是只读的（文件或所在文件夹没有写入权限）：{path}。现在只能查看，不能修改；"
                "如需修改，请把它复制到可以写入的文件夹后再打开。")
    shared = share_warning(path)
    if shared:
        return shared
    if journal_mode(db) != "wal":
        return (f"数据库所在位置不支持预写日志（WAL）：{path}。请把数据库放在本机磁盘上，"
                "以免断电或多人同时使用时损坏数据。")
    return ""


def share_warning(path: Path) -> str:
    """The network-share warning for a database file at `path` ('' on a local disk)."""
    if not on_network_share(path):
        return ""
    return (f"数据库位于网络共享文件夹：{path}。工作台的数据库需要放在本机磁盘上，"
            "在共享文件夹中使用可能损坏数据；请把它复制到本机后再打开。")


def set_county(db: Database, name: str) -> None:
    """Name the county this database keeps: the root area townships sit under, and
    the name every sheet, report and bulletin prints (设置, first start, init --county)."""
    import dataclasses

    from desktop.domain.registry import Area
    from desktop.services import registry

    require(db, acl.CHANGE_SETTINGS)
    name = name.strip()
    if not name:
        raise UserError("请填写县（市、区）名称")
    reason = text_limits.too_long("settings", "county_name", name)
    if reason:
        raise UserError(reason)
    set_setting(db, "county_name", name)
    county = areas.county(db)
    if county is None:
        registry.create(db, Area(name=name, kind="county"))
    elif county.name != name:
        registry.update(db, dataclasses.replace(county, name=name))
