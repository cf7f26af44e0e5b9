"""`stats --as-of DATE [--json]` and `report quarterly --quarter YYYY-Qn OUT.pdf [--xlsx OUT.xlsx]`."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence

from desktop.cli.common import open_db
from desktop.domain.periods import parse_date
from desktop.services import stats

TABLE_HEADER = ("乡镇（街道、园区）", "组织数", "已建党组织", "覆盖率", "未建党组织",
                "其中有群团", "群团覆盖率", "工作覆盖率", "党员数", "本季新建")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `stats` and `report` commands."""
    p = sub.add_parser("stats", help="按乡镇统计“两个覆盖”（截至某日）")
    p.add_argument("--as-of", required=True, help="统计时点 YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="输出 JSON（CLI.md 约定的格式）")
    p.set_defaults(handler=_stats)

    report = sub.add_parser("report", help="生成报表")
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    q = kinds.add_parser("quarterly", help="季度统计报表 PDF（可同时输出 Excel）")
    q.add_argument("--quarter", required=True, help="季度，例如 2026-Q2")
    q.add_argument("out", help="输出的 PDF 文件")
    q.add_argument("--xlsx", help="同时输出的 Excel 文件")
    q.set_defaults(handler=_quarterly)


def _stats(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of)
    db = open_db(args)
    try:
        result = stats.coverage_stats(db, as_of)
    finally:
        db.close()
    if args.json:
        print(json.dumps(stats.stats_as_json(result), ensure_ascii=False, indent=1))
    else:
        print(f"“两个覆盖”统计（截至{as_of.year}年{as_of.month}月{as_of.day}日）")
        rows = [_cells(r) for r in (*result.townships, result.total)]
        print(format_table(TABLE_HEADER, rows))
    return 0


def _cells(row) -> tuple[str, ...]:
    return tuple(str(v) for v in (row.name, row.organizations, row.with_party_org,
                                   row.org_coverage_rate, row.without_party_org,
                                   row.with_mass_org_among_without, row.mass_org_coverage_rate,
                                   row.work_coverage_rate, row.party_members,
                                   row.new_party_orgs_in_quarter))


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table aligned for a terminal; first column left, the rest right."""
    widths = [max(_width(r[k]) for r in (header, *rows)) for k in range(len(header))]
    lines = []
    for row in (header, *rows):
        lines.append("  ".join(_pad(cell, w, right=k > 0) for k, (cell, w)
                               in enumerate(zip(row, widths))).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _quarterly(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        result = stats.build_quarterly_report(db, args.quarter, args.out, args.xlsx)
    finally:
        db.close()
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    print(f"已生成季度统计报表：{result.pdf_path}（{result.page_count}页）")
    if result.xlsx_path:
        print(f"已生成 Excel 报表：{result.xlsx_path}")
    return 0
