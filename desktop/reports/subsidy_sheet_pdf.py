"""The subsidy sheet (补贴发放表) as a PDF: the same rows as the workbook, for printing.

A4 landscape; the column header row repeats on every page (a PagedTable, so
a long sheet costs time in proportion to its lines); every page carries
内部资料 注意保密, "第 N 页 共 M 页" and, on drafts, a large 草稿 watermark under
the table. Locked sheets end with the audit hash taken at locking.

"共 M 页" is drawn on each page as a form XObject that is only defined when the
canvas is saved, once the page count is known, so the document is built once.

Cells are plain strings broken into lines by our own rules (cjk_text), which
ReportLab draws far faster than Paragraphs; only a cell with a character the
body font lacks becomes a Paragraph, with its text escaped and the fallback
runs tagged (never user text as ReportLab markup). Header cells break between
words, and ID and bank numbers shrink to stay on one line. The signatures and
the audit code stay on the page of the last rows.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.domain.money import amount_in_words, format_fen
from desktop.reports import glyphs
from desktop.reports.cjk_text import fitted_size, word_lines, wrapped_text
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.reports.paged_table import PagedTable, RowCommands, TableRows
from desktop.reports.render_result import RenderResult
from desktop.domain.subsidy_sheet import (
    CONFIDENTIAL, DRAFT_MARK, SIGNERS, SheetLine, SheetRow, SubsidySheet, audit_text, footer_date,
    sheet_rows, status_text,
)

PAGE_W, PAGE_H = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 10 * mm, 16 * mm, 14 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
CELL_SIZE = 8
RED = colors.HexColor("#C00000")
HEADER_FILL = colors.HexColor("#DDEBF7")
TOTAL_FILL = colors.HexColor("#F2F2F2")
# Relative column widths: the workbook's, with room moved from the signature and
# number columns to the enterprises and the bank so fewer rows wrap.
PDF_WIDTHS = (5, 7, 18, 13, 27, 8, 6, 9, 10, 16, 19, 11, 11)
NUMBER_COLUMNS = (2, 10)  # ID number, bank account: one line each, shrunk when too wide
PADDING_X = 2
MAX_PLAIN_LINES = 12  # a cell of more lines is a Paragraph: its row may have to split in-row
LEADING = CELL_SIZE * 1.25
# Where each header may break: between these words, so no line holds one character
# alone (驻企天/数). A header not listed breaks every two characters.
HEADER_WORDS = {h.replace("|", ""): tuple(h.split("|")) for h in (
    "序号", "姓名", "公民|身份|号码", "派出|单位", "派驻|企业", "所属|乡镇", "驻企|天数",
    "月补贴|标准|（元）", "考核|等次", "应发|金额|（元）", "开户|银行", "银行|卡号", "备注",
    "领取人|签字")}
_TOTAL_FORM = "lxSubsidyPageTotal"


def render_subsidy_sheet(out_path: str | Path | io.BytesIO, sheet: SubsidySheet, *,
                         fonts: FontSet | None = None) -> RenderResult:
    """Write `sheet` as a PDF to `out_path` (a path or a binary buffer)."""
    fonts = fonts or cjk_fonts()
    target = str(out_path) if isinstance(out_path, Path) else out_path
    doc = SimpleDocTemplate(
        target, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=sheet.title,
        creator="两新党建工作台", initialFontName=fonts.body)
    page = functools.partial(_draw_page, sheet, fonts)
    doc.build(_story(sheet, fonts), onFirstPage=page, onLaterPages=page,
              canvasmaker=functools.partial(_SheetCanvas, fonts=fonts))
    return RenderResult(page_count=doc.page, warnings=sheet_warnings(sheet, fonts))


def sheet_warnings(sheet: SubsidySheet, fonts: FontSet) -> tuple[str, ...]:
    """What the clerk should know before printing `sheet`: a font that is not
    embedded, and the rows with characters no installed font prints."""
    warnings = tuple(w for w in (fonts.warning,) if w)
    return warnings + glyphs.warnings_for(_places(sheet, fonts.body), (fonts.body, fonts.heading))


def _places(sheet: SubsidySheet, font: str) -> Iterator[tuple[str, str]]:
    """(where, text) for the title and every typed cell that has a character the
    body font lacks: only those can hold one no font prints."""
    headers = sheet.headers()
    known: set[str] = set()  # characters the body font has

    def suspect(text: str) -> bool:
        for ch in set(text) - known:
            if not (ch.isascii() or glyphs.has_glyph(font, ch)):
                return True
            known.add(ch)
        return False

    yield ("表头", sheet.title)
    for row in sheet_rows(sheet.lines):
        if row.line is None:
            continue
        for column, text in _line_texts(row.line).items():
            if suspect(text):
                yield f"第{row.seq}行（{row.line.name}）{headers[column]}", text


# --- the story ------------------------------------------------------------------

def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=CELL_SIZE,
                          leading=CELL_SIZE * 1.25, wordWrap="CJK")
    return {
        "cell": cell,
        "center": ParagraphStyle("center", parent=cell, alignment=TA_CENTER),
        "bold": ParagraphStyle("bold", parent=cell, fontName=fonts.heading, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=cell, fontName=fonts.heading, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=fonts.heading, fontSize=16, leading=22,
                                alignment=TA_CENTER, wordWrap="CJK"),
        "line": ParagraphStyle("line", fontName=fonts.body, fontSize=10, leading=14,
                               wordWrap="CJK"),
    }


def _story(sheet: SubsidySheet, fonts: FontSet) -> list:
    styles = _styles(fonts)
    return [
        Paragraph(glyphs.markup(sheet.title, fonts.heading), styles["title"]),
        Spacer(0, 2 * mm),
        _status_line(sheet, styles),
        Spacer(0, 1 * mm),
        _table(sheet, styles, fonts),
    ]


def _status_line(sheet: SubsidySheet, styles: dict[str, ParagraphStyle]) -> Table:
    red = ParagraphStyle("red", parent=styles["line"], textColor=RED,
                         fontName=styles["head"].fontName)
    status = Paragraph(escape(status_text(sheet)), red if sheet.is_draft else styles["line"])
    unit = Paragraph("单位：元", ParagraphStyle("unit", parent=styles["line"], alignment=2))
    # 内部资料 注意保密 is on every page's top edge already (_draw_page).
    table = Table([[status, unit]], colWidths=[FRAME_W * 0.7, FRAME_W * 0.3])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _table(sheet: SubsidySheet, styles: dict[str, ParagraphStyle], fonts: FontSet) -> PagedTable:
    unit = FRAME_W / sum(PDF_WIDTHS)
    widths = [w * unit for w in PDF_WIDTHS]
    header, header_commands = _header(sheet, widths, fonts)
    cells = _Cells(sheet, styles, fonts, widths)
    rows, row_commands = [], []
    for row in sheet_rows(sheet.lines):
        if row.line is not None:
            values, commands = cells.line(row)
            rows.append(values)
            row_commands.append(commands)
        else:
            rows.append(_sum_cells(row, styles, fonts))
            row_commands.append(functools.partial(_sum_commands, row, fonts=fonts))
    # The signatures and the audit code never go to a page of their own.
    tail = [Spacer(0, 6 * mm), _signatures(sheet, styles), Spacer(0, 2 * mm),
            Paragraph(escape(audit_text(sheet)), styles["line"])]
    return PagedTable(TableRows(header, rows, widths,
                                _base_commands(sheet, fonts) + header_commands, row_commands,
                                tail))


def _header(sheet: SubsidySheet, widths: list[float],
            fonts: FontSet) -> tuple[list[str], list[tuple]]:
    """The header cells, broken between words, and a smaller size for any whose
    longest word would not fit its column at CELL_SIZE."""
    cells, commands = [], []
    for column, text in enumerate(sheet.headers()):
        words = HEADER_WORDS.get(text) or tuple(text[k:k + 2] for k in range(0, len(text), 2))
        lines, size = word_lines(words, fonts.heading, CELL_SIZE, widths[column] - 2 * PADDING_X)
        cells.append(lines)
        if size < CELL_SIZE:
            commands.append(("FONTSIZE", (column, 0), (column, 0), size))
    return cells, commands


def _base_commands(sheet: SubsidySheet, fonts: FontSet) -> list:
    standard_align = "CENTER" if sheet.pays_bonus else "RIGHT"
    return [
        ("FONT", (0, 0), (-1, -1), fonts.body, CELL_SIZE, LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (0, 1), (1, -1), "CENTER"),
        ("ALIGN", (5, 1), (6, -1), "CENTER"),
        ("ALIGN", (7, 1), (7, -1), standard_align),
        ("ALIGN", (8, 1), (8, -1), "RIGHT"),
        ("FONT", (0, 0), (-1, 0), fonts.heading, CELL_SIZE, LEADING),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def _line_texts(line: SheetLine) -> dict[int, str]:
    """The typed text of a line, by column (the columns that wrap)."""
    return {1: line.name, 3: line.home_unit, 4: line.organizations, 5: line.township,
            9: line.bank_name, 11: line.note}


class _Cells:
    """The cells of officers' lines: plain pre-broken strings where the body font
    prints every character, Paragraphs only where a fallback font is needed."""

    def __init__(self, sheet: SubsidySheet, styles: dict[str, ParagraphStyle], fonts: FontSet,
                 widths: list[float]) -> None:
        self._sheet, self._styles, self._font = sheet, styles, fonts.body
        self._room = [w - 2 * PADDING_X for w in widths]
        self._standard = format_fen(sheet.monthly_stipend_fen)

    def line(self, row: SheetRow) -> tuple[list, RowCommands | None]:
        """The cells of one officer's line, and its own style commands (if any)."""
        line = row.line
        standard = (self._text(line.grade_label or "未考核", 7, centre=True)
                    if self._sheet.pays_bonus else self._standard)
        values: list = [str(row.seq), "", line.id_number, "", "", "", str(line.posted_days),
                        standard, format_fen(line.amount_fen), "", line.bank_account, "", ""]
        for column, text in _line_texts(line).items():
            values[column] = self._text(text, column, centre=column in (1, 5))
        sizes = {column: size for column in NUMBER_COLUMNS
                 if (size := fitted_size(values[column], self._font, CELL_SIZE,
                                         self._room[column])) < CELL_SIZE}
        return values, (functools.partial(_size_commands, sizes) if sizes else None)

    def _text(self, text: str, column: int, *, centre: bool) -> str | Paragraph:
        plain = wrapped_text(text, self._font, CELL_SIZE, self._room[column])
        style = self._styles["center" if centre else "cell"]
        if plain is None:
            return Paragraph(glyphs.markup(text, self._font), style)
        if plain.count("\n") >= MAX_PLAIN_LINES:
            # ReportLab cuts a row taller than a page only between a Paragraph's
            # lines (a string cell goes whole to one piece): same breaks, as a Paragraph.
            return Paragraph("<br/>".join(escape(part) for part in plain.split("\n")), style)
        return plain


def _size_commands(sizes: dict[int, float], index: int) -> list:
    return [("FONTSIZE", (column, index), (column, index), size)
            for column, size in sizes.items()]


def _sum_cells(row: SheetRow, styles: dict[str, ParagraphStyle], fonts: FontSet) -> list:
    cells: list = [""] * len(PDF_WIDTHS)
    if row.kind == "subtotal":
        cells[0] = Paragraph(glyphs.markup(f"{row.label}（{row.count}人）", fonts.heading),
                             styles["bold"])
    else:
        cells[0] = Paragraph(escape(f"合计（{row.count}人）"), styles["bold"])
        cells[2] = Paragraph(escape(f"大写：{amount_in_words(row.amount_fen)}"), styles["bold"])
    cells[8] = format_fen(row.amount_fen)
    return cells


def _sum_commands(row: SheetRow, index: int, *, fonts: FontSet) -> list:
    spans = [((0, index), (5, index))] if row.kind == "subtotal" else [
        ((0, index), (1, index)), ((2, index), (7, index)), ((9, index), (12, index))]
    commands: list = [("SPAN", *span) for span in spans]
    commands.append(("BACKGROUND", (0, index), (-1, index), TOTAL_FILL))
    commands.append(("FONT", (0, index), (-1, index), fonts.heading, CELL_SIZE))
    return commands


def _signatures(sheet: SubsidySheet, styles: dict[str, ParagraphStyle]) -> Table:
    cells = [Paragraph(f"{signer}：", styles["line"]) for signer in SIGNERS]
    cells.append(Paragraph(escape(footer_date(sheet)), styles["line"]))
    table = Table([cells], colWidths=[FRAME_W / 4] * 4)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


# --- page furniture -----------------------------------------------------------------

def _draw_page(sheet: SubsidySheet, fonts: FontSet, canv: Canvas, _doc) -> None:
    """Under the page's content: watermark, confidentiality mark, page number, batch."""
    canv.saveState()
    if sheet.is_draft:
        canv.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
        canv.setFont(fonts.heading, 150)
        canv.translate(PAGE_W / 2, PAGE_H / 2)
        canv.rotate(30)
        canv.drawCentredString(0, -50, DRAFT_MARK)
        canv.rotate(-30)
        canv.translate(-PAGE_W / 2, -PAGE_H / 2)
    canv.setFillColor(RED)
    canv.setFont(fonts.heading, 10)
    canv.drawString(MARGIN_X, PAGE_H - 10 * mm, CONFIDENTIAL)
    canv.setFillColor(colors.black)
    canv.setFont(fonts.body, 9)
    y = MARGIN_BOTTOM / 2
    canv.drawRightString(PAGE_W / 2 - 1, y, f"第 {canv.getPageNumber()} 页 ")
    canv.doForm(_TOTAL_FORM)
    canv.drawRightString(PAGE_W - MARGIN_X, y, f"批次 {sheet.run_id[:8]}")
    canv.restoreState()


class _SheetCanvas(Canvas):
    """A canvas that writes the page total ("共 M 页") into every page when saved."""

    def __init__(self, *args, fonts: FontSet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fonts = fonts

    def save(self) -> None:
        """Define the page-total form now that the page count is known, then save."""
        pages = self.getPageNumber() - 1  # the number of the page after the last one
        self.beginForm(_TOTAL_FORM)
        self.setFont(self._fonts.body, 9)
        self.drawString(PAGE_W / 2 + 1, MARGIN_BOTTOM / 2, f"共 {pages} 页")
        self.endForm()
        super().save()
