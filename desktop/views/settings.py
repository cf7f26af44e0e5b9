"""Window settings kept between runs: geometry, splitter, column widths, the
operator's name, the last folder used and the last database opened.

An INI file in the data directory (so tests redirect it with LIANGXIN_HOME);
QSettings writes it through a temporary file, and a missing or unreadable
value falls back to the default.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop import paths

FILE_NAME = "desktop-settings.ini"


class AppSettings:
    """Typed access to the desktop's QSettings file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else paths.data_dir() / FILE_NAME
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return value if isinstance(value, str) else default

    def window_state(self, name: str) -> QByteArray | None:
        """Saved geometry (or splitter/header state) of `name`, or None."""
        return self._bytes(f"state/{name}")

    def set_window_state(self, name: str, state: QByteArray) -> None:
        """Remember geometry, splitter sizes or header widths under `name`."""
        self._qs.setValue(f"state/{name}", state)

    @property
    def operator(self) -> str:
        """Who is working: recorded in the audit log and shown in the status bar."""
        return self._text("user/operator")

    @operator.setter
    def operator(self, name: str) -> None:
        self._qs.setValue("user/operator", name.strip())

    @property
    def last_dir(self) -> str:
        """The folder of the last file chosen, so dialogs open there again."""
        folder = self._text("files/last_dir")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_file(self, path: str | Path) -> None:
        """Note the folder of a file the user picked."""
        self._qs.setValue("files/last_dir", str(Path(path).parent))

    @property
    def last_database(self) -> str:
        """The database file opened last, or '' for the default one."""
        return self._text("files/last_database")

    @last_database.setter
    def last_database(self, path: str) -> None:
        self._qs.setValue("files/last_database", str(path))

    def sync(self) -> None:
        """Write pending values now (Qt otherwise writes them later)."""
        self._qs.sync()
