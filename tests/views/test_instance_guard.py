"""One GUI instance per database (issue 13, point 2): a second start on the same
file is refused and the first window asked to come forward; a crashed instance's
leftover socket does not block the next start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QMessageBox

from desktop.views.instance import already_open_message, claim_database, server_name

HOLDER = Path(__file__).with_name("instance_holder.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def claims():
    held = []
    yield held
    for claim in held:
        claim.release()


def _claim(claims, path):
    claim = claim_database(path)
    if claim is not None:
        claims.append(claim)
    return claim


def test_a_second_claim_on_the_same_database_knocks_and_is_refused(qtbot, tmp_path, claims):
    first = _claim(claims, tmp_path / "县.sqlite3")
    assert first is not None
    with qtbot.waitSignal(first.knocked, timeout=3000):
        assert _claim(claims, tmp_path / "sub" / ".." / "县.sqlite3") is None
    assert _claim(claims, tmp_path / "另一县.sqlite3") is not None
    first.release()
    assert _claim(claims, tmp_path / "县.sqlite3") is not None


def test_the_name_is_the_resolved_file(tmp_path):
    (tmp_path / "a.sqlite3").touch()
    (tmp_path / "link.sqlite3").symlink_to(tmp_path / "a.sqlite3")
    assert server_name(tmp_path / "link.sqlite3") == server_name(tmp_path / "a.sqlite3")
    assert server_name(tmp_path / "a.sqlite3") != server_name(tmp_path / "b.sqlite3")


@pytest.mark.skipif(sys.platform == "win32", reason="a stale socket file is a Unix leftover")
def test_a_crashed_instances_socket_file_is_removed(tmp_path, claims):
    path = tmp_path / "县.sqlite3"
    leftover = Path(QDir.tempPath()) / server_name(path)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(leftover))  # bound and never listened on: nobody answers
    stale.close()
    assert leftover.exists()
    assert _claim(claims, path) is not None


def _holder(path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(HOLDER), str(path)], stdout=subprocess.PIPE,
                             text=True, env=env)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_another_process_holding_the_database_is_asked_forward_then_killed(tmp_path, claims):
    path = tmp_path / "县.sqlite3"
    child = _holder(path)
    try:
        assert _claim(claims, path) is None
        assert child.stdout.readline().strip() == "knocked"
        child.send_signal(signal.SIGKILL)  # a crash: its socket file stays behind
        child.wait(10)
        assert _claim(claims, path) is not None
    finally:
        child.kill()
        child.wait(10)


def test_a_second_start_on_an_open_database_says_so_and_opens_nothing(
        tmp_path, claims, monkeypatch):
    from desktop import app

    monkeypatch.setattr(app, "install_excepthook", lambda: None)  # no global log handler
    path = tmp_path / "县.sqlite3"
    assert _claim(claims, path) is not None
    shown = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    monkeypatch.setattr(app, "_open", lambda *a: pytest.fail("opened the database twice"))
    assert app.main(["--db", str(path)]) == 0
    assert shown == [already_open_message(path)] and "已在另一个工作台窗口中打开" in shown[0]


def test_switching_to_a_database_another_window_holds_keeps_the_current_one(
        qtbot, db, _home, tmp_path, claims, monkeypatch):
    from desktop.services import maintenance
    from desktop.services.workspace import database_path
    from desktop.views import session as session_module
    from desktop.views.settings import AppSettings

    here = database_path(db)
    elsewhere = maintenance.init_database(tmp_path / "别处.sqlite3")
    other = _claim(claims, elsewhere)
    refusals = []
    monkeypatch.setattr(session_module, "show_user_error",
                        lambda parent, err, title: refusals.append(str(err)))
    session = session_module.Session(lambda p, operator: pytest.fail("opened"),
                                     AppSettings(_home / "s.ini"), claim_database(here))
    claims.append(session.claim)
    window = session.show(db)
    qtbot.addWidget(window)
    assert session.switch(elsewhere) is None
    assert refusals == [already_open_message(elsewhere)] and session.window is window
    other.release()
    free = tmp_path / "空闲.sqlite3"
    opened = maintenance.open_existing(maintenance.init_database(free))
    session.opener = lambda p, operator: (opened, "")
    qtbot.addWidget(session.switch(free))
    assert session.claim.holds(free)
    assert _claim(claims, here) is not None  # the database left behind is free again
    session.close()
