"""A PDF shown inside the app, printed, saved or opened in the system viewer.

Qt's wheels carry no QtPdf, so pypdfium2 rasterises the pages (DESIGN.md,
Outputs; see `pdf_render`): for the screen at the zoom chosen, keeping only
pages near the viewport as pixmaps; for a printer, page by page at the
printer's resolution in a worker thread. Any screen that produces a PDF reuses
`PdfPreview.set_pdf(bytes_or_path)`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QProgressDialog, QPushButton,
    QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.services.output_files import save_pdf_bytes
from desktop.views import errors
from desktop.views.printing.render import PdfPages, PrintJob, prepare_printer, print_range

ZOOMS = (("适合宽度", 0.0), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("125%", 1.25),
         ("150%", 1.5), ("200%", 2.0))
PAGE_GAP = 12
FIT_MARGIN = 2 * PAGE_GAP + 24  # room for the gaps and a vertical scroll bar


def open_document(data: bytes) -> PdfPages:
    """A PDF's bytes opened for rendering (UserError when it is no PDF)."""
    return PdfPages(data)


def render_page(document: PdfPages, index: int, dpi: float) -> QImage:
    """Page `index` of an opened PDF as an image at `dpi`."""
    return document.render(index, dpi)


def _read_source(source: bytes | str | Path | None) -> bytes | None:
    if source is None or isinstance(source, (bytes, bytearray)):
        return bytes(source) if source is not None else None
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise file_error("无法读取文件", exc, source) from exc


class PdfPreview(QWidget):
    """Pages of a PDF with zoom, page jump, print, save as and open externally."""

    printed = Signal(int)  # pages sent to the printer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: PdfPages | None = None
        self._jobs: set[PrintJob] = set()  # kept alive while they print
        self._data: bytes | None = None
        self._labels: list[QLabel] = []
        self._sizes: list[tuple[float, float]] = []  # page size in points
        self._tops: list[int] = []  # each page's y in the scrolled widget
        self._pending_scroll: int | None = None
        self.suggested_name = "文档.pdf"
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._render_timer.timeout.connect(self._render_visible)
        self._build()
        self._update_controls()

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toolbar())
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #808080; }")
        self._pages_widget = QWidget()
        self._pages_layout = QVBoxLayout(self._pages_widget)
        self._pages_layout.setSpacing(PAGE_GAP)
        self._pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setWidget(self._pages_widget)
        self.scroll.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.scroll.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        layout.addWidget(self.scroll, 1)
        self.empty_label = QLabel("没有可预览的内容")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pages_layout.addWidget(self.empty_label)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.zoom_box = QComboBox()
        for label, factor in ZOOMS:
            self.zoom_box.addItem(label, factor)
        self.zoom_box.currentIndexChanged.connect(self._relayout)
        self.page_box = QSpinBox()
        self.page_box.setMinimum(1)
        self.page_box.setPrefix("第 ")
        self.page_box.valueChanged.connect(self.go_to_page)
        self.count_label = QLabel()
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton("用系统查看器打开")
        self.open_button.clicked.connect(self.open_externally)
        for widget in (QLabel("缩放"), self.zoom_box, self.page_box, self.count_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.print_button, self.save_button, self.open_button):
            bar.addWidget(widget)
        return bar

    # -- content -----------------------------------------------------------
    def set_pdf(self, source: bytes | str | Path | None, *,
                suggested_name: str | None = None) -> None:
        """Show a PDF given as bytes or a file path; None empties the preview.

        A file is read into memory, so it may be moved or rewritten afterwards.
        """
        data = _read_source(source)
        document = PdfPages(data) if data is not None else None
        self._close_document()
        self._document, self._data = document, data
        if suggested_name:
            self.suggested_name = suggested_name
        self._sizes = list(document.sizes) if document else []
        self._rebuild_pages()
        self._update_controls()

    def page_count(self) -> int:
        """How many pages the shown PDF has (0 when empty)."""
        return len(self._sizes)

    def pdf_bytes(self) -> bytes | None:
        """The PDF shown, as bytes."""
        return self._data

    def page_pixmap(self, index: int) -> QPixmap | None:
        """The pixmap currently shown for page `index` (None until it is rendered)."""
        pixmap = self._labels[index].pixmap()
        return None if pixmap is None or pixmap.isNull() else pixmap

    def _close_document(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def _rebuild_pages(self) -> None:
        for label in self._labels:
            self._pages_layout.removeWidget(label)
            label.deleteLater()
        self._labels = []
        for index in range(len(self._sizes)):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white;")
            label.setAccessibleName(f"第 {index + 1} 页")
            self._labels.append(label)
            self._pages_layout.addWidget(label)
        self.empty_label.setVisible(not self._labels)
        self._relayout()

    def _update_controls(self) -> None:
        count = self.page_count()
        for widget in (self.print_button, self.save_button, self.open_button, self.page_box):
            widget.setEnabled(count > 0)
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(count, 1))
        self.page_box.setValue(1)
        self.page_box.setSuffix(f" / {count} 页")
        self.page_box.blockSignals(False)
        self.count_label.setText(f"共 {count} 页" if count else "")

    # -- zoom and lazy rendering -------------------------------------------
    def zoom_factor(self) -> float:
        """The magnification: 1.0 shows a page at its printed size on screen."""
        chosen = float(self.zoom_box.currentData() or 0.0)
        if chosen or not self._sizes:
            return chosen or 1.0
        widest = max(w for w, _h in self._sizes)
        available = self.scroll.viewport().width() - FIT_MARGIN
        return max(available / (widest / 72.0 * self.logicalDpiX()), 0.1)

    def _relayout(self) -> None:
        """Size every page placeholder for the zoom; pixmaps are made when seen."""
        factor = self.zoom_factor() * self.logicalDpiX() / 72.0
        # Page tops are computed, not read from the layout, which settles later.
        self._tops, top = [], PAGE_GAP
        for label, (w, h) in zip(self._labels, self._sizes):
            label.clear()
            label.setFixedSize(round(w * factor), round(h * factor))
            self._tops.append(top)
            top += label.height() + PAGE_GAP
        self._render_timer.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Fit-to-width follows the window."""
        super().resizeEvent(event)
        if self._labels and not self.zoom_box.currentData():
            self._relayout()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Pages become visible: fit them to the width they now have (a PDF set while
        the preview was hidden was sized for a stale viewport), then render them."""
        super().showEvent(event)
        if self._labels and not self.zoom_box.currentData():
            self._relayout()
        self._render_timer.start()

    def _on_scrolled(self) -> None:
        self._render_timer.start()
        self._sync_page_box()

    def _render_visible(self) -> None:
        """Render pages within a screen of the viewport; drop those far away."""
        if self._document is None:
            return
        top = self.scroll.verticalScrollBar().value()
        height = max(self.scroll.viewport().height(), 1)
        dpi = self.zoom_factor() * self.logicalDpiX()
        ratio = self.devicePixelRatioF()
        for index, label in enumerate(self._labels):
            page_top = self._tops[index]
            near = page_top + label.height() >= top - height and page_top <= top + 2 * height
            if near and label.pixmap().isNull():
                pixmap = QPixmap.fromImage(self._document.render(index, dpi * ratio))
                pixmap.setDevicePixelRatio(ratio)
                label.setPixmap(pixmap)
            elif not near and not label.pixmap().isNull():
                label.clear()

    # -- page navigation ---------------------------------------------------
    def go_to_page(self, number: int) -> None:
        """Scroll so page `number` (1-based) is at the top."""
        if not 1 <= number <= len(self._labels):
            return
        bar = self.scroll.verticalScrollBar()
        target = self._tops[number - 1] - PAGE_GAP
        # Right after set_pdf the scroll range has not caught up with the pages yet.
        self._pending_scroll = target if target > bar.maximum() else None
        bar.setValue(target)

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self._pending_scroll is not None and high >= self._pending_scroll:
            self.scroll.verticalScrollBar().setValue(self._pending_scroll)
            self._pending_scroll = None

    def current_page(self) -> int:
        """The 1-based page at the top of the viewport."""
        top = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() // 3
        for index, label in enumerate(self._labels):
            if self._tops[index] + label.height() + PAGE_GAP >= top:
                return index + 1
        return max(len(self._labels), 1)

    def _sync_page_box(self) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(self.current_page())
        self.page_box.blockSignals(False)

    # -- actions -----------------------------------------------------------
    def print_with_dialog(self) -> None:
        """Ask for printer, pages and copies, then print at the printer's resolution."""
        if self._document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.suggested_name).stem)
        prepare_printer(printer, self._document)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer, print_range(printer, self.page_count()))

    def print_to(self, printer: QPrinter, pages: range | None = None) -> PrintJob | None:
        """Print on a configured printer in the background, with progress and 取消.

        `printed` is emitted with the number of pages sent when the job ends.
        """
        if self._data is None:
            return None
        job = PrintJob(self._data, printer, pages)
        total = len(pages if pages is not None else range(self.page_count()))
        dialog = QProgressDialog("正在打印…", "取消", 0, total, self)
        dialog.setWindowTitle("打印")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.canceled.connect(job.cancel)
        job.signals.progress.connect(lambda done, _total: dialog.setValue(done))
        job.signals.finished.connect(lambda count, _cancelled: self._print_done(job, dialog, count))
        job.signals.failed.connect(lambda exc: self._print_failed(job, dialog, exc))
        self._jobs.add(job)
        self.print_button.setEnabled(False)
        QThreadPool.globalInstance().start(job)
        return job

    def _print_done(self, job: PrintJob, dialog: QProgressDialog, count: int) -> None:
        self._end_job(job, dialog)
        self.printed.emit(count)

    def _print_failed(self, job: PrintJob, dialog: QProgressDialog, exc: BaseException) -> None:
        self._end_job(job, dialog)
        errors.show_error(self, exc)
        self.printed.emit(0)

    def _end_job(self, job: PrintJob, dialog: QProgressDialog) -> None:
        self._jobs.discard(job)
        dialog.canceled.disconnect(job.cancel)
        dialog.reset()
        dialog.deleteLater()
        self.print_button.setEnabled(self.page_count() > 0 and not self._jobs)

    def save_as(self) -> Path | None:
        """Save the shown PDF where the user chooses; returns the path written."""
        if self._data is None:
            return None
        name, _filter = QFileDialog.getSaveFileName(self, "另存为 PDF", self.suggested_name,
                                                    "PDF 文件 (*.pdf)")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        try:
            return save_pdf_bytes(path, self._data)
        except UserError as exc:
            errors.show_user_error(self, exc)
            return None

    def open_externally(self) -> Path | None:
        """Open a temporary copy in the system's PDF viewer; returns that copy's path."""
        if self._data is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="liangxin-"))
        path = folder / (Path(self.suggested_name).stem + ".pdf")
        path.write_bytes(self._data)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            errors.show_user_error(self, UserError("没有找到可以打开 PDF 的程序，请用“另存为 PDF”保存后再打开"))
        return path

    def wait_for_printing(self) -> None:
        """Block until every print job has ended (closing, and tests)."""
        QThreadPool.globalInstance().waitForDone()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Release the pdfium document with the widget."""
        self._close_document()
        super().closeEvent(event)
