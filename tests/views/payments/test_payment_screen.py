"""The 补贴发放 screen, driven like a finance clerk: set the policy, create a run in
the dialog, check its lines and months to the fen, lock it, export and preview
the sheet; refusals are shown in Chinese and nothing typed is lost."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog

from desktop.domain.registry import Assessment, LiaisonOfficer, Organization, Posting
from desktop.services import payruns, policy, registry
from desktop.views.main_window import MainWindow
from desktop.views.payments.screen import (
    MONTH_COLUMNS, RUN_COLUMNS, LineFilter, PaymentScreen, RowsModel, line_columns,
)
from factories import id_number

TODAY = date(2026, 12, 31)


def add_officer(db, area_id, serial, name, start, end=None, org_name=None):
    """An officer posted to one new organization from `start` to `end`."""
    officer = registry.create(db, LiaisonOfficer(
        name=name, id_number=id_number(serial), home_unit="县委组织部",
        bank_name="农商银行", bank_account=f"62301000{serial:08d}"))
    org = registry.create(db, Organization(name=org_name or f"{name}驻点企业", area_id=area_id))
    registry.create(db, Posting(officer_id=officer, organization_id=org, start_on=start,
                                end_on=end))
    return officer


@pytest.fixture
def example(db, township_id):
    """POLICY.md §3's worked example: posted 2026-03-10 to 2026-05-20, daily, 2000.00."""
    policy.set_policy(db, 2026)
    return add_officer(db, township_id, 1, "张三", date(2026, 3, 10), date(2026, 5, 20),
                       org_name="示范科技有限公司")


@pytest.fixture
def make_screen(qtbot, context):
    def make():
        screen = PaymentScreen(context, today=lambda: TODAY)
        qtbot.addWidget(screen)
        screen.resize(1200, 800)
        screen.show()
        qtbot.waitExposed(screen)
        return screen
    return make


def texts(model, row):
    return [model.index(row, column).data() for column in range(model.columnCount())]


def column(model, header):
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def wait_idle(qtbot, screen):
    qtbot.waitUntil(lambda: not screen.busy, timeout=10000)


def create_in_dialog(qtbot, screen, kind, period):
    """Open 新建批次, choose the kind, type the period, press 生成草稿."""
    screen.new_button.click()
    dialog = screen.new_dialog
    assert dialog.isVisible()
    dialog.kind.set_value(kind)
    dialog.period.setEditText("")
    qtbot.keyClicks(dialog.period.lineEdit(), period)
    dialog.ok_button.click()
    wait_idle(qtbot, screen)
    return dialog


@pytest.mark.parametrize("period, label, total, months", [
    ("2026-Q2", "2026年第二季度", "3,290.32", [
        ["2026年4月", "30", "30", "2,000.00", "全月", ""],
        ["2026年5月", "20", "31", "1,290.32", "按日折算 20/31", ""],
        ["2026年6月", "0", "30", "0.00", "未派驻", ""]]),
    ("2026-03", "2026年3月", "1,419.35", [
        ["2026年3月", "22", "31", "1,419.35", "按日折算 22/31", ""]]),
])
def test_create_run_in_the_dialog_shows_lines_and_months(make_screen, qtbot, context, example,
                                                         period, label, total, months):
    screen = make_screen()
    assert screen.runs_model.rowCount() == 0 and screen.count_label.text() == "共 0 个批次"
    assert not screen.lock_button.isEnabled() and not screen.excel_button.isEnabled()

    dialog = create_in_dialog(qtbot, screen, "stipend", period)
    assert not dialog.isVisible() and dialog.error_label.isHidden()
    assert texts(screen.runs_model, 0)[:5] == ["工作补贴", label, "草稿", "1", total]
    assert screen.title_label.text() == f"{label} 工作补贴（草稿）"
    line = texts(screen.lines_model, 0)
    assert line == ["1", "张三", id_number(1)[:6] + "********" + id_number(1)[-4:],
                    "示范科技有限公司", "城关镇", str(sum(int(m[1]) for m in months)),
                    "2,000.00", total, ""]
    assert [texts(screen.months_model, r) for r in range(screen.months_model.rowCount())] \
        == months
    assert f"应发合计 {total} 元" in screen.summary_label.text()
    assert f"应发 {total} 元" in screen.line_label.text()
    assert screen.recompute_button.isEnabled() and screen.lock_button.isEnabled()
    stored = payruns.list_runs(context.db)
    assert [(r.kind, r.period, r.status) for r in stored] == [("stipend", period, "draft")]
    assert format(Decimal(stored[0].total_fen) / 100, ",.2f") == total


def test_worked_example_words_and_policy_in_the_summary(make_screen, qtbot, example):
    screen = make_screen()
    create_in_dialog(qtbot, screen, "stipend", "2026-Q2")
    summary = screen.summary_label.text()
    assert "共 1 人，应发合计 3,290.32 元（人民币叁仟贰佰玖拾元叁角贰分）" in summary
    assert "计算标准：每月 2,000.00 元，不足整月按日折算" in summary


def test_bad_period_shows_the_chinese_reason_and_keeps_the_input(make_screen, qtbot, context,
                                                                 example, type_text):
    screen = make_screen()
    dialog = create_in_dialog(qtbot, screen, "stipend", "2026-13")
    assert dialog.isVisible() and not dialog.error_label.isHidden()
    assert dialog.error_label.text() == "期间格式不正确：2026-13，应为 2026-03、2026-Q2 或 2026"
    assert dialog.period_text() == "2026-13" and dialog.ok_button.isEnabled()
    dialog.kind.set_value("bonus")
    dialog.period.setEditText("2026-Q1")
    dialog.ok_button.click()
    wait_idle(qtbot, screen)
    assert "绩效补贴按年度发放" in dialog.error_label.text()
    assert dialog.period_text() == "2026-Q1" and dialog.kind.value() == "bonus"
    assert payruns.list_runs(context.db) == []


def test_a_year_without_policy_offers_to_set_it_then_creates(make_screen, qtbot, context,
                                                             example, township_id):
    add_officer(context.db, township_id, 2, "李四", date(2025, 1, 1))
    screen = make_screen()
    dialog = create_in_dialog(qtbot, screen, "stipend", "2025-03")
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("2025年度尚未设置补贴标准")
    assert dialog.policy_button.isVisible()
    assert dialog.policy_button.text() == "设置2025年度补贴标准…"

    dialog.policy_button.click()
    editor = screen.policy_dialog
    assert editor.isVisible() and editor.year.value() == 2025
    assert editor.amounts["monthly"].text() == "2,000.00"  # POLICY.md defaults
    editor.save_button.click()
    assert not editor.isVisible() and policy.show_policy(context.db, 2025).year == 2025
    assert dialog.error_label.isHidden() and dialog.period_text() == "2025-03"

    dialog.ok_button.click()
    wait_idle(qtbot, screen)
    assert not dialog.isVisible()
    assert texts(screen.runs_model, 0)[:5] == ["工作补贴", "2025年3月", "草稿", "1", "2,000.00"]


def test_lock_asks_and_then_the_run_is_frozen(make_screen, qtbot, context, example, answer):
    run_id = payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    answer.yes = False
    screen.lock_button.click()
    assert len(answer.asked) == 1 and "永远不能修改" in answer.asked[0]
    assert "合计 3,290.32 元" in answer.asked[0]
    assert payruns.get_run(context.db, run_id).run.status == "draft"

    answer.yes = True
    screen.lock_button.click()
    assert payruns.get_run(context.db, run_id).run.status == "locked"
    assert screen.title_label.text() == "2026年第二季度 工作补贴（已锁定）"
    row = texts(screen.runs_model, 0)
    assert row[2] == "已锁定" and row[6].endswith("测试员")
    for button in (screen.recompute_button, screen.lock_button, screen.delete_button):
        assert not button.isEnabled()
    for button in (screen.excel_button, screen.pdf_button, screen.preview_button):
        assert button.isEnabled()
    assert "锁定：" in screen.summary_label.text() and "审计校验码" in screen.summary_label.text()


def test_a_stale_draft_is_refused_with_the_reason(make_screen, context, example, answer,
                                                  shown_errors):
    stale = payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    payruns.lock_run(context.db, payruns.create_stipend_run(context.db, "2026-04", today=TODAY))
    screen = make_screen()
    screen.open_run(stale)
    screen.lock_button.click()
    assert shown_errors == ["本批次有1人的补贴已由其他已锁定批次发放，请先重新计算本批次后再锁定"]
    assert payruns.get_run(context.db, stale).run.status == "draft"


def test_recompute_after_a_policy_change(make_screen, qtbot, context, example):
    payruns.create_stipend_run(context.db, "2026-03", today=TODAY)
    screen = make_screen()
    assert "已修改" not in screen.summary_label.text()
    policy.set_policy(context.db, 2026, monthly="2500")
    context.announce({"subsidy_policy"})
    assert "补贴标准在本批次生成后已修改，请重新计算" in screen.summary_label.text()
    screen.recompute_button.click()
    wait_idle(qtbot, screen)
    assert texts(screen.runs_model, 0)[4] == "1,774.19"  # 2500 × 22/31
    assert texts(screen.months_model, 0)[3] == "1,774.19"
    assert "原为 1,419.35 元" in screen.notice_label.text()
    assert "已修改" not in screen.summary_label.text()


def test_delete_a_draft_after_asking(make_screen, context, example, answer):
    keep = payruns.create_stipend_run(context.db, "2026-03", today=TODAY)
    gone = payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    screen.open_run(gone)
    screen.delete_button.click()
    assert "确定要删除草稿批次“2026年第二季度 工作补贴（草稿）”吗" in answer.asked[0]
    assert [r.id for r in payruns.list_runs(context.db)] == [keep]
    assert screen.runs_model.rowCount() == 1 and screen.detail.run.id == keep


def test_export_excel_through_the_save_dialog(make_screen, qtbot, context, example, monkeypatch,
                                              tmp_path):
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    offered = []

    def save_as(parent, title, start, file_filter, *args):
        offered.append((title, start, file_filter))
        return str(tmp_path / "二季度"), file_filter  # no suffix typed
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    screen.excel_button.click()
    wait_idle(qtbot, screen)
    assert offered[0][1].endswith("工作补贴发放表-2026年第二季度-草稿.xlsx")
    assert "*.xlsx" in offered[0][2]
    path = tmp_path / "二季度.xlsx"
    ws = load_workbook(path).active
    assert ws["A1"].value == "本县驻企联络员工作补贴发放表（2026年第二季度）"
    assert ws["B4"].value == "张三" and ws["C4"].value == id_number(1)
    assert Decimal(repr(ws["I4"].value)) * 100 == 329032
    assert str(path) in screen.notice_label.text()
    assert str(path) in screen.last_message.text()
    assert context.settings.last_dir == str(tmp_path)


def test_cancelled_save_dialog_writes_nothing(make_screen, context, example, monkeypatch,
                                             tmp_path):
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    screen.pdf_button.click()
    assert not screen.busy and list(tmp_path.glob("*.pdf")) == []


def test_print_preview_shows_the_sheet_pdf(make_screen, qtbot, context, example):
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    screen.preview_button.click()
    wait_idle(qtbot, screen)
    dialog = screen.preview_dialog
    assert dialog is not None and dialog.isVisible()
    preview = dialog.preview
    assert preview.page_count() == 1 and preview.print_button.isEnabled()
    assert preview.suggested_name == "工作补贴发放表-2026年第二季度-草稿.pdf"
    page = PdfReader(io.BytesIO(preview.pdf_bytes())).pages[0].extract_text()
    text = re.sub(r"\s+", "", page)
    assert "张三" in text and "3,290.32" in text and "草稿" in text


def test_bonus_run_shows_grades_and_reasons(make_screen, qtbot, context, township_id):
    policy.set_policy(context.db, 2026)
    graded = add_officer(context.db, township_id, 1, "甲", date(2026, 1, 1))
    add_officer(context.db, township_id, 2, "乙", date(2026, 1, 1))
    registry.create(context.db, Assessment(officer_id=graded, year=2026, grade="excellent"))
    screen = make_screen()
    create_in_dialog(qtbot, screen, "bonus", "2026")
    grade, note = column(screen.lines_model, "考核等次"), column(screen.lines_model, "备注")
    rows = {texts(screen.lines_model, r)[1]: texts(screen.lines_model, r)
            for r in range(screen.lines_model.rowCount())}
    assert (rows["甲"][grade], rows["甲"][7], rows["甲"][note]) == ("优秀", "10,000.00", "")
    assert (rows["乙"][grade], rows["乙"][7], rows["乙"][note]) == ("—", "0.00", "未考核")
    assert screen.months_view.isHidden() and screen.months_box.title() == "计算依据"
    assert list(rows) == ["乙", "甲"]  # sheet order: township, then name
    screen.lines_view.selectRow(1)
    assert screen.line_label.text() == (
        "甲：2026年度考核等次 优秀，全年驻企 365 天（全年 365 天），计算规则：优秀 全额，"
        "应发 10,000.00 元")
    screen.lines_view.selectRow(0)
    assert screen.line_label.text() == (
        "乙：2026年度未考核，全年驻企 365 天（全年 365 天），不发绩效补贴")


def test_search_finds_a_line_by_name_or_full_id_number(make_screen, qtbot, context, example,
                                                       township_id):
    add_officer(context.db, township_id, 2, "李四", date(2026, 1, 1))
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    assert screen.lines_filter.rowCount() == 2
    qtbot.keyClicks(screen.search, id_number(2))
    assert screen.lines_filter.rowCount() == 1
    assert "李四" in screen.line_label.text()
    assert texts(screen.months_model, 0)[3] == "2,000.00"
    screen.search.clear()
    assert screen.lines_filter.rowCount() == 2


def test_policy_dialog_edits_a_year_and_refuses_bad_amounts(make_screen, qtbot, context,
                                                            example, answer):
    screen = make_screen()
    announced = []
    context.events.data_changed.connect(announced.append)
    screen.policy_button.click()
    dialog = screen.policy_dialog
    assert dialog.isVisible() and dialog.year.value() == 2026
    dialog.year.setValue(2027)
    assert "2027年度尚未设置补贴标准" in dialog.state_label.text()
    assert [dialog.amounts[k].text() for k in ("monthly", "excellent", "good", "competent",
                                               "incompetent")] == [
        "2,000.00", "10,000.00", "5,000.00", "3,000.00", "0.00"]
    assert dialog.proration.value() == "daily" and dialog.min_days.value() == 0
    assert not dialog.prorate.value()

    monthly = dialog.amounts["monthly"]
    monthly.clear()
    qtbot.keyClicks(monthly, "12.345")
    assert monthly.error_label.text() == "金额最多保留两位小数"
    dialog.save_button.click()
    assert dialog.isVisible() and "每月工作补贴：金额最多保留两位小数" in dialog.error_label.text()
    dialog.amounts["good"].setText("-5")
    dialog.save_button.click()
    assert "良好：金额不能为负数" in dialog.error_label.text()
    assert [p.year for p in policy.list_policies(context.db)] == [2026]

    answer.yes = False  # switching years with unsaved edits asks; 否 keeps them
    dialog.year.setValue(2026)
    assert answer.asked and dialog.year.value() == 2027 and monthly.text() == "12.345"

    monthly.setText("2,500.5")
    dialog.amounts["good"].setText("6000")
    dialog.proration.set_value("half_month")
    dialog.min_days.setValue(90)
    dialog.prorate.setChecked(True)
    dialog.save_button.click()
    assert not dialog.isVisible()
    saved = policy.show_policy(context.db, 2027)
    assert (saved.monthly_stipend_fen, saved.bonus_fen["good"], saved.proration,
            saved.bonus_min_posted_days, saved.prorate_bonus) == (
        250050, 600000, "half_month", 90, True)
    assert frozenset({"subsidy_policy"}) in announced
    assert screen.notice_label.text() == "已保存2027年度补贴标准。"

    screen.edit_policy(2027)
    assert screen.policy_dialog.amounts["monthly"].text() == "2,500.50"
    assert "已设置" in screen.policy_dialog.state_label.text()


def test_runs_written_elsewhere_appear_and_the_filter_narrows(make_screen, context, example,
                                                              township_id):
    screen = make_screen()
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    registry.create(context.db, Assessment(officer_id=example, year=2026, grade="good"))
    payruns.create_bonus_run(context.db, 2026, today=TODAY)
    context.announce({"payment_run"})
    assert screen.runs_model.rowCount() == 2 and screen.count_label.text() == "共 2 个批次"
    screen.kind_filter.set_value("bonus")
    assert [texts(screen.runs_model, r)[0] for r in range(screen.runs_model.rowCount())] \
        == ["绩效补贴"]
    assert screen.title_label.text() == "2026年度 绩效补贴（草稿）"


@pytest.fixture
def owner():
    """Stands for the screen, which owns its models (set up before the model tester,
    so it outlives the tester's teardown)."""
    return QObject()


@pytest.mark.parametrize("shape", ["runs", "lines", "months", "filtered lines"])
def test_models_pass_the_qt_model_tester(owner, qtmodeltester, context, example, shape):
    detail = payruns.get_run(context.db,
                             payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY))
    rows, columns = {"runs": (payruns.list_runs(context.db), RUN_COLUMNS),
                     "months": (detail.lines[0].months, MONTH_COLUMNS)}.get(
        shape, (detail.lines, line_columns(detail)))
    model = RowsModel(columns, owner)
    model.set_rows(rows)
    if shape == "filtered lines":
        model = LineFilter(model, owner)
        model.set_text("张")
    assert model.rowCount() == len(rows)
    qtmodeltester.check(model, force_py=True)


def test_the_main_window_offers_the_screen_and_its_new_record(qtbot, context, example):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    screen = window.screen("补贴发放")
    assert isinstance(screen, PaymentScreen)
    window._on_screen("new_record")
    assert screen.new_dialog is not None and screen.new_dialog.isVisible()
    screen.new_dialog.reject()


def test_months_paid_by_a_locked_run_show_as_paid(make_screen, qtbot, context, example):
    payruns.lock_run(context.db, payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY))
    screen = make_screen()
    create_in_dialog(qtbot, screen, "stipend", "2026")
    assert texts(screen.lines_model, 0)[7:] == ["1,419.35", "部分月份已发放"]
    months = {texts(screen.months_model, r)[0]: texts(screen.months_model, r)[3:]
              for r in range(screen.months_model.rowCount())}
    assert months["2026年3月"] == ["1,419.35", "按日折算 22/31", ""]
    assert months["2026年4月"] == ["0.00", "全月", "已发放"]
    assert months["2026年5月"][0::2] == ["0.00", "已发放"]


def test_a_registry_change_warns_that_a_draft_may_be_stale(make_screen, context, example):
    payruns.create_stipend_run(context.db, "2026-Q2", today=TODAY)
    screen = make_screen()
    context.announce({"posting"})
    assert "可能需要重新计算" in screen.notice_label.text()


def test_an_adjustment_run_corrects_a_locked_run(make_screen, qtbot, context, example):
    """A wrong end date found after locking: 工作补贴调整 pays only the difference."""
    db = context.db
    payruns.lock_run(db, payruns.create_stipend_run(db, "2026-Q2", today=TODAY))
    posting = registry.postings_of(db, example)[0][0]
    registry.update(db, dataclasses.replace(posting, end_on=date(2026, 5, 31)))
    screen = make_screen()
    create_in_dialog(qtbot, screen, "adjustment", "2026-Q2")
    assert texts(screen.runs_model, 0)[:5] == ["工作补贴调整", "2026年第二季度", "草稿", "1",
                                             "709.68"]
    assert screen.title_label.text() == "2026年第二季度 工作补贴调整（草稿）"
    months = {texts(screen.months_model, r)[0]: texts(screen.months_model, r)[3:]
              for r in range(screen.months_model.rowCount())}
    assert months["2026年5月"] == ["709.68", "全月", "应发 2,000.00，已发 1,290.32"]
    assert months["2026年4月"] == ["0.00", "全月", "无差额"]


def test_an_adjustment_that_takes_back_says_so(make_screen, qtbot, context, example):
    db = context.db
    payruns.lock_run(db, payruns.create_stipend_run(db, "2026-Q2", today=TODAY))
    registry.delete(db, Posting, registry.postings_of(db, example)[0][0].id)
    screen = make_screen()
    create_in_dialog(qtbot, screen, "adjustment", "2026-Q2")
    assert "应发合计 -3,290.32 元" in screen.summary_label.text()
    assert "合计应退 3,290.32 元" in screen.summary_label.text()


def test_a_draft_overlapping_another_draft_warns_and_a_paid_period_is_refused(
        make_screen, qtbot, context, example):
    """Issue 14 §3: the service's warning is shown on screen; a second run for a
    period a locked run paid in full is refused in the dialog, with the reason."""
    screen = make_screen()
    create_in_dialog(qtbot, screen, "stipend", "2026-Q2")
    assert screen.last_message is None
    quarter = screen.detail.run.id
    create_in_dialog(qtbot, screen, "stipend", "2026-05")
    assert f"注意：另有期间重叠的工作补贴草稿批次：2026年第二季度（批次 {quarter[:8]}）" \
        in screen.notice_label.text()
    box = screen.last_message
    assert box.isVisible() and f"批次 {quarter[:8]}" in box.text()
    box.close()
    payruns.delete_run(context.db, screen.detail.run.id)
    payruns.lock_run(context.db, quarter)
    dialog = create_in_dialog(qtbot, screen, "stipend", "2026-Q2")
    assert dialog.isVisible() and dialog.error_label.text().startswith(
        f"2026年第二季度的工作补贴已由已锁定的批次 {quarter[:8]}全部发放")
    dialog.reject()
