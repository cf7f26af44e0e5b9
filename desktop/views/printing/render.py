"""PDF pages as images (pypdfium2) for the screen and the printer.

PDFium is not thread-safe, not even across documents, so every call into it
holds `PDFIUM_LOCK`: the preview renders in the GUI thread while a print job
renders in the thread pool. Printing paints each page at the printer's
resolution (capped at `MAX_PRINT_DPI`) in a worker thread, which Qt allows for
a QPainter on a QPrinter, with progress and cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QObject, QRect, QRectF, QRunnable, QSizeF, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop.errors import UserError

# An A4 page at 600 dpi is ~140 MB as RGBX; beyond that no office printer gains.
MAX_PRINT_DPI = 600
PDFIUM_LOCK = threading.RLock()


class PdfPages:
    """An open PDF (from its bytes) whose pages can be measured and rendered."""

    def __init__(self, data: bytes) -> None:
        with PDFIUM_LOCK:
            try:
                self._document = pdfium.PdfDocument(bytes(data))
            except pdfium.PdfiumError as exc:
                raise UserError("无法打开 PDF：文件已损坏或不是 PDF") from exc
            self.sizes = [self._document.get_page_size(i) for i in range(len(self._document))]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, dpi: float) -> QImage:
        """Page `index` as an RGB image at `dpi`, white background."""
        with PDFIUM_LOCK:
            page = self._document[index]
            try:
                bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True, prefer_bgrx=True)
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGBX8888).copy()  # own the pixels
                bitmap.close()
            finally:
                page.close()
        dots_per_metre = round(dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        return image

    def close(self) -> None:
        """Release the document."""
        with PDFIUM_LOCK:
            self._document.close()


def prepare_printer(printer: QPrinter, pages: PdfPages) -> None:
    """Match the printer's paper and orientation to the first page (A4 portrait or landscape)."""
    if not len(pages):
        return
    width, height = pages.sizes[0]
    portrait = QSizeF(min(width, height), max(width, height))
    printer.setPageSize(QPageSize(portrait, QPageSize.Unit.Point, "",
                                  QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                               else QPageLayout.Orientation.Portrait)


def print_range(printer: QPrinter, page_count: int) -> range:
    """The 0-based pages the print dialog asked for (all when no range was chosen)."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or page_count, page_count)
        return range(first - 1, last)
    return range(page_count)


def print_pages(pages: PdfPages, printer: QPrinter, which: range | None = None,
                progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint pages `which` (0-based; default all) on `printer`; returns how many were sent.

    Each page covers the whole sheet at its own size, so the PDF's margins are
    the printed margins (a viewer's "actual size"). `progress(done, total)`
    returning False aborts the job.
    """
    which = which if which is not None else range(len(pages))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    order = [index for _copy in range(copies) for index in which]
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("无法开始打印，请检查打印机是否可用")
    printed = 0
    try:
        for index in order:
            if progress is not None and not progress(printed, len(order)):
                printer.abort()
                break
            if printed:
                printer.newPage()
            _paint_page(painter, pages.render(index, dpi),
                        printer.pageLayout().fullRectPixels(printer.resolution()))
            printed += 1
    finally:
        painter.end()
    return printed


def _paint_page(painter: QPainter, image: QImage, area: QRect) -> None:
    """Draw the page image over `area` (device pixels) keeping its proportions."""
    target = QRectF(0, 0, area.width(), area.height())
    scale = min(target.width() / image.width(), target.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(QRectF((target.width() - width) / 2, (target.height() - height) / 2,
                             width, height), image)


class PrintSignals(QObject):
    """What a print job reports; received in the GUI thread."""

    progress = Signal(int, int)   # pages done, pages in the job
    finished = Signal(int, bool)  # pages sent, cancelled
    failed = Signal(object)       # the exception


class PrintJob(QRunnable):
    """Prints a PDF's bytes on a configured printer in the thread pool.

    It opens its own pdfium document, so the preview can keep scrolling.
    """

    def __init__(self, data: bytes, printer: QPrinter, which: range | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the caller keeps it until `finished`
        self.signals = PrintSignals()
        self.printer, self._data, self._which = printer, data, which
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop before the next page."""
        self._cancel.set()

    def run(self) -> None:
        """Print, reporting progress; every failure reaches the GUI."""
        try:
            pages = PdfPages(self._data)
            try:
                count = print_pages(pages, self.printer, self._which, self._report)
            finally:
                pages.close()
        except Exception as exc:  # noqa: BLE001 - shown to the user by the GUI thread
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(count, self._cancel.is_set())

    def _report(self, done: int, total: int) -> bool:
        self.signals.progress.emit(done, total)
        return not self._cancel.is_set()
