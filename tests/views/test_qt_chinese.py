"""Qt's standard buttons speak Chinese once the app loads Qt's catalog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desktop.views.qt_chinese import install_qt_chinese

Button = QDialogButtonBox.StandardButton


def test_standard_buttons_are_chinese(qapp):
    try:
        assert install_qt_chinese(qapp)
        assert install_qt_chinese(qapp)  # twice is harmless
        buttons = QDialogButtonBox(Button.Yes | Button.No | Button.Close | Button.Save
                                   | Button.Cancel | Button.Discard)
        labels = {b: buttons.button(b).text().replace("&", "")
                  for b in (Button.Yes, Button.No, Button.Close, Button.Save, Button.Cancel,
                            Button.Discard)}
        assert labels == {Button.Yes: "是(Y)", Button.No: "否(N)", Button.Close: "关闭",
                          Button.Save: "保存", Button.Cancel: "取消", Button.Discard: "丢弃"}
    finally:  # leave the shared test application as the other tests expect it
        qapp.removeTranslator(qapp._qt_chinese)
        del qapp._qt_chinese
