"""The reusable PDF preview: pages rendered with pypdfium2, zoom, paging, print, save, open."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from desktop.errors import UserError
from desktop.views.printing import preview as pdf_preview
from desktop.views.printing.preview import PdfPreview
from desktop.views.printing.render import PdfPages, prepare_printer, print_pages, print_range


def make_pdf(pages: int = 3, size=A4) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for n in range(pages):
        canvas.setFillColorRGB(1, 0, 0)
        canvas.rect(100, 100, 200, 200, fill=1)  # a red square on every page
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(100, 400, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture
def preview(qtbot):
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_render_page_is_the_page_at_the_asked_resolution():
    document = PdfPages(make_pdf(1))
    image = document.render(0, 72)
    assert abs(image.width() - 595) <= 1 and abs(image.height() - 842) <= 1
    # ReportLab's origin is bottom-left: the square is at x 100-300, y 842-300 .. 842-100.
    assert image.pixelColor(200, 842 - 200) == QColor(255, 0, 0)
    assert image.pixelColor(10, 10) == QColor(255, 255, 255)
    assert abs(document.render(0, 144).width() - 1190) <= 1


def test_set_pdf_shows_pages_and_renders_the_first(preview, qtbot):
    preview.set_pdf(make_pdf(3), suggested_name="测试.pdf")
    assert preview.page_count() == 3
    assert preview.count_label.text() == "共 3 页"
    qtbot.waitUntil(lambda: preview.page_pixmap(0) is not None)
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()
    preview.set_pdf(None)
    assert preview.page_count() == 0 and not preview.print_button.isEnabled()
    assert preview.empty_label.isVisible()


def test_set_pdf_from_a_file_keeps_the_bytes(preview, tmp_path):
    path = tmp_path / "a.pdf"
    data = make_pdf(2)
    path.write_bytes(data)
    preview.set_pdf(path)
    path.unlink()
    assert preview.page_count() == 2 and preview.pdf_bytes() == data


def test_not_a_pdf_is_a_user_error(preview):
    with pytest.raises(UserError, match="无法打开 PDF"):
        preview.set_pdf(b"not a pdf at all")
    with pytest.raises(UserError, match="无法读取"):
        preview.set_pdf("/no/such/file.pdf")


def test_zoom_scales_pages_and_far_pages_are_not_rendered(preview, qtbot):
    preview.set_pdf(make_pdf(12))
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findText("100%"))
    width_100 = preview._labels[0].width()
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findText("200%"))
    assert preview._labels[0].width() == pytest.approx(2 * width_100, abs=2)
    qtbot.waitUntil(lambda: preview.page_pixmap(0) is not None)
    assert preview.page_pixmap(11) is None


def test_page_box_scrolls_to_the_page(preview, qtbot):
    preview.set_pdf(make_pdf(5))
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findText("100%"))
    preview.page_box.setValue(4)
    qtbot.waitUntil(lambda: preview.current_page() == 4)
    qtbot.waitUntil(lambda: preview.page_pixmap(3) is not None)
    assert preview.page_box.value() == 4


def pdf_printer(path, dpi=150):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)  # keep the tests light; real printers give their own
    return printer


def test_print_to_a_pdf_printer_prints_every_page_at_a4(preview, tmp_path, qtbot):
    preview.set_pdf(make_pdf(3))
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out)
    prepare_printer(printer, preview._document)
    with qtbot.waitSignal(preview.printed, timeout=20000) as done:
        preview.print_to(printer)
    assert done.args == [3]
    assert preview.print_button.isEnabled()
    pages = PdfReader(out).pages
    assert len(pages) == 3
    assert float(pages[0].mediabox.width) == pytest.approx(595, abs=2)


def test_a_print_job_stops_when_cancelled(tmp_path):
    pages = PdfPages(make_pdf(4))
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 2  # the clerk presses 取消 after two pages
    assert print_pages(pages, pdf_printer(tmp_path / "c.pdf", 72), progress=progress) == 2
    assert seen == [(0, 4), (1, 4), (2, 4)]


def test_a_failed_print_is_shown(preview, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(pdf_preview.errors, "show_error", lambda parent, exc: shown.append(exc))
    preview.set_pdf(make_pdf(1))
    printer = pdf_printer("/no/such/folder/x.pdf")
    with qtbot.waitSignal(preview.printed, timeout=20000) as done:
        preview.print_to(printer)
    assert done.args == [0] and "无法开始打印" in str(shown[0])


def test_print_range_follows_the_dialog_choice():
    printer = QPrinter()
    assert print_range(printer, 5) == range(5)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_range(printer, 5) == range(1, 3)


def test_print_dialog_is_used_and_cancel_prints_nothing(preview, tmp_path, monkeypatch, qtbot):
    out = tmp_path / "dialog.pdf"
    accepted = []

    class FakeDialog:
        def __init__(self, printer, parent):
            self.printer = printer

        def setWindowTitle(self, title): ...  # noqa: N802
        def setOption(self, *args): ...  # noqa: N802
        def setMinMax(self, low, high): ...  # noqa: N802

        def exec(self):
            if not accepted:
                return QDialog.DialogCode.Rejected
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(out))
            self.printer.setResolution(100)
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview, "QPrintDialog", FakeDialog)
    preview.set_pdf(make_pdf(2))
    preview.print_button.click()
    assert not out.exists()
    accepted.append(True)
    with qtbot.waitSignal(preview.printed, timeout=20000):
        preview.print_button.click()
    assert len(PdfReader(out).pages) == 2


def test_save_as_writes_the_bytes_and_adds_the_suffix(preview, tmp_path, monkeypatch):
    data = make_pdf(1)
    preview.set_pdf(data, suggested_name="组工信息.pdf")
    target = tmp_path / "saved"
    asked = {}

    def fake_save(parent, title, name, filters):
        asked["name"] = name
        return str(target), filters

    monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", fake_save)
    assert preview.save_as() == tmp_path / "saved.pdf"
    assert (tmp_path / "saved.pdf").read_bytes() == data and asked["name"] == "组工信息.pdf"
    monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert preview.save_as() is None


def test_open_externally_hands_a_copy_to_the_system(preview, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(pdf_preview.QDesktopServices, "openUrl",
                        lambda url: opened.append(url) or True)
    data = make_pdf(1)
    preview.set_pdf(data, suggested_name="简报.pdf")
    path = preview.open_externally()
    assert opened[0].toLocalFile() == str(path) and path.name == "简报.pdf"
    assert path.read_bytes() == data


def test_module_level_helpers_render_a_page():
    document = pdf_preview.open_document(make_pdf(1))
    assert pdf_preview.render_page(document, 0, 50).width() > 100


def test_a_pdf_set_while_hidden_fits_the_width_it_is_shown_at(qtbot):
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.set_pdf(make_pdf(2))  # hidden: the viewport's width is not the final one
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    page = widget._labels[0]
    available = widget.scroll.viewport().width()
    assert available - 60 <= page.width() <= available
