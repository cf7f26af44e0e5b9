"""`liangxin --self-test`: prove that an installed (frozen) build really works.

In a temporary data directory it runs one pass through what an office does —
create the database, load the demo county, compute a stipend run, export its
subsidy sheet, write the quarterly report and a bulletin, preview a PDF page,
open the main window offscreen — and prints one line: 自检通过：… or
自检失败：<step>：<reason>. A frozen build fails here when PyInstaller left out
a module, a bundled resource, a Qt plugin or a native library.

The user's own data directory and settings are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# The demo county is built as of this day; running the whole pass on a fixed
# date makes it the same on every machine and every day of the year.
TODAY = date(2026, 11, 22)
STIPEND_PERIOD = "2026-11"  # the demo has paid 2026-Q3 and drafted 2026-10 itself
REPORT_QUARTER = "2026-Q3"


class SelfTestFailure(Exception):
    """A step ran but its result is wrong (the message says what)."""


@dataclass
class _Pass:
    """What the steps hand on to each other."""

    folder: Path
    db: Any = None
    run_id: str = ""
    pdfs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_self_test() -> int:
    """Run every step in a temporary data directory; print one summary line;
    return 0 when all passed, 1 at the first failure."""
    started = time.monotonic()
    saved_home = os.environ.get("LIANGXIN_HOME")
    with tempfile.TemporaryDirectory(prefix="liangxin-selftest-",
                                     ignore_cleanup_errors=True) as folder:
        os.environ["LIANGXIN_HOME"] = folder
        state = _Pass(Path(folder))
        try:
            failed = _run_steps(state)
        finally:
            if state.db is not None:
                state.db.close()
            _restore_env("LIANGXIN_HOME", saved_home)
    if failed:
        return 1
    seconds = time.monotonic() - started
    extra = f"；{'；'.join(state.notes)}" if state.notes else ""
    _say(f"自检通过：{'、'.join(name for name, _ in STEPS)}（{seconds:.1f} 秒{extra}）")
    return 0


def _run_steps(state: _Pass) -> bool:
    """Run the steps in order; True when one failed (its reason already printed)."""
    for name, step in STEPS:
        try:
            step(state)
        except Exception as exc:  # noqa: BLE001 — any failure is the answer we report
            _say(f"自检失败：{name}：{_reason(exc)}")
            if sys.stderr is not None:
                traceback.print_exc(file=sys.stderr)
            return True
    return False


def _reason(exc: BaseException) -> str:
    from desktop.errors import UserError

    if isinstance(exc, (UserError, SelfTestFailure)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _say(line: str) -> None:
    # A windowed Windows build has no console (sys.stdout is None): the exit
    # code is then the answer, and `liangxin-cli self-test` shows the line.
    if sys.stdout is not None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        print(line, flush=True)


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# --------------------------------------------------------------------- steps

def _database(state: _Pass) -> None:
    from desktop import paths
    from desktop.services import maintenance, workspace

    path = maintenance.init_database(paths.default_db_path())
    state.db = workspace.open_workspace(path, operator="自检")
    problems = maintenance.check(state.db)
    if problems:
        raise SelfTestFailure(f"新建的数据库检查不通过：{problems[0]}")


def _demo(state: _Pass) -> None:
    from desktop.services import demo

    summary = demo.build_demo(state.db, today=TODAY)
    if summary.organizations <= 0 or summary.officers <= 0:
        raise SelfTestFailure("演示数据中没有组织或联络员")


def _sealed_backup(state: _Pass) -> None:
    """A backup sealed and opened again: proves the bundle has its cipher and KDF."""
    from desktop.db import sealed
    from desktop.services import maintenance, sealing

    _sign_in(state, "admin")  # the exchange password and backups are the administrator's
    outside = state.folder / "移动磁盘"
    outside.mkdir()
    sealing.set_password(state.db, "selftest2026", "selftest2026")
    try:
        copy = maintenance.backup_now(state.db, outside, password="selftest2026")
        if not sealed.is_sealed(copy):
            raise SelfTestFailure("备份到其他位置时没有加密")
        maintenance.restore(state.db, copy, password="selftest2026")
    finally:
        sealing.clear_password(state.db)


def _sign_in(state: _Pass, role: str) -> None:
    """The demo has one ready user per role (ACCESS.md); each step signs in as the
    role that does it, as a clerk at the PC would."""
    from desktop.services import accounts, users

    users.sign_in(state.db, role, accounts.DEMO_PASSWORD)


def _stipend_run(state: _Pass) -> None:
    from desktop.services import payruns

    _sign_in(state, "finance")
    state.run_id = payruns.create_stipend_run(state.db, STIPEND_PERIOD, today=TODAY)
    detail = payruns.get_run(state.db, state.run_id)
    if not detail.lines:
        raise SelfTestFailure(f"{STIPEND_PERIOD} 的工作补贴没有算出任何人")


def _subsidy_sheet(state: _Pass) -> None:
    from desktop.services import payruns

    out = payruns.export_subsidy_sheet(state.db, state.run_id, state.folder / "发放表.xlsx",
                                       today=TODAY)
    with zipfile.ZipFile(out) as book:
        if "xl/workbook.xml" not in book.namelist():
            raise SelfTestFailure("导出的发放表不是 Excel 工作簿")


def _quarterly_report(state: _Pass) -> None:
    from desktop.services import stats

    pdf, xlsx = state.folder / "季度报表.pdf", state.folder / "季度报表.xlsx"
    result = stats.build_quarterly_report(state.db, REPORT_QUARTER, pdf, xlsx, compiled_on=TODAY)
    _check_pdf(result.pdf_path, result.page_count)
    state.pdfs.append(result.pdf_path)
    state.notes += list(result.warnings)[:1]


def _bulletin(state: _Pass) -> None:
    from desktop.services import bulletins

    _sign_in(state, "clerk")
    # The sample issue is a bundled resource: this also proves resources/ shipped.
    bulletin_id = bulletins.add_sample_bulletin(state.db)
    out = state.folder / "组工信息.pdf"
    result = bulletins.render_bulletin_pdf(state.db, bulletin_id, out)
    _check_pdf(out, result.page_count)
    state.pdfs.append(out)


def _check_pdf(path: Path, pages: int) -> None:
    if pages < 1 or not path.is_file() or path.read_bytes()[:5] != b"%PDF-":
        raise SelfTestFailure(f"没有生成有效的 PDF：{path.name}")


def _qt_app() -> Any:
    """The running QApplication, or a new one on the offscreen platform so the
    self-test needs no display."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([sys.argv[0] if sys.argv else "liangxin"])
    from desktop.views.gui_gc import collect_on_gui_thread

    collect_on_gui_thread(app)  # as the app does: workers run services here too
    from desktop.views.qt_chinese import install_qt_chinese

    if not install_qt_chinese(app):  # a bundle that left Qt's translations out
        raise SelfTestFailure("缺少 Qt 中文翻译（qtbase_zh_CN.qm），按钮会显示英文")
    return app


def _preview(state: _Pass) -> None:
    from desktop.views.printing import preview as pdf_preview

    _qt_app()
    # pypdfium2 loads its native library at run time, which PyInstaller can miss.
    document = pdf_preview.open_document(state.pdfs[-1].read_bytes())
    image = pdf_preview.render_page(document, 0, 50)
    if image.isNull() or image.width() < 100:
        raise SelfTestFailure("PDF 页面没有渲染出来")


def _main_window(state: _Pass) -> None:
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.settings import AppSettings

    app = _qt_app()
    settings = AppSettings(state.folder / "desktop-settings.ini")
    window = MainWindow(AppContext(state.db, operator="自检", settings=settings))
    try:
        window.show()
        app.processEvents()
        # Every screen is imported by name at run time: open each one.
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            app.processEvents()
        if not window.isVisible() or window.nav.count() == 0:
            raise SelfTestFailure("主窗口没有显示")
        state.notes.append(f"{window.nav.count()} 个界面")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


STEPS: tuple[tuple[str, Callable[[_Pass], None]], ...] = (
    ("数据库", _database),
    ("演示数据", _demo),
    ("加密备份", _sealed_backup),
    ("补贴发放", _stipend_run),
    ("发放表", _subsidy_sheet),
    ("季度报表", _quarterly_report),
    ("组工信息", _bulletin),
    ("PDF预览", _preview),
    ("主窗口", _main_window),
)
