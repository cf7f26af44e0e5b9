"""The 季度报表 screen, driven like a clerk: pick a quarter, read the tables and
charts, see them follow the registry, preview, print, and export PDF and Excel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pypdf import PdfReader

from desktop.domain.coverage import Bar
from desktop.domain.periods import Period
from desktop.domain.problems import Problem
from desktop.domain.registry import Instructor, InstructorAssignment, Organization
from desktop.errors import UserError
from desktop.services import exchange, problems, registry, stats
from desktop.views.stats import screen as stats_screen
from desktop.views.printing.preview import PdfPreview
from desktop.views.stats.screen import StatsScreen
from desktop.views.stats.tables import ReportTableModel, cell_text, header_labels
from factories import id_number

TODAY = date(2026, 8, 15)  # Q3 2026 under way: Q2 is the latest finished quarter
Q1, Q2 = Period("quarter", 2026, 1), Period("quarter", 2026, 2)
TITLE = "示范县两新组织党建工作季度统计报表（2026年第二季度）"
WAIT = 10000


def _org(db, area, name, **fields):
    return registry.create(db, Organization(name=name, area_id=area, **fields))


@pytest.fixture
def county(db, township_id):
    """城关镇 on 2026-06-30: 7 enterprises, 3 with a Party organization (one set up
    in Q2), 2 more with a union, one guided by an instructor, one registered in Q2.
    经开区 has none: every rate there is "—"."""
    town = township_id
    for k in range(2):
        _org(db, town, f"老党组织企业{k}", party_org_form="standalone",
             party_org_established_on=date(2026, 1, 10), party_member_count=3, employee_count=20)
    _org(db, town, "新建联合党组织企业", party_org_form="joint",
         party_org_established_on=date(2026, 5, 1), employee_count=10)
    for k in range(2):
        _org(db, town, f"工会企业{k}", has_union=True, employee_count=5)
    guided = _org(db, town, "指导员挂钩企业")
    _org(db, town, "二季度登记企业", registered_on=date(2026, 4, 15))
    person = registry.create(db, Instructor(name="王指导", id_number=id_number(1)))
    registry.create(db, InstructorAssignment(person, guided, date(2026, 1, 1)))
    return db


@pytest.fixture
def make_screen(qtbot, context, monkeypatch):
    monkeypatch.setattr(stats_screen, "_today", lambda: TODAY)

    def make():
        screen = StatsScreen(context)
        qtbot.addWidget(screen)
        screen.resize(1200, 800)
        screen.show()
        qtbot.waitExposed(screen)
        qtbot.waitUntil(lambda: screen.report is not None and not screen._busy, timeout=WAIT)
        return screen
    return make


def choose(qtbot, screen, quarter):
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT):
        screen.set_quarter(quarter)


def cells(screen, table):
    model = screen.models[table]
    return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def save_as(monkeypatch, path):
    """Answer the save dialog with `path` and record what it offered."""
    offered: list[str] = []

    def answer(parent, caption, start, filters, *args, **kwargs):
        offered.append(start)
        return str(path), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return offered


def test_defaults_to_the_latest_finished_quarter_and_refuses_future_ones(make_screen, county,
                                                                         qtbot):
    screen = make_screen()
    assert screen.selected_quarter() == Q2
    assert screen.title_label.text() == TITLE
    assert "统计时点：2026年6月30日（与上季度末2026年3月31日比较）" in screen.as_of_label.text()
    assert screen.notice.isHidden()
    model = screen.quarter_box.model()
    assert [model.item(k).isEnabled() for k in range(4)] == [True, True, True, False]
    assert screen.year_box.maximum() == 2026

    choose(qtbot, screen, Period("quarter", 2026, 4))  # not begun: the current one instead
    assert screen.selected_quarter() == Period("quarter", 2026, 3)
    assert "本季度尚未结束" in screen.notice.text() and not screen.notice.isHidden()
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT):
        screen.year_box.setValue(2025)
    assert screen.title_label.text().endswith("（2025年第三季度）")
    assert all(model.item(k).isEnabled() for k in range(4)) and screen.notice.isHidden()


def test_coverage_table_shows_the_printed_rates_totals_and_dashes(make_screen, county):
    screen = make_screen()
    assert cells(screen, 0) == [
        ("城关镇", "7", "3", "42.9%", "4", "2", "50.0%", "75.0%", "6", "60", "1"),
        ("经开区", "0", "0", "—", "0", "0", "—", "—", "0", "0", "0"),
        ("合计", "7", "3", "42.9%", "4", "2", "50.0%", "75.0%", "6", "60", "1"),
    ]
    model = screen.models[0]
    assert model.is_total_row(2) and not model.is_total_row(1)
    assert model.index(2, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    right = model.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight
    assert model.headerData(3, Qt.Orientation.Horizontal) == "党组织\n覆盖率"
    assert screen.captions[0].text() == "表1  各乡镇（街道、园区）“两个覆盖”情况"
    assert screen.summary.text().startswith(
        "目前，全县7家非公企业中，成立党组织3家，群团组织2家，党组织覆盖率42.9%，")
    assert "本季度新建党组织1个，其中联合组建1个。" in screen.summary.text()


def test_change_against_the_previous_quarter(make_screen, county):
    screen = make_screen()
    assert cells(screen, 1) == [
        ("城关镇", "7", "+1", "3", "+1", "42.9%", "33.3%", "+9.6", "75.0%", "0.0"),
        ("经开区", "0", "0", "0", "0", "—", "—", "—", "—", "—"),
        ("合计", "7", "+1", "3", "+1", "42.9%", "33.3%", "+9.6", "75.0%", "0.0"),
    ]
    assert header_labels(screen.models[1].table())[1:3] == ["组织数\n本季度", "组织数\n增减"]


def test_forms_people_and_the_charts(make_screen, county):
    screen = make_screen()
    assert cells(screen, 2)[-1] == ("合计", "2", "1", "0", "3", "0", "1", "0", "1")
    people = dict((row[0], row[1:]) for row in cells(screen, 5))
    assert people["党建工作指导员（名）"] == ("1", "1", "0")
    assert people["挂钩指导的组织（家）"] == ("1", "1", "0")
    assert people["本季度发放工作补贴（元）"] == ("0.00", "0.00", "0")

    assert screen.coverage_chart.bars() == (Bar("城关镇", 429, "42.9%"),
                                            Bar("经开区", None, "—（无组织）"))
    assert screen.coverage_chart.reference() == Bar("合计", 429, "42.9%")
    assert [b.text for b in screen.forms_chart.bars()] == [
        "2个（66.7%）", "1个（33.3%）", "0个（0.0%）"]
    assert [b.tenths for b in screen.forms_chart.bars()] == [667, 333, 0]
    for chart in (screen.coverage_chart, screen.forms_chart):
        assert not chart.grab().isNull()  # paints without error


def test_an_empty_registry_draws_empty_charts(make_screen):
    screen = make_screen()
    assert screen.forms_chart.bars() == ()
    assert screen.forms_chart.empty_text == "统计时点尚无已建党组织"
    assert cells(screen, 0)[-1][:4] == ("合计", "0", "0", "—")
    assert not screen.forms_chart.grab().isNull()


def test_a_registry_change_recomputes_the_report(make_screen, county, context, qtbot):
    screen = make_screen()
    zone = next(a.id for a in registry.townships(context.db) if a.name == "经开区")
    _org(context.db, zone, "园区企业", party_org_form="regional")
    serial = screen._serial
    context.announce({"bulletin"})
    assert screen._serial == serial  # not a table the report counts
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT):
        context.announce({"organization"})
    assert cells(screen, 0)[1][:4] == ("经开区", "1", "1", "100.0%")
    assert cells(screen, 0)[-1][:4] == ("合计", "8", "4", "50.0%")


def test_table_7_shows_the_problems_and_follows_a_step(make_screen, county, context, qtbot):
    org = registry.list_all(context.db, Organization)[0][0].id
    found = problems.add_problem(context.db, Problem(
        organization_id=org, found_on=date(2026, 5, 6), category="financing", description="贷款难",
        responsible_unit="县金融办", deadline=date(2026, 6, 20)), today=TODAY)
    screen = make_screen()
    assert screen.table_tabs.tabText(6) == "表7 问题清单"
    assert screen.captions[6].text().startswith("表7  问题清单办理情况")
    assert header_labels(screen.models[6].table())[2] == "其中本季度\n新发现"
    # Open and past its deadline on 30 June.
    assert cells(screen, 6) == [("城关镇", "1", "1", "0", "0", "1", "1", "—", "—"),
                                ("经开区", "0", "0", "0", "0", "0", "0", "—", "—"),
                                ("合计", "1", "1", "0", "0", "1", "1", "—", "—")]
    assert "累计发现两新组织反映的问题1个" in screen.summary.text()
    problems.advance(context.db, found, "resolved", on=date(2026, 6, 18), today=TODAY)
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT):
        context.announce({"problem_step"})
    assert cells(screen, 6)[-1] == ("合计", "1", "1", "1", "0", "0", "0", "100.0%", "—")


def test_a_hidden_screen_catches_up_when_shown(make_screen, county, context, qtbot):
    screen = make_screen()
    screen.hide()
    _org(context.db, next(a.id for a in registry.townships(context.db) if a.name == "经开区"),
         "园区企业")
    serial = screen._serial
    context.announce({"organization"})
    assert screen._serial == serial and screen._stale
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT):
        screen.show()
    assert cells(screen, 0)[1][:2] == ("经开区", "1")


def test_only_the_latest_choice_is_shown(make_screen, county, qtbot):
    screen = make_screen()
    shown = []
    screen.report_shown.connect(lambda: shown.append(screen.title_label.text()))
    screen.set_quarter(Q1)
    assert not screen.pdf_button.isEnabled()  # no action on a report being replaced
    screen.set_quarter(Q2)
    qtbot.waitUntil(lambda: not screen._busy, timeout=WAIT)
    assert shown == [TITLE] and screen.pdf_button.isEnabled()


def test_preview_then_print_from_it(make_screen, county, qtbot, monkeypatch):
    printed = []
    monkeypatch.setattr(PdfPreview, "print_with_dialog",
                        lambda preview: printed.append(preview.page_count()))
    screen = make_screen()
    screen.preview_button.click()
    assert screen.tabs.currentIndex() == stats_screen.PREVIEW_TAB
    qtbot.waitUntil(lambda: screen.preview.page_count() > 0, timeout=WAIT)
    assert screen.preview.suggested_name == f"{TITLE}.pdf"
    first = screen.preview.pdf_bytes()
    screen.print_button.click()  # the PDF on screen is printed, not rendered again
    assert printed == [screen.preview.page_count()] and screen.preview.pdf_bytes() is first

    choose(qtbot, screen, Q1)  # the preview follows the quarter
    qtbot.waitUntil(lambda: screen.preview.pdf_bytes() not in (None, first), timeout=WAIT)
    assert screen.preview.suggested_name.endswith("（2026年第一季度）.pdf")


def test_print_from_the_tables_renders_then_prints(make_screen, county, qtbot, monkeypatch):
    printed = []
    monkeypatch.setattr(PdfPreview, "print_with_dialog",
                        lambda preview: printed.append(preview.page_count()))
    screen = make_screen()
    screen.print_button.click()
    qtbot.waitUntil(lambda: bool(printed), timeout=WAIT)
    assert printed[0] > 0 and screen.tabs.currentIndex() == stats_screen.REPORT_TAB


def test_export_pdf(make_screen, county, qtbot, monkeypatch, tmp_path, context):
    offered = save_as(monkeypatch, tmp_path / "二季度报表")  # the suffix is added
    screen = make_screen()
    screen.pdf_button.click()
    out = tmp_path / "二季度报表.pdf"
    qtbot.waitUntil(lambda: "已导出 PDF" in screen.notice.text(), timeout=WAIT)
    assert offered[0].endswith(f"{TITLE}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert TITLE in text and "42.9%" in text
    assert context.settings.last_dir == str(tmp_path)


def test_export_excel(make_screen, county, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "报表.xlsx"
    save_as(monkeypatch, out)
    screen = make_screen()
    assert screen.export_view() == out  # the screen hook is the workbook export
    qtbot.waitUntil(lambda: "已导出 Excel" in screen.notice.text(), timeout=WAIT)
    book = load_workbook(out)
    assert book["概况"]["A1"].value == TITLE
    rows = [tuple(c.value for c in row[:4]) for row in book["表1"].iter_rows()]
    assert ("城关镇", 7, 3, "42.9%") in rows and ("经开区", 0, 0, "—") in rows
    assert rows[-1] == ("合计", 7, 3, "42.9%")


def test_cancelled_save_dialog_writes_nothing(make_screen, county, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: ("", "")))
    screen = make_screen()
    assert screen.export_pdf() is None and screen.export_excel() is None
    assert list(tmp_path.glob("*.pdf")) == [] and screen.notice.isHidden()


def test_unwritable_exports_are_shown_in_chinese(make_screen, county, qtbot, monkeypatch,
                                                 tmp_path, shown_errors):
    save_as(monkeypatch, tmp_path / "无此文件夹" / "报表.xlsx")
    screen = make_screen()
    screen.xlsx_button.click()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=WAIT)
    assert "文件夹不存在" in shown_errors[0]
    save_as(monkeypatch, tmp_path / "无此文件夹" / "报表.pdf")
    screen.pdf_button.click()
    qtbot.waitUntil(lambda: len(shown_errors) == 2, timeout=WAIT)
    assert "文件夹不存在" in shown_errors[1]


def test_table_model_contract_and_money_cells(qtmodeltester, make_screen, county):
    screen = make_screen()
    qtmodeltester.check(ReportTableModel(screen.models[0].table()))
    assert cell_text(Decimal("12345.5")) == "12,345.50" and cell_text(42) == "42"


def test_a_failed_computation_is_shown_and_never_leaves_another_quarter(make_screen, county,
                                                                        qtbot, monkeypatch,
                                                                        shown_errors):
    screen = make_screen()

    def refuse(db, quarter, compiled_on):
        raise UserError("数据库正忙，请稍后再试")
    monkeypatch.setattr(stats, "quarterly_report", refuse)
    screen.refresh()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=WAIT)
    assert shown_errors == ["数据库正忙，请稍后再试"]
    assert not screen._busy and screen.pdf_button.isEnabled()  # the report shown stays usable
    assert screen.title_label.text() == TITLE

    screen.set_quarter(Q1)  # another quarter fails: Q2's figures must not stay under Q1
    qtbot.waitUntil(lambda: len(shown_errors) == 2, timeout=WAIT)
    assert screen.report is None and not screen.pdf_button.isEnabled()
    assert cells(screen, 0) == [] and screen.coverage_chart.bars() == ()
    assert "未能统计2026年第一季度" in screen.as_of_label.text()


def test_the_county_sees_table_8_and_a_township_does_not(make_screen, county, qtbot):
    screen = make_screen()
    assert screen.table_tabs.isTabVisible(7) and screen.captions[7].text().startswith("表8")
    rows = cells(screen, 7)
    assert [r[0] for r in rows] == ["城关镇", "经开区", "合计"]
    assert rows[0][1:] == ("—", "—", "—", "—", "本季度未报送")
    model = screen.models[7]
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()  # never sent: marked
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignHCenter
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) \
        != screen.models[0].index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)

    exchange.set_installation(county, "township", "城关镇")
    township = make_screen()
    assert not township.table_tabs.isTabVisible(7) and len(township.report.tables) == 7
    assert township.table_tabs.isTabVisible(6)  # 表7 问题清单: every installation
    assert [r[0] for r in cells(township, 0)] == ["城关镇", "合计"]  # not 经开区 as empty
