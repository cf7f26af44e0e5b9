"""The 审计日志 screen driven like a clerk would: filters applied with Enter or the
table drop-down, a page at a time, the chosen entry's before and after, the chain
line green then red, the export through a patched file dialog, and the screen
offered only to administrators and reviewers."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.domain import access
from desktop.domain.registry import LiaisonOfficer
from desktop.services import accounts, registry, users
from desktop.services.workspace import database_path
from desktop.views import screens
from desktop.views import paged_model
from desktop.views.audit.screen import AuditLogScreen
from desktop.views.context import AppContext
from desktop.views.settings import AppSettings
from factories import id_number

PASSWORD = "secret2026"


@pytest.fixture
def office(db):
    """An administrator (signed in at the end), a clerk who changed an officer's phone, a viewer."""
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    for login, role in (("clerk", access.CLERK), ("viewer", access.VIEWER),
                        ("reviewer", access.REVIEWER)):
        accounts.add_user(db, login, [role], display_name=f"{access.ROLE_LABELS[role]}甲",
                          password=PASSWORD, must_change=False)
    users.sign_in(db, "clerk", PASSWORD)
    officer_id = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1),
                                                    phone="13800001111"))
    officer = registry.get(db, LiaisonOfficer, officer_id)
    registry.update(db, dataclasses.replace(officer, phone="13900002222"))
    users.sign_in(db, "admin", PASSWORD)
    return db


@pytest.fixture
def screen(office, qtbot, _home):
    context = AppContext(office, operator=users.signed_in_operator(office),
                         settings=AppSettings(_home / "settings.ini"))
    widget = AuditLogScreen(context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.chain_task.done, timeout=10_000)
    return widget


def rows(screen) -> list:
    return [screen.model.record_at(r) for r in range(screen.model.total)]


def test_the_chain_line_is_green_when_the_log_is_whole(screen):
    assert screen.chain_label.text().startswith("审计日志完整")
    assert "#1a7f37" in screen.chain_label.styleSheet()


def test_the_chain_line_turns_red_after_the_log_was_edited(screen, office, qtbot):
    raw = sqlite3.connect(database_path(office), isolation_level=None)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET operator = '别人' WHERE id = 3")
    raw.close()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.chain_task.done, timeout=10_000)
    assert screen.chain_label.text() == "审计日志已被改动：第 3 条起与校验值不符"
    assert "#d9363e" in screen.chain_label.styleSheet()


def test_enter_in_the_operator_field_applies_it(screen, qtbot, type_text):
    everyone = screen.model.total
    type_text(screen.operator, "录入员甲")
    assert screen.model.total == everyone  # typing alone does not refilter
    qtbot.keyClick(screen.operator, Qt.Key.Key_Return)
    shown = rows(screen)
    assert 0 < len(shown) < everyone and all(e.operator.startswith("录入员甲") for e in shown)
    assert screen.count_label.text() == f"共 {len(shown)} 条（最新的在前）"


def test_the_table_drop_down_applies_at_once_and_the_record_id_narrows_it(screen, qtbot):
    screen.table_combo.setCurrentIndex(screen.table_combo.findData("liaison_officer"))
    officers = rows(screen)
    assert [e.action_label for e in officers] == ["修改", "新增"]
    screen.row_id.setText(officers[0].row_id)
    qtbot.keyClick(screen.row_id, Qt.Key.Key_Enter)
    assert {e.row_id for e in rows(screen)} == {officers[0].row_id}


def test_dates_the_wrong_way_round_are_said_under_the_filters(screen, qtbot):
    screen.date_from.setDate(screen.date_from.date().currentDate())
    screen.date_to.setDate(screen.date_from.date().addDays(-1))
    qtbot.keyClick(screen.date_to, Qt.Key.Key_Return)
    assert screen.problem_label.text() == "起始日期不能晚于截止日期"
    assert not screen.problem_label.isHidden()


def test_choosing_an_entry_shows_its_before_and_after_masked(screen):
    screen.table_combo.setCurrentIndex(screen.table_combo.findData("liaison_officer"))
    screen.table.selectRow(0)
    text = screen.detail.text()
    assert "修改（联络员）" in text and "联系电话 | 138****1111 | 139****2222" in text
    assert "13800001111" not in text and "13900002222" not in text
    assert screen.current_entry().action == "update"


def test_the_list_is_fetched_a_page_at_a_time(office, qtbot, _home, monkeypatch):
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 5)
    context = AppContext(office, operator="", settings=AppSettings(_home / "s.ini"))
    widget = AuditLogScreen(context)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.model.cached_rows == 5
    qtbot.waitUntil(lambda: widget.chain_task.done and not widget.model.counting,
                    timeout=10_000)
    total = office.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    # counted, not loaded: only the pages of the rows on screen are held
    assert widget.model.total == total and widget.model.cached_rows < total


def test_ctrl_f_goes_to_the_filters(screen, qtbot):
    screen.table.setFocus()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=5_000)
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.operator.hasFocus()


def test_export_writes_the_filtered_log_off_the_gui_thread(screen, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "out" / "审计"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    screen.table_combo.setCurrentIndex(screen.table_combo.findData("liaison_officer"))
    task = screen.export_view()
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    written = target.with_name("审计.xlsx")
    ws = load_workbook(written).active
    assert [c.value for c in ws[3]][1:] == ["时间（本地时间）", "操作人", "表", "记录", "操作", "变更内容"]
    assert ws.max_row == 5 and ws["G4"].value == "联系电话：138****1111 → 139****2222"
    assert "已导出 2 条审计记录" in screen.last_dialog.text()


@pytest.mark.parametrize(("login", "listed"), [("viewer", False), ("clerk", False),
                                                ("reviewer", True), ("admin", True)])
def test_the_screen_is_listed_only_for_roles_that_read_the_log(office, login, listed):
    users.sign_in(office, login, PASSWORD)
    labels = [label for label, _ in screens.available(
        allows=lambda action: users.allows(office, action))]
    assert ("审计日志" in labels) is listed
    if listed:
        assert labels[-1] == "设置" and labels.index("审计日志") >= len(labels) - 3


def test_a_viewer_who_reaches_the_screen_anyway_sees_the_refusal(office, qtbot, _home):
    users.sign_in(office, "viewer", PASSWORD)
    context = AppContext(office, operator="", settings=AppSettings(_home / "v.ini"))
    widget = AuditLogScreen(context)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.chain_task.done, timeout=10_000)
    assert widget.problem_label.text() == "当前用户（查看）无权查看审计日志"
    assert widget.chain_label.text() == "当前用户（查看）无权查看审计日志"
    assert widget.model.total == 0
