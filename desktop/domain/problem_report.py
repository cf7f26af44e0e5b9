"""The 问题清单 in the quarterly report (PROBLEMS.md, Statistics): 表7 and the
summary paragraph's sentence, from the figures as of the quarter's last day.

Pure: per-township ProblemCounts as of the quarter's end and the number found
within the quarter come in; a ReportTable and one sentence come out, both from
the same total so the paragraph never disagrees with the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop.domain.coverage import NO_RATE, TOTAL_LABEL, Cell, ReportTable
from desktop.domain.problems import ProblemCounts

TABLE_TITLE = "表7  问题清单办理情况（逾期：超过办结时限仍在办理；办结率＝已办结÷（已办结＋未能解决））"
TABLE_HEADER = ("乡镇（街道、园区）", "发现问题", "其中本季度新发现", "已办结", "未能解决",
                "办理中", "其中逾期", "办结率", "满意率")
TABLE_WIDTHS = (2.4, 1, 1.2, 1, 1, 1, 1, 1.1, 1.1)  # 其中本季度/新发现 on two lines
NO_TOWNSHIP = "未归属乡镇"
_SUMMED = ("found", "open", "overdue", "resolved", "unresolved", "evaluated", "satisfied",
           "basically_satisfied")


@dataclass(frozen=True)
class QuarterProblems:
    """One row of 表7: the figures as of the quarter's end and how many of the
    problems were found within the quarter."""

    counts: ProblemCounts
    found_in_quarter: int = 0

    @property
    def name(self) -> str:
        return self.counts.name


def add_counts(name: str, rows: Iterable[ProblemCounts]) -> ProblemCounts:
    """The sum of `rows` under `name` (rates follow from the summed counts)."""
    sums = dict.fromkeys(_SUMMED, 0)
    for row in rows:
        for key in _SUMMED:
            sums[key] += getattr(row, key)
    return ProblemCounts(name, **sums)


def quarter_rows(order: Sequence[str], at_end: Iterable[ProblemCounts],
                 found_in_quarter: Mapping[str, int]) -> list[QuarterProblems]:
    """A row for every township of `order` (zeros where it has no problems), then
    any other group the figures hold, in their own order ("" is NO_TOWNSHIP)."""
    by_name = {r.name: r for r in at_end}
    names = [*order, *(n for n in by_name if n not in order)]
    names += [n for n in found_in_quarter if n not in names]
    return [QuarterProblems(dataclasses.replace(by_name.get(n, ProblemCounts(n)),
                                                name=n or NO_TOWNSHIP),
                            found_in_quarter.get(n, 0)) for n in names]


def quarter_total(rows: Sequence[QuarterProblems]) -> QuarterProblems:
    """The 合计 row: the sum of the rows printed."""
    return QuarterProblems(add_counts(TOTAL_LABEL, (r.counts for r in rows)),
                           sum(r.found_in_quarter for r in rows))


def problem_cells(row: QuarterProblems) -> tuple[Cell, ...]:
    """A row of 表7, in TABLE_HEADER order."""
    c = row.counts
    return (row.name, c.found, row.found_in_quarter, c.resolved, c.unresolved, c.open,
            c.overdue, c.solve_rate, c.satisfaction_rate)


def problems_table(rows: Sequence[QuarterProblems]) -> ReportTable:
    """表7 问题清单办理情况 with its 合计 row."""
    return ReportTable(title=TABLE_TITLE, header=TABLE_HEADER,
                       rows=tuple(problem_cells(r) for r in rows),
                       total=problem_cells(quarter_total(rows)), widths=TABLE_WIDTHS)


def problems_sentence(total: QuarterProblems) -> str:
    """The summary paragraph's sentence on the 问题清单, from the table's 合计 row;
    a rate is left out when it has no denominator."""
    c = total.counts
    if c.found == 0:
        return "截至本季度末，问题清单尚未登记问题。"
    new = (f"其中本季度新发现{total.found_in_quarter}个" if total.found_in_quarter
           else "本季度无新发现")
    text = f"截至本季度末，累计发现两新组织反映的问题{c.found}个（{new}），"
    text += _closed_clause(c)
    if c.open == 0:
        return text + "；没有仍在办理的问题。"
    late = f"其中逾期{c.overdue}个" if c.overdue else "均未逾期"
    return text + f"；仍在办理{c.open}个，{late}。"


def _closed_clause(c: ProblemCounts) -> str:
    if c.resolved + c.unresolved == 0:
        return "尚无办结的问题"
    closed = f"已办结{c.resolved}个" + (f"、未能解决{c.unresolved}个" if c.unresolved else "")
    rates = [f"办结率{c.solve_rate}"]
    if c.satisfaction_rate != NO_RATE:
        rates.append(f"反馈评价{c.evaluated}个，满意率{c.satisfaction_rate}")
    return f"{closed}，" + "，".join(rates)
