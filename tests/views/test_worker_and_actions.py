"""Work off the GUI thread (progress, cancel, errors) and the File-menu actions
backup, restore and check, driven without any real modal dialog."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.domain.registry import Organization
from desktop.errors import UserError
from desktop.services import maintenance, registry
from desktop.views import worker
from desktop.views.dialogs import ProblemListDialog
from desktop.views.errors import CrashDialog
from desktop.views.maintenance_actions import MaintenanceActions


def _run(qtbot, context, fn, **kwargs):
    outcome = {}
    handle = worker.run_task(
        None, "测试", fn, db_path=context.db_path, operator="测试员",
        on_result=lambda r: outcome.setdefault("result", r),
        on_error=lambda e: outcome.setdefault("error", e),
        on_cancel=lambda: outcome.setdefault("cancelled", True), **kwargs)
    return handle, outcome


def test_result_arrives_with_progress_from_the_workers_own_connection(qtbot, context):
    seen = []
    def work(db, progress):
        progress(1, 2, "一半")
        progress(2, 2)
        return db is not context.db and threading.current_thread() is not threading.main_thread()
    handle, outcome = _run(qtbot, context, work)
    handle.signals.progress.connect(lambda d, t, s: seen.append((d, t, s)))
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert outcome == {"result": True}
    assert handle.done


def test_cancel_stops_at_the_next_progress_report(qtbot, context):
    started, release = threading.Event(), threading.Event()
    def work(db, progress):
        started.set()
        release.wait(5)
        for i in range(1000):
            progress(i, 1000)
        return "finished"
    handle, outcome = _run(qtbot, context, work)
    assert started.wait(5)
    handle.dialog.canceled.emit()  # the 取消 button
    release.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert outcome == {"cancelled": True}


def test_errors_reach_the_gui_thread(qtbot, context):
    def work(db, progress):
        raise UserError("文件不是 Excel 工作簿")
    handle, outcome = _run(qtbot, context, work)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert str(outcome["error"]) == "文件不是 Excel 工作簿"


def test_unexpected_error_shows_the_crash_dialog(qtbot, context):
    parent = QWidget()
    qtbot.addWidget(parent)
    handle = context.run(parent, "测试", lambda db, p: 1 / 0, lambda r: None)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    qtbot.waitUntil(lambda: parent.findChildren(CrashDialog) != [])
    dialog = parent.findChildren(CrashDialog)[0]
    assert "ZeroDivisionError" in dialog.details.toPlainText()
    dialog.copy_details()


def _actions(qtbot, context):
    window = QWidget()
    qtbot.addWidget(window)
    return window, MaintenanceActions(window, context)


def _wait_dialog(qtbot, actions):
    qtbot.waitUntil(lambda: actions.last_dialog is not None, timeout=5000)
    return actions.last_dialog


def test_backup_now_says_where(qtbot, context):
    window, actions = _actions(qtbot, context)
    actions.backup_now()
    box = _wait_dialog(qtbot, actions)
    assert isinstance(box, QMessageBox) and "已备份到" in box.text()
    assert len(maintenance.list_backups(context.db)) == 1


def test_restore_confirms_then_brings_back_the_backup(qtbot, context, db, township_id,
                                                      answer, monkeypatch):
    registry.create(db, Organization(name="备份前的公司", area_id=township_id))
    backup = maintenance.backup_now(db)
    registry.create(db, Organization(name="备份后的公司", area_id=township_id))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    window, actions = _actions(qtbot, context)
    changed = []
    context.events.data_changed.connect(changed.append)
    actions.restore()
    box = _wait_dialog(qtbot, actions)
    assert "已从备份恢复" in box.text() and answer.asked
    assert "organization" in changed[0]
    names = [o.name for o, _ in registry.list_organizations(db).rows]
    assert names == ["备份前的公司"]


def test_restore_answered_no_changes_nothing(qtbot, context, db, township_id, answer, monkeypatch):
    backup = maintenance.backup_now(db)
    registry.create(db, Organization(name="保留的公司", area_id=township_id))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    answer.yes = False
    window, actions = _actions(qtbot, context)
    actions.restore()
    assert actions.last_dialog is None
    assert registry.list_organizations(db).total == 1


def test_check_reports_all_is_well(qtbot, context):
    window, actions = _actions(qtbot, context)
    actions.check()
    assert "未发现问题" in _wait_dialog(qtbot, actions).text()


def test_check_lists_problems(qtbot, context, monkeypatch):
    monkeypatch.setattr(maintenance, "check", lambda db: ["组织“甲”：统一社会信用代码校验位错误"])
    window, actions = _actions(qtbot, context)
    actions.check()
    dialog = _wait_dialog(qtbot, actions)
    assert isinstance(dialog, ProblemListDialog)
    assert dialog.lines() == ["组织“甲”：统一社会信用代码校验位错误"]


def test_garbage_is_collected_on_the_gui_thread_only(qtbot):
    import gc

    from desktop.views.gui_gc import GuiThreadCollector

    assert not gc.isenabled()  # the session runs as the app does

    class Cycle:
        def __init__(self):
            self.me = self

    collector = GuiThreadCollector(interval_ms=10)
    for _ in range(gc.get_threshold()[0] + 10):
        Cycle()
    assert gc.get_count()[0] > gc.get_threshold()[0]
    assert collector.collect() > 0 and gc.get_count()[0] < gc.get_threshold()[0]


def test_a_finished_task_lets_go_of_its_result_and_callbacks(qtbot, context):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    got = []
    handle = context.run(widget, "", lambda db, progress: b"x" * 1000, got.append, quiet=True)
    qtbot.waitUntil(lambda: handle.done, timeout=5000)
    assert got == [b"x" * 1000]
    assert handle.callbacks == {} and handle.task.value is None
