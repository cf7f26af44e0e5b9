"""督办通知单… on the 问题清单 screen: the dialog is prefilled with the unit in
view, refuses a unit with nothing open (and stays), and hands the PDF drawn in
a worker to the print preview. The dialog's open() and the preview's show()
are patched: no real window is shown, let alone a modal one."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.domain.problems import Problem
from desktop.domain.registry import Organization
from desktop.services import problems, registry
from desktop.views.printing.dialog import PreviewDialog
from desktop.views.problems.notice import NoticeDialog
from desktop.views.problems.screen import ProblemScreen

TODAY = date.today()


def _problem(db, org, description, *, deadline, unit="县人社局"):
    return problems.add_problem(db, Problem(
        organization_id=org, found_on=TODAY - timedelta(days=60), category="recruitment",
        description=description, responsible_unit=unit, deadline=TODAY + timedelta(days=deadline)))


@pytest.fixture
def county(db, township_id):
    org = registry.create(db, Organization(name="城关快递有限公司", area_id=township_id))
    late = _problem(db, org, "招工缺口30人", deadline=-12)
    _problem(db, org, "稳岗补贴未到账", deadline=10, unit="县财政局")
    done = _problem(db, org, "厂房审批慢", deadline=-5, unit="县住建局")
    problems.advance(db, done, "resolved", note="已办结")
    return {"late": late}


@pytest.fixture
def windows(monkeypatch):
    """The dialogs the screen opened and the previews it showed, none on screen."""
    seen = {"dialogs": [], "previews": []}
    monkeypatch.setattr(NoticeDialog, "open", lambda self: seen["dialogs"].append(self))
    monkeypatch.setattr(PreviewDialog, "show", lambda self: seen["previews"].append(self))
    return seen


def _screen(qtbot, context):
    screen = ProblemScreen(context)
    qtbot.addWidget(screen)
    return screen


def _press_preview(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_selected_problems_unit_goes_to_the_preview(qtbot, context, county, windows):
    screen = _screen(qtbot, context)
    screen.table.selectRow(0)  # 招工缺口30人, 县人社局
    screen.notice_button.click()
    (dialog,) = windows["dialogs"]
    assert dialog.unit.currentText() == "县人社局"
    assert [dialog.unit.itemText(k) for k in range(dialog.unit.count())] == [
        "县人社局", "县住建局", "县财政局"]
    assert dialog.as_of.value() == TODAY
    dialog.number.setText("5")
    _press_preview(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: bool(windows["previews"]), timeout=15000)
    (preview,) = windows["previews"]
    assert preview.preview.page_count() == 1
    assert "县人社局" in preview.title_label.text()
    assert preview.preview.suggested_name == f"督办通知单-县人社局-{TODAY:%Y%m%d}.pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=preview.preview.pdf_bytes(),
                          capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    for expected in (f"督办〔{TODAY.year}〕5号", "县人社局：", "城关快递有限公司", "招工缺口30人",
                     "逾期12天", "签收人："):
        assert expected in flat, expected


def test_the_unit_filter_prefills_and_a_unit_with_nothing_open_is_refused(
        qtbot, context, county, windows, shown_errors):
    screen = _screen(qtbot, context)
    screen.unit.setText("县住建局")
    screen.apply_filter()
    assert screen.current_record() is None  # its one problem is closed: the list is empty
    screen.supervision_notice()
    (dialog,) = windows["dialogs"]
    assert dialog.unit.currentText() == "县住建局"
    _press_preview(dialog)
    assert shown_errors == ["该责任单位没有未办结的问题：县住建局"]
    assert dialog.result() != QDialog.DialogCode.Accepted and screen.notice.task is None
    dialog.as_of.line.setText("2026-02-30")
    dialog.unit.setCurrentText("县财政局")
    _press_preview(dialog)
    assert "截至日期" in shown_errors[-1] and screen.notice.task is None
    dialog.as_of.set_value(TODAY)
    _press_preview(dialog)
    qtbot.waitUntil(lambda: bool(windows["previews"]), timeout=15000)
    assert "县财政局" in windows["previews"][0].title_label.text()
