"""导入交换包 in the GUI, hardened: 取消导入 while the merge runs rolls it back and
says so; a change made here after the preview sends the clerk back to a fresh
preview; rows the sender may not send are listed with their reasons."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest

from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.services import exchange, exchange_view, registry
from desktop.views.context import AppContext
from desktop.views.exchange import actions as actions_module
from desktop.views.exchange.actions import ExchangeActions
from desktop.views.exchange.preview_dialog import PreviewDialog
from desktop.views.settings import AppSettings
from tests.factories import id_number
from tests.views.exchange.exchange_scenario import conflicted

WAIT = 10000


@pytest.fixture
def informed(monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(actions_module, "inform", lambda parent, title, text: told.append(text))
    return told


def _actions(db, home) -> ExchangeActions:
    return ExchangeActions(None, AppContext(db, operator="县里",
                                            settings=AppSettings(home / "exchange.ini")))


def _previewed(qtbot, actions, path) -> PreviewDialog:
    handle = actions.preview(path)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT)
    qtbot.addWidget(actions.dialog)
    return actions.dialog


def _state(db) -> tuple:
    return (db.execute("SELECT count(*), total(employee_count) FROM organization").fetchone()[:],
            len(exchange.exchange_log(db)),
            db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_cancel_during_the_merge_rolls_it_back_and_says_so(qtbot, tmp_path, _home, monkeypatch,
                                                           informed):
    scenario = conflicted(tmp_path / "offices", more=1200)
    actions = _actions(scenario.county, _home)
    dialog = _previewed(qtbot, actions, scenario.package)
    before = _state(scenario.county)
    started = threading.Event()
    real_merge = exchange.merge_package

    def merge(db, path, *, progress, **kwargs):
        def held(done, total):  # the first report waits for the clerk's 取消导入
            if not started.is_set():
                started.set()
                assert actions.cancel.wait(WAIT / 1000)
            progress(done, total)
        return real_merge(db, path, progress=held, **kwargs)
    monkeypatch.setattr(exchange, "merge_package", merge)
    dialog.choose_all("theirs")
    dialog.import_button.click()
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    assert dialog.close_button.isEnabled() and dialog.close_button.text() == "取消导入"
    assert not dialog.import_button.isEnabled()
    dialog.close_button.click()
    assert not dialog.close_button.isEnabled()  # asked once; the merge stops at its next step
    qtbot.waitUntil(lambda: actions.task.done, timeout=WAIT)
    assert informed == [str(exchange.MergeCancelled())] and "没有变化" in informed[0]
    assert _state(scenario.county) == before
    assert registry.get(scenario.county, Organization, scenario.express_id).employee_count == 12
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.import_button.isEnabled() and dialog.close_button.text() == "取消"
    scenario.close()


def test_closing_the_dialog_while_merging_cancels_instead(qtbot, tmp_path, _home):
    scenario = conflicted(tmp_path / "offices")
    preview = exchange.preview_import(scenario.county, scenario.package)
    dialog = PreviewDialog(preview)
    qtbot.addWidget(dialog)
    dialog.choose_all("ours")
    asked = []
    dialog.cancel_requested.connect(lambda: asked.append(True))
    dialog.request_import()
    dialog.reject()  # Esc or the window's close box
    dialog.reject()
    assert asked == [True] and dialog.busy
    dialog.set_busy(False)
    dialog.reject()
    assert dialog.result() == dialog.DialogCode.Rejected
    scenario.close()


def test_an_edit_after_the_preview_sends_the_clerk_to_a_fresh_preview(qtbot, tmp_path, _home,
                                                                      shown_errors, informed):
    scenario = conflicted(tmp_path / "offices")
    actions = _actions(scenario.county, _home)
    dialog = _previewed(qtbot, actions, scenario.package)
    express = registry.get(scenario.county, Organization, scenario.express_id)
    registry.update(scenario.county, dataclasses.replace(express, employee_count=13))  # meanwhile
    dialog.choose_all("theirs")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: actions.dialog is not dialog and actions.dialog is not None,
                    timeout=WAIT)
    qtbot.addWidget(actions.dialog)
    assert len(shown_errors) == 1 and shown_errors[0].startswith("预览之后，本机数据有了变化")
    assert "白沙快递" in shown_errors[0] and informed == []
    assert dialog.result() == dialog.DialogCode.Rejected
    assert registry.get(scenario.county, Organization, scenario.express_id).employee_count == 13
    fresh = {a.local_id: a for a in actions.dialog.conflicts}
    assert fresh[scenario.express_id].differences()["employee_count"] == [13, 40]
    scenario.close()


def test_the_preview_lists_the_rows_ignored_and_why(qtbot, tmp_path):
    scenario = conflicted(tmp_path / "offices")
    for k in range(2):  # posted nowhere in 白沙镇: nothing the township needs
        registry.create(scenario.county, LiaisonOfficer(
            name=f"联络员{k}", id_number=id_number(k, birth=date(1980, 1, 1))))
    package = exchange.export_package(scenario.county, tmp_path / "county.lxpkg")
    preview = exchange.preview_import(scenario.town, package)
    assert preview.plan.ignored_reasons == {"与本乡镇无关": 2}
    dialog = PreviewDialog(preview, exchange_view.reference_names(scenario.town, preview.plan))
    qtbot.addWidget(dialog)
    assert dialog.ignored.isVisibleTo(dialog)
    assert dialog.ignored.text() == "忽略 2 行，未导入：与本乡镇无关 2 行"
    plain = PreviewDialog(exchange.preview_import(scenario.county, scenario.package))
    qtbot.addWidget(plain)
    assert not plain.ignored.isVisibleTo(plain)
    scenario.close()
