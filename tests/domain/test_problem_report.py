"""表7 问题清单办理情况 and the summary's sentence, from figures as of the quarter's
end: every township in the report's order, the 合计 row the sum of the rows,
the sentence worded from that same total, a rate left out without a denominator."""

from __future__ import annotations

from desktop.domain.problem_report import (
    NO_TOWNSHIP, TABLE_HEADER, QuarterProblems, add_counts, problems_sentence, problems_table,
    quarter_rows, quarter_total,
)
from desktop.domain.problems import ProblemCounts

ORDER = ("城关镇", "梅河镇", "经开区")


def _counts(name, found=0, open=0, overdue=0, resolved=0, unresolved=0, evaluated=0,
            satisfied=0, basic=0):
    return ProblemCounts(name, found=found, open=open, overdue=overdue, resolved=resolved,
                         unresolved=unresolved, evaluated=evaluated, satisfied=satisfied,
                         basically_satisfied=basic)


def _total(**kw):
    return QuarterProblems(_counts("合计", **{k: v for k, v in kw.items() if k != "new"}),
                           kw.get("new", 0))


def test_every_township_in_the_reports_order_with_zeros_and_a_summed_total():
    at_end = [_counts("经开区", found=9, open=3, overdue=1, resolved=5, unresolved=1, evaluated=4,
                      satisfied=2, basic=1),
              _counts("城关镇", found=3, resolved=2, unresolved=1, evaluated=3, satisfied=3)]
    rows = quarter_rows(ORDER, at_end, {"经开区": 4, "城关镇": 1})
    table = problems_table(rows)
    assert table.title.startswith("表7  问题清单办理情况")
    assert table.header == TABLE_HEADER and len(table.widths) == len(TABLE_HEADER)
    assert table.rows == (
        ("城关镇", 3, 1, 2, 1, 0, 0, "66.7%", "100.0%"),
        ("梅河镇", 0, 0, 0, 0, 0, 0, "—", "—"),  # no problems: a row of zeros, rates "—"
        ("经开区", 9, 4, 5, 1, 3, 1, "83.3%", "75.0%"))
    assert table.total == ("合计", 12, 5, 7, 2, 3, 1, "77.8%", "85.7%")


def test_a_group_outside_the_order_follows_it():
    rows = quarter_rows(("城关镇",), [_counts("", found=1, open=1), _counts("经开区", found=2)],
                        {"": 1, "白沙镇": 1})
    assert [r.name for r in rows] == ["城关镇", NO_TOWNSHIP, "经开区", "白沙镇"]
    assert quarter_total(rows).counts.found == 3 and quarter_total(rows).found_in_quarter == 2


def test_rates_round_half_up_from_the_summed_counts():
    # 1 of 8 is 12.5% exactly: half-up; 2 of 3 is 66.666…: 66.7%.
    total = add_counts("合计", [_counts("a", resolved=1, unresolved=3),
                                _counts("b", unresolved=4, evaluated=3, satisfied=1, basic=1)])
    assert (total.solve_rate, total.satisfaction_rate) == ("12.5%", "66.7%")


def test_the_sentence_of_a_quarter_with_everything():
    total = _total(found=231, new=30, open=15, overdue=8, resolved=202, unresolved=14,
                   evaluated=180, satisfied=150, basic=21)
    assert problems_sentence(total) == (
        "截至本季度末，累计发现两新组织反映的问题231个（其中本季度新发现30个），"
        "已办结202个、未能解决14个，办结率93.5%，反馈评价180个，满意率95.0%；"
        "仍在办理15个，其中逾期8个。")


def test_the_sentence_leaves_out_what_has_no_denominator():
    assert problems_sentence(_total(found=4, new=4, open=4)) == (
        "截至本季度末，累计发现两新组织反映的问题4个（其中本季度新发现4个），"
        "尚无办结的问题；仍在办理4个，均未逾期。")
    assert problems_sentence(_total(found=5, open=2, overdue=2, resolved=3)) == (
        "截至本季度末，累计发现两新组织反映的问题5个（本季度无新发现），"
        "已办结3个，办结率100.0%；仍在办理2个，其中逾期2个。")
    assert problems_sentence(_total(found=2, new=1, resolved=1, unresolved=1, evaluated=1)) == (
        "截至本季度末，累计发现两新组织反映的问题2个（其中本季度新发现1个），"
        "已办结1个、未能解决1个，办结率50.0%，反馈评价1个，满意率0.0%；没有仍在办理的问题。")


def test_no_problems_at_all():
    assert problems_sentence(_total()) == "截至本季度末，问题清单尚未登记问题。"
    table = problems_table(quarter_rows(ORDER, [], {}))
    assert table.total == ("合计", 0, 0, 0, 0, 0, 0, "—", "—")
