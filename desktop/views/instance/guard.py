"""A local server per open database, so two windows never hold the same file.

Two instances on one database each trust their own screen: one locks a payment run
the other is still recomputing, and both clerks think their figures stand. The
first instance to open a database listens on a QLocalServer named after the file
(a hash of its resolved path); a later start connects to it, asks it to come
forward and opens nothing. A server left behind by a crash (on Unix, a socket
file nobody listens on) does not answer and is removed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

CONNECT_TIMEOUT_MS = 1000


def server_name(path: Path | str) -> str:
    """The local server's name for the database at `path`: the same for every
    spelling of the same file (relative, symlinked, different case on Windows)."""
    resolved = os.path.normcase(str(Path(path).resolve()))
    return "liangxin-" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:32]


def already_open_message(path: Path | str) -> str:
    """What a second start on the same database tells the clerk."""
    return (f"数据库“{Path(path).name}”已在另一个工作台窗口中打开，已请该窗口显示到最前。\n"
            "同一数据库同时只能在一个窗口中使用，请切换到那个窗口。")


class DatabaseClaim(QObject):
    """This process holds one database; `knocked` fires when another start asks
    for it (the window should come forward)."""

    knocked = Signal()

    def __init__(self, server: QLocalServer, path: Path) -> None:
        super().__init__()
        self.server, self.path, self.name = server, path, server_name(path)
        server.setParent(self)
        server.newConnection.connect(self._answer)

    def _answer(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            socket.close()
            self.knocked.emit()

    def holds(self, path: Path | str) -> bool:
        """Whether this claim is the one for the database at `path`."""
        return server_name(path) == self.name

    def release(self) -> None:
        """Give the database up (closing it, or switching to another one)."""
        if self.server.isListening():
            self.server.close()


def _knock(name: str) -> bool:
    """Whether an instance listens on `name`; if so it has been asked to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.disconnectFromServer()  # the connection itself is the request
    return True


def claim_database(path: Path | str) -> DatabaseClaim | None:
    """Claim the database at `path` for this process, or None when a running
    instance holds it already (that instance has been asked to come forward)."""
    name = server_name(path)
    if _knock(name):
        return None
    server = QLocalServer()
    if not server.listen(name):
        # Someone else may have started listening just now; ask once more before
        # taking the name to be a crashed instance's leftover.
        if _knock(name):
            return None
        QLocalServer.removeServer(name)
        if not server.listen(name):
            return None if _knock(name) else _unguarded(server, path)
    return DatabaseClaim(server, Path(path))


def _unguarded(server: QLocalServer, path: Path | str) -> DatabaseClaim:
    """A claim that guards nothing: the guard is a convenience, and a temp folder
    that refuses sockets must not keep the clerk from their data."""
    return DatabaseClaim(server, Path(path))


def bring_forward(window: QWidget | None) -> None:
    """Show `window` in front of the others (restored if it was minimized)."""
    if window is None:
        return
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
