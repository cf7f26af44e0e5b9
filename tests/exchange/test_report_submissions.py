"""表8 数据报送情况: the county's quarterly report lists each township's newest
package for the REPORT's quarter, in local dates; a township's report has none."""

from __future__ import annotations

import time
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.domain.submissions import NOT_SENT, SENT, TABLE_HEADER, local_date
from desktop.services import exchange, stats
from desktop.services.stats import parse_quarter, quarterly_report
from tests.exchange.offices import add_org, county_office, send, township_office

Q2 = parse_quarter("2026-Q2")


@pytest.fixture
def beijing_time(monkeypatch):
    """This PC's clock in 北京时间 (UTC+8), as at the offices."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _send_at(monkeypatch, town, county, folder, stamp: str) -> None:
    """Export at `stamp` (UTC) and merge at the county at the same moment."""
    with monkeypatch.context() as clock:
        clock.setattr(exchange, "now_utc", lambda: stamp)
        send(town, county, folder)


@pytest.fixture
def offices(tmp_path, monkeypatch, beijing_time):
    county = county_office(tmp_path)
    towns = {}
    for name in ("白沙镇", "青山乡", "经开区"):
        (tmp_path / name).mkdir()
        towns[name] = township_office(tmp_path / name, name)
        add_org(towns[name], name, f"{name}一号企业", employee_count=10)
    # 白沙镇 last sent in the previous quarter; 青山乡 in this one and again
    # after the quarter's end; 经开区 never.
    _send_at(monkeypatch, towns["白沙镇"], county, tmp_path, "2026-03-20T02:00:00.000Z")
    _send_at(monkeypatch, towns["青山乡"], county, tmp_path, "2026-05-10T02:00:00.000Z")
    add_org(towns["青山乡"], "青山乡", "青山乡二号企业")
    _send_at(monkeypatch, towns["青山乡"], county, tmp_path, "2026-07-05T02:00:00.000Z")
    return county, towns


def _submission_table(report):
    found = [t for t in report.tables if t.header == TABLE_HEADER]
    return found[0] if found else None


def test_the_county_report_lists_every_township_for_the_reports_quarter(offices):
    county, _ = offices
    table = _submission_table(quarterly_report(county, Q2, date(2026, 7, 10)))
    assert table is not None and table.title.startswith("表8")
    rows = {r[0]: r for r in table.rows}
    assert [r[0] for r in table.rows] == ["白沙镇", "青山乡", "经开区"]
    # Sent only in Q1: flagged for Q2's report, its Q1 package still shown.
    assert rows["白沙镇"] == ("白沙镇", "第1号", "2026-03-20", "2026-03-20", rows["白沙镇"][4],
                           NOT_SENT)
    # The 5 July package is after Q2's end: Q2's report shows the May one.
    assert rows["青山乡"][1:4] == ("第1号", "2026-05-10", "2026-05-10") and rows["青山乡"][5] == SENT
    assert rows["经开区"] == ("经开区", "—", "—", "—", "—", NOT_SENT)
    assert table.marked_rows == (0, 2)
    assert table.total[-1] == "未报送 2 个"
    assert table.total[4] == rows["白沙镇"][4] + rows["青山乡"][4]


def test_the_same_packages_in_the_next_quarters_report(offices):
    county, _ = offices
    table = _submission_table(quarterly_report(county, parse_quarter("2026-Q3"), date(2026, 7, 10)))
    rows = {r[0]: r for r in table.rows}
    assert rows["青山乡"][1:3] == ("第2号", "2026-07-05") and rows["青山乡"][5] == SENT
    assert rows["白沙镇"][5] == NOT_SENT
    # And the quarter before: only 白沙镇 had sent by the end of Q1.
    table = _submission_table(quarterly_report(county, parse_quarter("2026-Q1"), date(2026, 7, 10)))
    assert [r[5] for r in table.rows] == [SENT, NOT_SENT, NOT_SENT]
    assert table.rows[1][1] == "—"  # 青山乡's first package was made in Q2


def test_a_package_made_after_midnight_local_time_counts_for_the_new_quarter(
        tmp_path, monkeypatch, beijing_time):
    county = county_office(tmp_path)
    (tmp_path / "t").mkdir()
    town = township_office(tmp_path / "t", "白沙镇")
    # 2026-04-01 01:00 北京时间 is still 31 March in UTC.
    _send_at(monkeypatch, town, county, tmp_path, "2026-03-31T17:00:00.000Z")
    rows = exchange.submissions(county, quarter=Q2)
    assert rows[0].township == "白沙镇" and rows[0].sent_this_quarter
    table = _submission_table(quarterly_report(county, Q2, date(2026, 4, 2)))
    assert table.rows[0][2:4] == ("2026-04-01", "2026-04-01")
    assert local_date("2026-03-31T15:59:59.999Z") == date(2026, 3, 31)
    assert local_date("2026-03-31T17:00:00") == date(2026, 4, 1)  # no zone: UTC
    assert local_date("") is None and local_date("garbage") is None


def test_a_townships_own_report_has_no_submissions_table(offices):
    _, towns = offices
    report = quarterly_report(towns["白沙镇"], Q2, date(2026, 7, 10))
    assert _submission_table(report) is None
    assert not any("数据报送" in t.title for t in report.tables)


def test_the_pdf_and_workbook_carry_the_table(offices, tmp_path):
    county, _ = offices
    result = stats.build_quarterly_report(county, "2026-Q2", tmp_path / "r.pdf",
                                          tmp_path / "r.xlsx", compiled_on=date(2026, 7, 10))
    text = "".join(page.extract_text() for page in PdfReader(result.pdf_path).pages)
    assert "数据报送情况" in text and NOT_SENT in text
    sheet = load_workbook(result.xlsx_path)["表8"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0][:2] == ["白沙镇", "第1号"] and values[0][5] == NOT_SENT
    assert sheet.cell(row=4, column=1).font.b and not sheet.cell(row=5, column=1).font.b
    assert isinstance(values[1][4], int)  # 行数 stays a number
