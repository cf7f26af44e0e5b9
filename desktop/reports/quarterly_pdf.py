"""The quarterly statistical report (季度统计报表) as an A4 PDF.

Page 1 opens with the title block (title, compiling unit, statistics date,
compiling date) and the summary paragraph; the tables follow with their total
rows, and the two charts of quarterly_charts after tables 1 and 3. Pages carry "第 N 页 共 M 页". User text (township names) is escaped before it
reaches a Paragraph, or drawn as a plain string.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line
from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from desktop.domain.coverage import MINUS, Cell, QuarterlyReport, ReportTable
from desktop.reports import glyphs
from desktop.reports.cjk_text import CJKParagraph, header_lines, plain_style
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.reports.quarterly_charts import (FRAME_W, MARGIN_X, PAGE_W, coverage_chart,
                                              drawing_for, forms_chart)
from desktop.reports.render_result import RenderResult

MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 20 * mm
CELL_SIZE = 8.5
CELL_PADDING = 3
HEADER_GREY = Color(0.86, 0.86, 0.86)
TOTAL_GREY = Color(0.93, 0.93, 0.93)


def render_quarterly_report(report: QuarterlyReport, out: str | Path | io.BytesIO, *,
                            fonts: FontSet | None = None) -> RenderResult:
    """Write the report PDF to `out` (a path or a binary buffer)."""
    fonts = fonts or cjk_fonts()
    target = str(out) if isinstance(out, (str, Path)) else out
    doc = SimpleDocTemplate(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=report.title, author=report.compiling_unit,
                            creator="两新党建工作台", initialFontName=fonts.body)
    pages: list[int] = []
    doc.build(_story(report, fonts), canvasmaker=_numbered_canvas(fonts, pages))
    warnings = tuple(w for w in (fonts.warning,) if w)
    warnings += glyphs.warnings_for(_places(report), (fonts.body, fonts.heading))
    return RenderResult(page_count=pages[0] if pages else doc.page, warnings=warnings)


def _places(report: QuarterlyReport) -> list[tuple[str, str]]:
    """The report's typed text (county, unit, township names) and where it prints."""
    places = [("报表标题", report.title), ("编制单位", report.compiling_unit)]
    places += [(f"乡镇（街道、园区）“{bar.label}”", bar.label) for bar in report.coverage_bars]
    return places


# --- page numbers -------------------------------------------------------------

def _numbered_canvas(fonts: FontSet, pages: list[int]) -> type[Canvas]:
    """A canvas class that holds pages back until the total is known, then numbers them."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages.append(len(self._held))
            for state in self._held:
                self.__dict__.update(state)
                self.setFont(fonts.body, 9)
                self.drawCentredString(PAGE_W / 2, MARGIN_BOTTOM / 2,
                                       f"第 {self._pageNumber} 页  共 {len(self._held)} 页")
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# --- story --------------------------------------------------------------------

def _story(report: QuarterlyReport, fonts: FontSet) -> list:
    story = _title_block(report, fonts)
    story += [_heading("一、总体情况", fonts),
              CJKParagraph(report.summary, plain_style(fonts.body, 11.5, 20, spaceAfter=6)),
              _heading("二、统计表及图示", fonts)]
    charts = {0: KeepTogether([coverage_chart(report, fonts), Spacer(1, 4 * mm)]),
              2: forms_chart(report, fonts)}
    for index, table in enumerate(report.tables):
        story += [CondPageBreak(40 * mm), _caption(table.title, fonts), _table(table, fonts),
                  Spacer(1, 5 * mm)]
        if index in charts:
            story.append(charts[index])
    return story


def _title_block(report: QuarterlyReport, fonts: FontSet) -> list:
    title_style = plain_style(fonts.heading, 17, 26, alignment=TA_CENTER, spaceAfter=4 * mm)
    info_style = plain_style(fonts.body, 10.5, 16, alignment=TA_CENTER)
    made, as_of = report.compiled_on, report.as_of
    info = (f"编制单位：{report.compiling_unit}    统计时点：{_date_zh(as_of)}    "
            f"编制日期：{_date_zh(made)}")
    return [CJKParagraph(report.title, title_style, first_line_indent_chars=0),
            CJKParagraph(info, info_style, first_line_indent_chars=0),
            _rule(fonts), Spacer(1, 3 * mm)]


def _date_zh(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _rule(fonts: FontSet) -> Drawing:
    drawing = drawing_for(FRAME_W, 4 * mm, fonts)
    drawing.add(Line(0, 2 * mm, FRAME_W, 2 * mm, strokeColor=black, strokeWidth=1))
    return drawing


def _heading(text: str, fonts: FontSet) -> CJKParagraph:
    style = plain_style(fonts.heading, 13, 20, spaceBefore=3 * mm, spaceAfter=2 * mm)
    return CJKParagraph(text, style, first_line_indent_chars=0)


def _caption(text: str, fonts: FontSet) -> CJKParagraph:
    style = plain_style(fonts.heading, 10.5, 16, spaceAfter=1.5 * mm)
    return CJKParagraph(printable(text, fonts.heading), style, first_line_indent_chars=0)


# --- tables -------------------------------------------------------------------

def _cell_styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    common = {"fontSize": CELL_SIZE, "leading": CELL_SIZE * 1.25, "wordWrap": "CJK"}
    return {"head": ParagraphStyle("q-head", fontName=fonts.heading, alignment=TA_CENTER, **common),
            "name": ParagraphStyle("q-name", fontName=fonts.body, alignment=TA_LEFT, **common),
            "marked": ParagraphStyle("q-marked", fontName=fonts.heading, alignment=TA_LEFT,
                                     **common),
            "total": ParagraphStyle("q-total", fontName=fonts.heading, alignment=TA_CENTER,
                                    **common)}


def _text(value: Cell, font: str) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return printable(str(value), font)


def printable(text: str, font: str) -> str:
    """`text` with the minus sign U+2212 swapped for '-' when `font` lacks that glyph
    (AR PL UMing does), so a decrease never prints as an empty box."""
    if MINUS not in text:
        return text
    face = getattr(pdfmetrics.getFont(font), "face", None)
    glyphs = getattr(face, "charToGlyph", None)
    if glyphs is None or ord(MINUS) in glyphs:
        return text
    return text.replace(MINUS, "-")


def _table(table: ReportTable, fonts: FontSet) -> Table:
    styles = _cell_styles(fonts)
    data = _header_rows(table, styles["head"])
    head_rows = len(data)
    marked = set(table.marked_rows)
    for k, row in enumerate(table.rows):
        font, style = (fonts.heading, "marked") if k in marked else (fonts.body, "name")
        data.append([Paragraph(glyphs.markup(str(row[0]), font), styles[style]),
                     *(_text(v, font) for v in row[1:])])
    if table.total is not None:
        data.append([Paragraph(glyphs.markup(str(table.total[0]), fonts.heading), styles["total"]),
                     *(_text(v, fonts.heading) for v in table.total[1:])])
    widths = _widths(table)
    result = Table(data, colWidths=widths, repeatRows=head_rows)
    result.setStyle(_table_style(table, fonts, len(data), head_rows))
    bold = {head_rows + k for k in marked} | ({len(data) - 1} if table.total else set())
    result.setStyle(TableStyle(_shrink_to_fit(data, widths, fonts, head_rows, bold)))
    return result


def _shrink_to_fit(data: list[list], widths: list[float], fonts: FontSet,
                   head_rows: int, bold: set[int]) -> list[tuple]:
    """Smaller type for the odd figure too wide for its column (a county's total
    of employees), rather than letting it run into the next cell."""
    commands = []
    for r in range(head_rows, len(data)):
        font = fonts.heading if r in bold else fonts.body
        for c, value in enumerate(data[r][1:], start=1):
            room = widths[c] - 2 * CELL_PADDING
            need = stringWidth(value, font, CELL_SIZE)
            if need > room:
                commands.append(("FONTSIZE", (c, r), (c, r), CELL_SIZE * room / need))
    return commands


def _header_rows(table: ReportTable, style: ParagraphStyle) -> list[list]:
    """One header row, or two when the table groups its columns."""
    widths = _widths(table)
    cells = [_header_cell(h, style, widths[c] - 2 * CELL_PADDING)
             for c, h in enumerate(table.header)]
    if not table.groups:
        return [cells]
    top: list = [cells[0]] + [""] * (len(cells) - 1)
    for label, first, _last in table.group_starts():
        top[first] = Paragraph(escape(label), style)
    return [top, [""] + cells[1:]]


def _header_cell(text: str, style: ParagraphStyle, room: float) -> Paragraph:
    """A header broken by our rules, never one character alone on a line (从业人/员)."""
    lines = header_lines(text, style.fontName, style.fontSize, room)
    return Paragraph("<br/>".join(escape(line) for line in lines), style)


def _widths(table: ReportTable) -> list[float]:
    weights = table.widths or (1,) * len(table.header)
    unit = FRAME_W / sum(weights)
    return [w * unit for w in weights]


def _table_style(table: ReportTable, fonts: FontSet, n_rows: int, head_rows: int) -> TableStyle:
    last_head = head_rows - 1
    commands = [
        ("FONT", (0, 0), (-1, -1), fonts.body, CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("BOX", (0, 0), (-1, -1), 1, black),
        ("BACKGROUND", (0, 0), (-1, last_head), HEADER_GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("ALIGN", (c, head_rows), (c, -1), table.column_align(c))
                 for c in range(1, len(table.header))]
    commands += [("FONT", (1, head_rows + k), (-1, head_rows + k), fonts.heading, CELL_SIZE)
                 for k in table.marked_rows]
    if table.groups:
        commands.append(("SPAN", (0, 0), (0, 1)))
        commands += [("SPAN", (first, 0), (last, 0)) for _, first, last in table.group_starts()]
    if table.total is not None:
        commands += [("BACKGROUND", (0, n_rows - 1), (-1, n_rows - 1), TOTAL_GREY),
                     ("FONT", (1, n_rows - 1), (-1, n_rows - 1), fonts.heading, CELL_SIZE),
                     ("LINEABOVE", (0, n_rows - 1), (-1, n_rows - 1), 1, black)]
    return TableStyle(commands)
