"""File-menu actions that keep the data safe: back up now, restore a backup
(after confirmation) and check the database. Each runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop import paths
from desktop.services import maintenance, sealing, workspace
from desktop.views.context import AppContext
from desktop.views.dialogs import ProblemListDialog, ask, inform
from desktop.views.errors import show_error
from desktop.views.security import password_dialog

ALL_TABLES = frozenset({"organization", "instructor", "liaison_officer", "posting",
                        "instructor_assignment", "assessment", "area", "guidance_station",
                        "payment_run", "bulletin", "app_setting", "subsidy_policy"})


class MaintenanceActions:
    """Backup, restore and check for one window."""

    def __init__(self, window: QWidget, context: AppContext) -> None:
        self.window, self.context = window, context
        self.last_dialog: Any = None

    def backup_now(self) -> None:
        """Back up into the rotating backups folder and say where."""
        self.context.run(self.window, "正在备份数据库……",
                         lambda db, progress: maintenance.backup_now(db),
                         lambda path: self._told("备份完成", f"已备份到：\n{path}"),
                         cancellable=False)

    def restore(self) -> None:
        """Pick a backup, confirm, and replace the current data with it."""
        folder = paths.backups_dir(self.context.db_path)
        start = str(folder) if folder.is_dir() else self.context.settings.last_dir
        chosen, _ = QFileDialog.getOpenFileName(self.window, "选择要恢复的备份", start,
                                                workspace.BACKUP_FILTER)
        if not chosen:
            return
        if not ask(self.window, "从备份恢复",
                   f"将用备份“{Path(chosen).name}”替换当前的全部数据。\n"
                   "当前数据会先自动备份一份。确定恢复吗？"):
            return
        password = None
        if sealing.is_sealed(Path(chosen)):
            password = password_dialog.ask_sealed_file_password(self.window, "恢复加密备份",
                                                                Path(chosen).name)
            if password is None:
                return
        self._run_restore(Path(chosen), other_county_ok=False, password=password)

    def _run_restore(self, chosen: Path, *, other_county_ok: bool,
                     password: str | None = None) -> None:
        self.context.run(self.window, "正在从备份恢复……",
                         lambda db, progress: maintenance.restore(
                             db, chosen, other_county_ok=other_county_ok, password=password),
                         self._restored, cancellable=False,
                         on_error=lambda exc: self._restore_failed(chosen, exc, password))

    def _restore_failed(self, chosen: Path, exc: BaseException,
                        password: str | None = None) -> None:
        """Another county's backup: name both counties and ask before going on."""
        if not isinstance(exc, maintenance.OtherCountyBackup):
            show_error(self.window, exc)
            return
        if ask(self.window, "备份属于另一个县",
               f"所选备份是“{exc.incoming}”的数据库，当前数据库是“{exc.current}”的。\n"
               f"恢复后，当前“{exc.current}”的全部数据将被“{exc.incoming}”的数据替换"
               "（当前数据会先自动备份一份）。\n确定仍要恢复吗？"):
            self._run_restore(chosen, other_county_ok=True, password=password)

    def _restored(self, safety: Path) -> None:
        self.context.announce(ALL_TABLES)
        self._told("恢复完成", f"已从备份恢复。\n{maintenance.safety_copy_note(safety)}")

    def check(self) -> None:
        """Check integrity and every record's rules; list what is wrong."""
        self.context.run(self.window, "正在检查数据库……",
                         lambda db, progress: maintenance.check(db), self._checked)

    def _checked(self, problems: list[str]) -> None:
        if not problems:
            self._told("检查数据库", "检查完成，未发现问题。")
            return
        dialog = ProblemListDialog("检查数据库", f"发现 {len(problems)} 个问题：", problems,
                                   self.window)
        dialog.open()
        self.last_dialog = dialog

    def _told(self, title: str, text: str) -> None:
        self.last_dialog = inform(self.window, title, text)
