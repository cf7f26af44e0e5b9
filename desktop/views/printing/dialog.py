"""The print-preview window: one PDF in a PdfPreview with its title."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.views.printing.preview import PdfPreview


class PreviewDialog(QDialog):
    """A printable PDF (a subsidy sheet, a 督办通知单) inside the app, to check,
    print or save; not modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("打印预览")
        self.resize(1100, 780)
        layout = QVBoxLayout(self)
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.title_label)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_pdf(self, data: bytes, title: str, file_name: str) -> None:
        """Show `data` and bring the dialog up."""
        self.setWindowTitle(f"打印预览 - {title}")
        self.title_label.setText(title)
        # Shown first: fit-to-width reads the viewport's size, only final once visible.
        self.show()
        self.preview.set_pdf(data, suggested_name=file_name)
        self.raise_()
        self.activateWindow()
