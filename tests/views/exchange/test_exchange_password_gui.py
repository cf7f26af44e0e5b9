"""The exchange password in the GUI: 设置 → 交换口令, and the password asked for
by restore, 导入交换包 and 生成交换包 (dialogs patched: no real modal opens)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.db import sealed
from desktop.domain.registry import Organization
from desktop.services import exchange, maintenance, registry, sealing
from desktop.views.context import AppContext
from desktop.views.exchange.actions import ExchangeActions
from desktop.views.maintenance_actions import MaintenanceActions
from desktop.views.security import password_dialog
from desktop.views.security.settings_box import SET_TEXT, UNSET_TEXT, ExchangePasswordBox
from desktop.views.settings import AppSettings
from desktop.views.setup.screen import SettingsScreen
from tests.exchange.offices import add_org, county_office, township_office

PASSWORD = "jiaohuan2026"
WAIT = 10000


@pytest.fixture
def typed(monkeypatch):
    """What the password dialog answers (None: 取消), and what it was asked."""
    class Typed:
        answer: str | None = PASSWORD
        asked: list[str] = []
    Typed.asked = []

    def ask(parent, title, text):
        Typed.asked.append(text)
        return Typed.answer
    monkeypatch.setattr(password_dialog, "ask_password", ask)
    return Typed


def test_settings_sets_the_password_typed_twice(qtbot, context, db):
    box = ExchangePasswordBox(context)
    qtbot.addWidget(box)
    assert box.status.text() == UNSET_TEXT and not box.clear_button.isEnabled()
    box.change()
    dialog = box.dialog
    dialog.password.setText(PASSWORD)
    dialog.repeated.setText(PASSWORD + "x")
    dialog.try_accept()
    assert "两次输入的交换口令不一致" in dialog.error.text() and dialog.isVisible()
    assert not sealing.is_set(db)

    dialog.repeated.setText(PASSWORD)
    dialog.try_accept()
    assert not dialog.isVisible() and sealing.is_set(db)
    assert box.status.text() == SET_TEXT and box.set_button.text() == "更改交换口令…"


def test_settings_clears_the_password_after_asking(qtbot, context, db, answer):
    sealing.set_password(db, PASSWORD, PASSWORD)
    box = ExchangePasswordBox(context)
    qtbot.addWidget(box)
    answer.yes = False
    box.clear()
    assert sealing.is_set(db)
    answer.yes = True
    box.clear()
    assert not sealing.is_set(db) and box.status.text() == UNSET_TEXT
    assert "不再加密" in answer.asked[0]


def test_the_settings_screen_has_the_section(qtbot, context):
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    assert screen.exchange_password.title() == "交换口令"


def _restore(qtbot, context, monkeypatch, chosen) -> MaintenanceActions:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "")))
    window = QWidget()
    qtbot.addWidget(window)
    actions = MaintenanceActions(window, context)
    actions.restore()
    return actions


@pytest.fixture
def sealed_backup(db, township_id, tmp_path):
    registry.create(db, Organization(name="备份里的企业", area_id=township_id))
    sealing.set_password(db, PASSWORD, PASSWORD)
    (tmp_path / "usb").mkdir()
    path = maintenance.backup_now(db, tmp_path / "usb", password=PASSWORD)
    registry.create(db, Organization(name="备份之后的企业", area_id=township_id))
    return path


def _names(db) -> set[str]:
    return {o.name for o, _ in registry.list_organizations(db).rows}


def test_restoring_a_sealed_backup_asks_for_the_password(qtbot, context, db, answer, typed,
                                                         sealed_backup, monkeypatch):
    actions = _restore(qtbot, context, monkeypatch, sealed_backup)
    qtbot.waitUntil(lambda: actions.last_dialog is not None, timeout=WAIT)
    assert sealed_backup.name in typed.asked[0]
    assert "已从备份恢复" in actions.last_dialog.text()
    assert _names(db) == {"备份里的企业"}


def test_a_wrong_password_is_refused_in_chinese_and_nothing_changes(
        qtbot, context, db, answer, typed, sealed_backup, monkeypatch, shown_errors):
    typed.answer = "wrongpass123"
    before = db.total_changes
    _restore(qtbot, context, monkeypatch, sealed_backup)
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=WAIT)
    assert shown_errors == ["交换口令不正确，或文件已被改动，未恢复，当前数据未改变"]
    assert _names(db) == {"备份里的企业", "备份之后的企业"} and db.total_changes == before


def test_cancelling_the_password_restores_nothing(qtbot, context, db, answer, typed,
                                                  sealed_backup, monkeypatch):
    typed.answer = None
    actions = _restore(qtbot, context, monkeypatch, sealed_backup)
    qtbot.wait(200)
    assert actions.last_dialog is None and len(_names(db)) == 2


@pytest.fixture
def offices(tmp_path):
    county, town = county_office(tmp_path), township_office(tmp_path, "白沙镇")
    add_org(town, "白沙镇", "白沙快递")
    for office in (county, town):
        sealing.set_password(office, PASSWORD, PASSWORD)
    yield county, town
    county.close()
    town.close()


def _actions(db, home) -> ExchangeActions:
    return ExchangeActions(None, AppContext(db, operator="测试员",
                                            settings=AppSettings(home / "x.ini")))


def test_export_asks_for_the_offices_password_and_seals(qtbot, offices, _home, tmp_path, typed,
                                                       monkeypatch):
    _, town = offices
    actions = _actions(town, _home)
    typed.answer = None
    assert actions.export(tmp_path / "out.lxpkg") is None  # 取消: nothing written
    assert not (tmp_path / "out.lxpkg").exists()
    monkeypatch.setattr(password_dialog, "ask_password", lambda *a: PASSWORD)
    shown = []
    monkeypatch.setattr("desktop.views.exchange.actions.inform", lambda p, t, text: shown.append(text))
    handle = actions.export(tmp_path / "out.lxpkg")
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT)
    assert sealed.is_sealed(tmp_path / "out.lxpkg") and "交换包已生成" in shown[0]


def test_importing_a_sealed_package_asks_once_for_preview_and_merge(qtbot, offices, _home,
                                                                   tmp_path, typed, monkeypatch):
    county, town = offices
    path = exchange.export_package(town, tmp_path, password=PASSWORD)
    monkeypatch.setattr("desktop.views.exchange.actions.inform", lambda *a: None)
    actions = _actions(county, _home)
    actions.preview(path)
    qtbot.waitUntil(lambda: actions.dialog is not None, timeout=WAIT)
    dialog = actions.dialog
    qtbot.addWidget(dialog)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=WAIT)
    assert len(typed.asked) == 1 and path.name in typed.asked[0]
    assert "白沙快递" in _names(county) and actions.password is None


def test_a_wrong_package_password_is_refused_and_asked_again_next_time(
        qtbot, offices, _home, tmp_path, typed, shown_errors):
    county, town = offices
    path = exchange.export_package(town, tmp_path, password=PASSWORD)
    typed.answer = "wrongpass123"
    actions = _actions(county, _home)
    handle = actions.preview(path)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT)
    assert shown_errors == ["交换口令不正确，或文件已被改动，未导入"]
    assert actions.dialog is None and exchange.exchange_log(county) == []
    actions.preview(path)
    assert len(typed.asked) == 2
