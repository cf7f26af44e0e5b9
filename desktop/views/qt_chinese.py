"""Qt's own words in Chinese: the standard buttons (是/否, 关闭, 保存, 取消) and
Qt's file, print and context-menu dialogs come from Qt's translations, which
PySide6 ships (and the bundle carries) as qtbase_zh_CN.qm."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

CATALOG = "qtbase_zh_CN"


def install_qt_chinese(app: QApplication) -> bool:
    """Load Qt's Simplified Chinese catalog into `app`; False when it is missing
    (Qt then shows its English words; nothing else changes)."""
    if getattr(app, "_qt_chinese", None) is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(CATALOG, folder):
        return False
    app.installTranslator(translator)
    app._qt_chinese = translator  # the app must keep the translator alive
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return True
