"""The data exchange between township offices and the county (EXCHANGE.md,
"Where the user sees it"): the 文件 → 数据交换 menu, the preview of a package
with its conflicts, the county's 数据报送 screen and the installation in 设置."""

from __future__ import annotations

from typing import Any, Protocol


class ExchangeHost(Protocol):
    """What the menu needs of the main window (named, not imported: the main
    window imports this package)."""

    context: Any
    file_menu: Any
    file_actions_anchor: Any


def add_exchange_menu(window: ExchangeHost) -> None:
    """Put 数据交换 → 生成交换包… / 导入交换包… into the window's File menu, above
    the backup group; both are greyed out on a read-only database."""
    from desktop.views.exchange.actions import ExchangeActions

    window.exchange = ExchangeActions(window, window.context)
    from PySide6.QtWidgets import QMenu

    menu = QMenu("数据交换", window)
    window.file_menu.insertMenu(window.file_actions_anchor, menu)
    export = menu.addAction("生成交换包…")
    export.triggered.connect(lambda *_: window.exchange.choose_and_export())
    imported = menu.addAction("导入交换包…")
    imported.triggered.connect(lambda *_: window.exchange.choose_and_import())
    # Both write: an export takes the next package number and logs itself.
    for action in (export, imported):
        action.setEnabled(not getattr(window, "read_only", False))
    window.exchange_menu = menu
