"""`registry list` and `registry delete` (CLI.md): the registry changed and read
without the GUI, by scripts and tests. Every command calls desktop/services/registry."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from contextlib import closing
from datetime import date
from typing import Any

from desktop.cli.common import open_db, warn
from desktop.db.connection import Database
from desktop.domain.labels import KIND_LABELS, PARTY_ORG_FORM_LABELS, label_of
from desktop.domain.registry import Instructor, Organization
from desktop.services import registry

KIND_HELP = "organizations 两新组织 | instructors 党建工作指导员 | officers 驻企联络员"

# Table columns per record class: (heading, value of (masked record, summary, township names)).
Cell = Callable[[Any, Any, dict], str]
_ORG_COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("名称", lambda o, t, _: o.name), ("统一社会信用代码", lambda o, t, _: o.uscc or ""),
    ("所属乡镇", lambda o, t, _: t or ""), ("类型", lambda o, t, _: label_of(KIND_LABELS, o.kind)),
    ("党组织", lambda o, t, _: label_of(PARTY_ORG_FORM_LABELS, o.party_org_form)),
    ("联系电话", lambda o, t, _: o.contact_phone or ""), ("编号", lambda o, t, _: o.id or ""))
_INSTRUCTOR_COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("姓名", lambda p, s, _: p.name), ("公民身份号码", lambda p, s, _: p.id_number or ""),
    ("所属乡镇", lambda p, s, towns: towns.get(p.area_id, "")),
    ("联系电话", lambda p, s, _: p.phone or ""), ("工作单位", lambda p, s, _: p.work_unit or ""),
    ("当前挂钩组织数", lambda p, s, _: str(s or 0)), ("编号", lambda p, s, _: p.id or ""))
_OFFICER_COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("姓名", lambda p, s, _: p.name), ("公民身份号码", lambda p, s, _: p.id_number or ""),
    ("联系电话", lambda p, s, _: p.phone or ""), ("派出单位", lambda p, s, _: p.home_unit or ""),
    ("银行卡号", lambda p, s, _: p.bank_account or ""), ("当前派驻企业", lambda p, s, _: s or ""),
    ("编号", lambda p, s, _: p.id or ""))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `registry list` and `registry delete`."""
    parser = subparsers.add_parser("registry", help="名册：列出、删除两新组织、指导员、联络员")
    sub = parser.add_subparsers(dest="registry_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="列出名册记录（默认隐藏部分个人信息）")
    listing.add_argument("kind", choices=tuple(registry.LISTED_KINDS), metavar="KIND",
                         help=KIND_HELP)
    listing.add_argument("--search", default="", metavar="W",
                         help="只列出名称、单位、代码、号码或电话中含有该词的记录")
    listing.add_argument("--json", action="store_true",
                         help="以 JSON 输出：记录列表，字段名见术语表（GLOSSARY.md）")
    listing.add_argument("--unmasked", action="store_true",
                         help="输出完整的身份号码、电话和银行卡号")
    listing.set_defaults(handler=_list)
    delete = sub.add_parser("delete", help="删除一条名册记录（与界面中的删除相同，可合并）")
    delete.add_argument("kind", choices=tuple(registry.LISTED_KINDS), metavar="KIND",
                        help=KIND_HELP)
    delete.add_argument("key", metavar="KEY",
                        help="统一社会信用代码（组织）、公民身份号码（人员）或记录编号")
    delete.set_defaults(handler=_delete)


def _list(args: argparse.Namespace) -> int:
    cls = registry.LISTED_KINDS[args.kind]
    with closing(open_db(args)) as db:
        rows = registry.list_all(db, cls, args.search)
        towns = _township_names(db, cls)
    if args.json:
        print(json.dumps([_json_row(cls, record, summary, towns, mask=not args.unmasked)
                          for record, summary in rows], ensure_ascii=False))
        return 0
    _print_table(cls, rows, towns, mask=not args.unmasked)
    return 0


def _township_names(db: Database, cls: type) -> dict[str | None, str]:
    # Instructors carry an area id; the table and JSON name the township.
    return {a.id: a.name for a in registry.townships(db)} if cls is Instructor else {}


def _json_row(cls: type, record: Any, summary: Any, towns: dict, *, mask: bool) -> dict:
    row = registry.record_as_json(record, mask=mask)
    if cls is Organization:
        row["township"] = summary
    elif cls is Instructor:
        row["township"] = towns.get(record.area_id)
    return row


def _print_table(cls: type, rows: list, towns: dict, *, mask: bool) -> None:
    columns = {Organization: _ORG_COLUMNS, Instructor: _INSTRUCTOR_COLUMNS}.get(
        cls, _OFFICER_COLUMNS)
    if not rows:
        print(f"没有符合条件的{registry.NOUNS[cls]}")
        return
    print("\t".join(heading for heading, _ in columns))
    for record, summary in rows:
        shown = registry.masked(record) if mask else record
        print("\t".join(cell(shown, summary, towns) for _, cell in columns))
    print(f"共 {len(rows)} 条" + ("（身份号码、电话、银行卡号已部分隐藏）" if mask else ""))


def _delete(args: argparse.Namespace) -> int:
    cls = registry.LISTED_KINDS[args.kind]
    with closing(open_db(args)) as db:
        record = registry.find(db, cls, args.key)
        warning = registry.delete_warning(db, cls, record.id, date.today())
        registry.delete(db, cls, record.id)
    print(f"已删除{registry.NOUNS[cls]}“{record.name}”{_key_note(record)}，编号 {record.id}")
    warn(warning)
    return 0


def _key_note(record: Any) -> str:
    """The record's USCC, or its masked ID number (output may land in a log)."""
    shown = registry.masked(record)
    key = getattr(shown, "uscc", None) or getattr(shown, "id_number", None)
    return f"（{key}）" if key else ""
