"""`problem add / list / advance / timeline / export / notice / stats` (CLI.md): the 问题清单
from a terminal. Every command calls desktop/services/problems."""

from __future__ import annotations

import argparse
import dataclasses
import json
from contextlib import closing
from datetime import date

from desktop.cli.common import open_db
from desktop.cli.stats_cmds import format_table
from desktop.domain import problems as rules
from desktop.domain.periods import parse_date
from desktop.domain.problems import Problem, ProblemFilter
from desktop.errors import UserError
from desktop.services import problem_outputs, problems

TARGET_HELP = ("supervising 督办中 | resolved 已办结 | unresolved 未能解决 | "
               "satisfied 满意 | basically_satisfied 基本满意 | dissatisfied 不满意（重新督办）")
STATS_HEADER = ("发现", "未办结", "逾期", "已办结", "未能解决", "办结率", "已评价", "满意率")
BY_LABELS = {"township": "乡镇（街道、园区）", "category": "问题类别", "unit": "责任单位"}
LIST_HEADER = ("编号", "乡镇", "组织名称", "问题类别", "责任单位", "办结时限", "状态", "逾期天数", "问题描述")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `problem` command and its subcommands."""
    parser = sub.add_parser("problem", help="问题清单：登记、办理、列出、导出、统计企业反映的问题")
    cmds = parser.add_subparsers(dest="problem_command", metavar="SUBCOMMAND", required=True)
    _add_parser(cmds)
    listing = cmds.add_parser("list", help="列出问题（时限最早的在前）")
    _filters(listing)
    listing.add_argument("--json", action="store_true", help="以 JSON 输出问题列表")
    listing.set_defaults(handler=_list)
    adv = cmds.add_parser("advance", help="办理下一步骤（督办、办结、评价），记下说明")
    adv.add_argument("id", metavar="ID", help="问题编号（至少前 8 位）")
    adv.add_argument("--to", required=True, metavar="STATUS", help=TARGET_HELP)
    adv.add_argument("--note", default="", metavar="T", help="办理情况或说明")
    adv.add_argument("--on", metavar="DATE", help="办理日期 YYYY-MM-DD（默认今天）")
    adv.set_defaults(handler=_advance)
    line = cmds.add_parser("timeline", help="列出一个问题的办理过程")
    line.add_argument("id", metavar="ID", help="问题编号（至少前 8 位）")
    line.set_defaults(handler=_timeline)
    export = cmds.add_parser("export", help="导出“问题、责任、时限清单”（可打印的 Excel）")
    export.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
    _filters(export)
    export.set_defaults(handler=_export)
    _notice_parser(cmds)
    stats = cmds.add_parser("stats", help="问题统计（截至某日），按乡镇及合计")
    stats.add_argument("--as-of", required=True, metavar="DATE", help="统计时点 YYYY-MM-DD")
    stats.add_argument("--by", choices=tuple(BY_LABELS), default="township",
                       help="分组：township 乡镇 | category 类别 | unit 责任单位")
    stats.add_argument("--json", action="store_true", help="输出 JSON（CLI.md 约定的格式）")
    stats.set_defaults(handler=_stats)


def _add_parser(cmds: argparse._SubParsersAction) -> None:
    add = cmds.add_parser("add", help="登记一个问题（已受理）；打印其编号")
    add.add_argument("--org", help="组织：统一社会信用代码、名称或记录编号（有 --visit 时可省）")
    add.add_argument("--visit", help="发现问题的走访记录编号")
    add.add_argument("--found-on", metavar="DATE", help="发现日期（默认今天，或走访日期）")
    add.add_argument("--category", required=True,
                     help="问题类别：" + "、".join(rules.CATEGORY_LABELS.values()))
    add.add_argument("--description", required=True, help="问题描述")
    add.add_argument("--unit", required=True, help="责任单位")
    add.add_argument("--person", help="责任人")
    add.add_argument("--deadline", required=True, metavar="DATE", help="办结时限 YYYY-MM-DD")
    add.add_argument("--note", default="", help="受理说明")
    add.set_defaults(handler=_add)


def _notice_parser(cmds: argparse._SubParsersAction) -> None:
    notice = cmds.add_parser("notice", help="生成督办通知单（PDF）：一个责任单位未办结的问题及其时限")
    notice.add_argument("--unit", required=True, help="责任单位（全称）")
    notice.add_argument("--as-of", metavar="DATE", help="截至日期 YYYY-MM-DD（默认今天），按该日判断逾期")
    notice.add_argument("--number", default="", metavar="N",
                        help="文号中的序号，如 7 即“督办〔年份〕7号”；也可写完整文号；不填则留空待手写")
    notice.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    notice.set_defaults(handler=_notice)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--overdue", action="store_true", help="只列出逾期的问题")
    p.add_argument("--as-of", metavar="DATE", help="按该日判断逾期（默认今天）")
    p.add_argument("--township", help="乡镇（街道、园区）名称")
    p.add_argument("--category", help="问题类别")
    p.add_argument("--unit", help="责任单位")
    p.add_argument("--status", help="状态：已受理、督办中、已办结、未能解决")


def _code(text: str | None, labels: dict[str, str], what: str) -> str | None:
    if text is None:
        return None
    code = rules.code_of(text, labels)
    if code is None:
        raise UserError(f"{what}应为：" + "、".join(labels.values()))
    return code


def _filter(db, args: argparse.Namespace) -> ProblemFilter:
    return ProblemFilter(
        area_ids=problems.township_filter(db, args.township) if args.township else None,
        category=_code(args.category, rules.CATEGORY_LABELS, "问题类别"),
        responsible_unit=args.unit.strip() if args.unit else None,
        status=_code(args.status, rules.STATUS_LABELS, "状态"), overdue=args.overdue,
        as_of=parse_date(args.as_of) if args.as_of else date.today())


def _add(args: argparse.Namespace) -> int:
    if not args.org and not args.visit:
        raise UserError("请用 --org 指明组织，或用 --visit 指明走访记录")
    with closing(open_db(args)) as db:
        problem_id = problems.add_problem(db, Problem(
            organization_id=problems.find_organization(db, args.org) if args.org else "",
            found_on=parse_date(args.found_on) if args.found_on else (
                None if args.visit else date.today()),
            category=_code(args.category, rules.CATEGORY_LABELS, "问题类别") or "",
            description=args.description, responsible_unit=args.unit,
            responsible_person=args.person, deadline=parse_date(args.deadline),
            visit_id=args.visit), note=args.note)
    print(problem_id)
    return 0


def _row_json(row: problems.ProblemRow) -> dict:
    p = row.problem
    return {"id": p.id, "organization_id": p.organization_id,
            "organization_name": row.organization_name, "township": row.township,
            "visit_id": p.visit_id, "found_on": p.found_on.isoformat(), "category": p.category,
            "description": p.description, "responsible_unit": p.responsible_unit,
            "responsible_person": p.responsible_person, "deadline": p.deadline.isoformat(),
            "status": p.status, "closed_on": p.closed_on.isoformat() if p.closed_on else None,
            "outcome": p.outcome, "evaluation": p.evaluation, "overdue": row.overdue,
            "days_overdue": row.days_overdue}


def _list(args: argparse.Namespace) -> int:
    with closing(open_db(args)) as db:
        f = _filter(db, args)
        page = problems.list_problems(db, dataclasses.replace(f, limit=2 ** 62), count=False)
    if args.json:
        print(json.dumps([_row_json(r) for r in page.rows], ensure_ascii=False))
        return 0
    if not page.rows:
        print("没有符合条件的问题")
        return 0
    print("\t".join(LIST_HEADER))
    for r in page.rows:
        p = r.problem
        print("\t".join((p.id[:8], r.township, r.organization_name,
                         rules.CATEGORY_LABELS[p.category], p.responsible_unit,
                         p.deadline.isoformat(), rules.STATUS_LABELS[p.status],
                         str(r.days_overdue or ""), p.description)))
    overdue = sum(r.overdue for r in page.rows)
    print(f"共 {len(page.rows)} 个问题，其中逾期 {overdue} 个（截至 {f.as_of.isoformat()}）")
    return 0


def _advance(args: argparse.Namespace) -> int:
    target = (rules.code_of(args.to, rules.STATUS_LABELS)
              or rules.code_of(args.to, rules.EVALUATION_LABELS))
    if target is None:
        raise UserError(f"未知的目标状态：{args.to}（可用：{TARGET_HELP}）")
    with closing(open_db(args)) as db:
        problem_id = problems.resolve_id(db, args.id)
        after = problems.advance(db, problem_id, target, note=args.note,
                                 on=parse_date(args.on) if args.on else None)
    rating = f"，评价：{rules.EVALUATION_LABELS[target]}" if target in rules.EVALUATION_LABELS else ""
    print(f"问题 {problem_id[:8]} 现为{rules.STATUS_LABELS[after.status]}{rating}")
    return 0


def _timeline(args: argparse.Namespace) -> int:
    with closing(open_db(args)) as db:
        steps = problems.timeline(db, problems.resolve_id(db, args.id))
    for s in steps:
        rating = f"（{rules.EVALUATION_LABELS[s.evaluation]}）" if s.evaluation else ""
        print("\t".join((s.taken_on.isoformat(), rules.ACTION_LABELS[s.action] + rating,
                         rules.STATUS_LABELS[s.status_after], s.taken_by, s.note or "")))
    return 0


def _export(args: argparse.Namespace) -> int:
    with closing(open_db(args)) as db:
        f = _filter(db, args)
        scope = "、".join(x for x in (args.township, args.category, args.unit, args.status,
                                      "逾期" if args.overdue else None) if x) or "全部"
        path, n = problem_outputs.export_problem_list(db, args.out, f, as_of=f.as_of, scope=scope)
    print(f"已导出 {n} 个问题：{path}")
    return 0


def _notice(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of) if args.as_of else date.today()
    with closing(open_db(args)) as db:
        path, notice, rendered = problem_outputs.export_supervision_notice(
            db, args.out, args.unit, as_of, args.number)
    for warning in rendered.warnings:
        print(f"注意：{warning}")
    print(f"已生成督办通知单（{notice.unit}，{len(notice.lines)} 个问题，其中逾期 {notice.overdue} 个，"
          f"共 {rendered.page_count} 页）：{path}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of)
    with closing(open_db(args)) as db:
        result = problems.problem_stats(db, as_of, by=args.by)
    if args.json:
        print(json.dumps(problems.stats_as_json(result), ensure_ascii=False, indent=1))
        return 0
    print(f"问题清单统计（截至{as_of.year}年{as_of.month}月{as_of.day}日）")
    header = (BY_LABELS[args.by], *STATS_HEADER)
    rows = [tuple(str(v) for v in (r.name, r.found, r.open, r.overdue, r.resolved, r.unresolved,
                                   r.solve_rate, r.evaluated, r.satisfaction_rate))
            for r in (*result.rows, result.total)]
    print(format_table(header, rows))
    return 0
