"""表7 问题清单办理情况 in the quarterly report: each township's problems in their
state on the quarter's last day (from the steps' dates, not today's status),
those found within the quarter, the summary sentence; read back from the PDF
(pdftotext), the workbook and the 季度报表's data."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.domain import problems as p
from desktop.domain.problem_report import TABLE_HEADER
from desktop.domain.problems import Problem
from desktop.domain.registry import Organization
from desktop.services import problems, registry, stats
from desktop.services.stats import parse_quarter, quarterly_report

TODAY = date(2026, 7, 15)
Q2 = parse_quarter("2026-Q2")
SENTENCE = ("截至本季度末，累计发现两新组织反映的问题5个（其中本季度新发现3个），"
            "已办结1个、未能解决1个，办结率50.0%，反馈评价2个，满意率50.0%；"
            "仍在办理3个，其中逾期1个。")


def _add(db, org, found, deadline):
    return problems.add_problem(db, Problem(organization_id=org, found_on=found,
                                            category="recruitment", description="招工难",
                                            responsible_unit="县人社局", deadline=deadline),
                                today=TODAY)


def _step(db, problem_id, target, on):
    problems.advance(db, problem_id, target, on=on, today=TODAY)


@pytest.fixture
def loop(db):
    """Q2 2026 (1 April – 30 June) of two townships' problems, as of 15 July."""
    towns = {a.name: a.id for a in registry.townships(db)}
    a = registry.create(db, Organization(name="城关物流有限公司", area_id=towns["城关镇"]))
    c = registry.create(db, Organization(name="经开精密制造公司", area_id=towns["经开区"]))
    # 城关镇: found in Q1, resolved and rated 满意 within Q2.
    early = _add(db, a, date(2026, 3, 10), date(2026, 4, 30))
    _step(db, early, p.RESOLVED, date(2026, 5, 10))
    _step(db, early, p.SATISFIED, date(2026, 5, 12))
    # Found in Q2, past its deadline on 30 June, resolved only on 5 July: open then, overdue.
    late = _add(db, a, date(2026, 5, 1), date(2026, 6, 10))
    _step(db, late, p.RESOLVED, date(2026, 7, 5))
    # Found in Q2, 未能解决, rated 不满意 and so reopened: open on 30 June, its
    # deadline day (not yet overdue); the rating counts as an evaluation.
    reopened = _add(db, a, date(2026, 4, 15), date(2026, 6, 30))
    _step(db, reopened, p.UNRESOLVED, date(2026, 5, 20))
    _step(db, reopened, p.DISSATISFIED, date(2026, 5, 25))
    _add(db, a, date(2026, 7, 2), date(2026, 7, 31))  # after the quarter: not in its report
    # 经开区: 未能解决 back in Q1; one found on the quarter's last day.
    old = _add(db, c, date(2026, 1, 5), date(2026, 2, 28))
    _step(db, old, p.UNRESOLVED, date(2026, 3, 15))
    _add(db, c, date(2026, 6, 30), date(2026, 7, 30))
    return db


def _table(report):
    return next(t for t in report.tables if t.header == TABLE_HEADER)


def test_the_quarters_figures_are_the_problems_state_on_its_last_day(loop):
    report = quarterly_report(loop, Q2, TODAY)
    table = _table(report)
    assert report.tables.index(table) == 6 and table.title.startswith("表7")
    assert table.rows == (
        ("城关镇", 3, 2, 1, 0, 2, 1, "100.0%", "50.0%"),
        ("经开区", 2, 1, 0, 1, 1, 0, "0.0%", "—"))
    assert table.total == ("合计", 5, 3, 1, 1, 3, 1, "50.0%", "50.0%")
    assert report.summary.endswith(SENTENCE)
    # Today the late one is resolved and the reopened one 督办中: Q3's report sees that.
    q3 = _table(quarterly_report(loop, parse_quarter("2026-Q3"), TODAY))
    assert q3.rows[0] == ("城关镇", 4, 1, 2, 0, 2, 2, "100.0%", "50.0%")


def test_the_rows_follow_the_other_tables_and_an_empty_quarter_says_so(loop):
    report = quarterly_report(loop, Q2, TODAY)
    assert [r[0] for r in _table(report).rows] == [r[0] for r in report.tables[0].rows]
    before = quarterly_report(loop, parse_quarter("2025-Q4"), TODAY)
    assert _table(before).total[1:] == (0, 0, 0, 0, 0, 0, "—", "—")
    assert before.summary.endswith("截至本季度末，问题清单尚未登记问题。")


def _pdf_text(path, *, layout: bool) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_pdf_and_the_workbook_carry_the_table_and_the_sentence(loop, tmp_path):
    result = stats.build_quarterly_report(loop, "2026-Q2", tmp_path / "r.pdf", tmp_path / "r.xlsx",
                                          compiled_on=TODAY)
    text = _pdf_text(result.pdf_path, layout=True)
    section = text[text.index("表7"):text.index("表8")]  # 表8 数据报送: the county's
    assert "问题清单办理情况" in section
    rows = {line.split()[0]: line.split()[1:] for line in section.splitlines() if line.split()}
    assert rows["城关镇"] == ["3", "2", "1", "0", "2", "1", "100.0%", "50.0%"]
    assert rows["经开区"] == ["2", "1", "0", "1", "1", "0", "0.0%", "—"]
    assert rows["合计"] == ["5", "3", "1", "1", "3", "1", "50.0%", "50.0%"]
    flowing = re.sub(r"\s+", "", _pdf_text(result.pdf_path, layout=False))
    assert SENTENCE in flowing  # wrapped over lines in the summary paragraph

    book = load_workbook(result.xlsx_path)
    sheet = book["表7"]
    assert sheet["A1"].value.startswith("表7  问题清单办理情况")
    assert [c.value for c in sheet[3]] == list(TABLE_HEADER)
    assert [c.value for c in sheet[4]] == ["城关镇", 3, 2, 1, 0, 2, 1, "100.0%", "50.0%"]
    assert [c.value for c in sheet[6]] == ["合计", 5, 3, 1, 1, 3, 1, "50.0%", "50.0%"]
    assert book["概况"]["A6"].value.endswith(SENTENCE)
