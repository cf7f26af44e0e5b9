"""The quarterly statistical report (季度统计报表) as an A4 PDF.

Page 1 opens with the title block (title, compiling unit, statistics date,
compiling date) and the summary paragraph; the tables follow with their total
rows, and two vector charts drawn with ReportLab graphics so they print sharp:
org coverage by township (bars, with the county average) and Party
organizations by form (a pie). Charts are made for greyscale printers: grey
levels far apart, a value label on every bar and slice, never colour alone.
Pages carry "第 N 页 共 M 页". User text (township names) is escaped before it
reaches a Paragraph, or drawn as a plain string.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color, black, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from desktop.domain.coverage import MINUS, Bar, Cell, QuarterlyReport, ReportTable, format_rate
from desktop.reports import glyphs
from desktop.reports.cjk_text import CJKParagraph, header_lines, plain_style
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.reports.render_result import RenderResult

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 16 * mm, 18 * mm, 20 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
CELL_SIZE = 8.5
CELL_PADDING = 3
HEADER_GREY = Color(0.86, 0.86, 0.86)
TOTAL_GREY = Color(0.93, 0.93, 0.93)
BAR_GREY = Color(0.45, 0.45, 0.45)
GRID_GREY = Color(0.75, 0.75, 0.75)
SLICE_GREYS = (Color(0.15, 0.15, 0.15), Color(0.55, 0.55, 0.55), Color(0.88, 0.88, 0.88))
CHART_MAX_H = 175 * mm
LABEL_MAX_W = 45 * mm


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
              2: _forms_chart(report, fonts)}
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
    drawing = _drawing(FRAME_W, 4 * mm, fonts)
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
    data += [[Paragraph(glyphs.markup(str(r[0]), fonts.body), styles["name"]),
              *(_text(v, fonts.body) for v in r[1:])] for r in table.rows]
    if table.total is not None:
        data.append([Paragraph(glyphs.markup(str(table.total[0]), fonts.heading), styles["total"]),
                     *(_text(v, fonts.heading) for v in table.total[1:])])
    widths = _widths(table)
    result = Table(data, colWidths=widths, repeatRows=head_rows)
    result.setStyle(_table_style(table, fonts, len(data), head_rows))
    result.setStyle(TableStyle(_shrink_to_fit(data, widths, fonts, head_rows)))
    return result


def _shrink_to_fit(data: list[list], widths: list[float], fonts: FontSet,
                   head_rows: int) -> list[tuple]:
    """Smaller type for the odd figure too wide for its column (a county's total
    of employees), rather than letting it run into the next cell."""
    commands = []
    last = len(data) - 1
    for r in range(head_rows, len(data)):
        font = fonts.heading if r == last else fonts.body
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
        ("ALIGN", (1, head_rows), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if table.groups:
        commands.append(("SPAN", (0, 0), (0, 1)))
        commands += [("SPAN", (first, 0), (last, 0)) for _, first, last in table.group_starts()]
    if table.total is not None:
        commands += [("BACKGROUND", (0, n_rows - 1), (-1, n_rows - 1), TOTAL_GREY),
                     ("FONT", (1, n_rows - 1), (-1, n_rows - 1), fonts.heading, CELL_SIZE),
                     ("LINEABOVE", (0, n_rows - 1), (-1, n_rows - 1), 1, black)]
    return TableStyle(commands)


# --- charts -------------------------------------------------------------------

def _drawing(width: float, height: float, fonts: FontSet) -> Drawing:
    """A drawing whose initial font is ours: ReportLab's default would put an
    unembedded Helvetica into the file."""
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.body
    return drawing


def _chart_title(drawing: Drawing, text: str, fonts: FontSet) -> None:
    drawing.add(String(drawing.width / 2, drawing.height - 12, text, fontName=fonts.heading,
                       fontSize=10.5, textAnchor="middle"))


def coverage_chart(report: QuarterlyReport, fonts: FontSet) -> Drawing:
    """Horizontal bars of org coverage per township, 0–100%, value at each bar's end,
    and a dashed line at the county average that no value label sits on."""
    bars = report.coverage_bars
    row_h = max(9.0, min(16.0, (CHART_MAX_H - 40) / max(len(bars), 1)))
    size = min(8.5, row_h * 0.7)
    label_w = min(max((glyphs.width(b.label, fonts.body, size) for b in bars), default=0) + 6,
                  LABEL_MAX_W)
    plot_x, plot_w = label_w, FRAME_W - label_w - 24 * mm
    height = 50 + row_h * len(bars)
    drawing = _drawing(FRAME_W, height, fonts)
    _chart_title(drawing, "图1  各乡镇（街道、园区）党组织覆盖率", fonts)
    top = height - 32
    _coverage_axis(drawing, plot_x, plot_w, top, row_h * len(bars), fonts)
    average_x = _average_line(drawing, report.average, plot_x, plot_w, top, row_h * len(bars),
                              fonts)
    for k, bar in enumerate(bars):
        _coverage_bar(drawing, bar, _Plot(plot_x, plot_w, average_x),
                      top - (k + 1) * row_h, row_h, size, fonts)
    return drawing


def _fitted(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut short with … when wider than `room` (the table has the full name)."""
    if glyphs.width(text, font, size) <= room:
        return text
    while text and glyphs.width(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


def _strings_ending_at(x: float, y: float, text: str, font: str, size: float) -> list[String]:
    """Chart strings for `text` ending at x, each run in a font that has its characters."""
    pieces = []
    x -= glyphs.width(text, font, size)
    for run, face in glyphs.runs(text, font):
        pieces.append(String(x, y, run, fontName=face, fontSize=size))
        x += stringWidth(run, face, size)
    return pieces


def _x_of(tenths: int, plot_x: float, plot_w: float) -> float:
    return plot_x + plot_w * min(tenths, 1000) / 1000


def _coverage_axis(drawing: Drawing, plot_x: float, plot_w: float, top: float,
                   span: float, fonts: FontSet) -> None:
    bottom = top - span
    for percent in range(0, 101, 20):
        x = _x_of(percent * 10, plot_x, plot_w)
        drawing.add(Line(x, bottom, x, top, strokeColor=GRID_GREY, strokeWidth=0.4))
        drawing.add(String(x, bottom - 10, f"{percent}%", fontName=fonts.body, fontSize=7.5,
                           textAnchor="middle"))
    drawing.add(Line(plot_x, bottom, plot_x, top, strokeColor=black, strokeWidth=0.8))


@dataclass(frozen=True)
class _Plot:
    """Where the bars start, how wide 100% is, and the average line's x (None: no line)."""

    x: float
    w: float
    average_x: float | None


# Room kept clear on each side of the average line, so it never touches a value label.
LINE_CLEARANCE = 2.0


def _clear_of_line(left: float, width: float, plot: _Plot) -> float:
    """Where a value label `width` wide, wanted at `left`, starts so the average line
    does not run through it: right of the line when the line would cross it. The row
    still pairs the value with its bar; the line stays whole."""
    line = plot.average_x
    if line is None or not (left - LINE_CLEARANCE < line < left + width + LINE_CLEARANCE):
        return left
    return line + LINE_CLEARANCE + 1.5


def _coverage_bar(drawing: Drawing, bar: Bar, plot: _Plot, y: float, row_h: float,
                  size: float, fonts: FontSet) -> None:
    text_y = y + (row_h - size) / 2 + size * 0.15
    label = _fitted(bar.label, fonts.body, size, plot.x - 6)
    for piece in _strings_ending_at(plot.x - 4, text_y, label, fonts.body, size):
        drawing.add(piece)
    if bar.tenths is None:
        note = f"{bar.text}（无组织）"
        left = _clear_of_line(plot.x + 4, stringWidth(note, fonts.body, size), plot)
        drawing.add(String(left, text_y, note, fontName=fonts.body, fontSize=size))
        return
    end = _x_of(bar.tenths, plot.x, plot.w)
    drawing.add(Rect(plot.x, y + row_h * 0.18, end - plot.x, row_h * 0.64, fillColor=BAR_GREY,
                     strokeColor=black, strokeWidth=0.4))
    text_w = stringWidth(bar.text, fonts.body, size)
    left = _clear_of_line(end + 1.5, text_w + 3, plot)
    # A white box under the value keeps it legible where a grid line passes behind it.
    drawing.add(Rect(left, y + row_h * 0.12, text_w + 3, row_h * 0.76, fillColor=white,
                     strokeColor=None))
    drawing.add(String(left + 1.5, text_y, bar.text, fontName=fonts.body, fontSize=size))


def _average_line(drawing: Drawing, average: Bar, plot_x: float, plot_w: float, top: float,
                  span: float, fonts: FontSet) -> float | None:
    """Draw the dashed county-average line and its label above the bars; its x, or None."""
    if average.tenths is None:
        return None
    x = _x_of(average.tenths, plot_x, plot_w)
    drawing.add(Line(x, top - span, x, top + 2, strokeColor=black, strokeWidth=0.9,
                     strokeDashArray=[3, 2]))
    text = f"全县平均 {average.text}"
    width = stringWidth(text, fonts.heading, 7.5)
    # Centred on the line, but kept inside the drawing when the average is near 0% or 100%.
    left = max(0.0, min(x - width / 2, drawing.width - width))
    drawing.add(String(left, top + 4, text, fontName=fonts.heading, fontSize=7.5))
    return x


def _forms_chart(report: QuarterlyReport, fonts: FontSet) -> KeepTogether:
    """A pie of Party organizations by form; every slice labelled with count and share."""
    height = 70 * mm
    drawing = _drawing(FRAME_W, height, fonts)
    _chart_title(drawing, "图2  党组织组建形式", fonts)
    total = sum(n for _, n in report.forms)
    if total == 0:
        drawing.add(String(FRAME_W / 2, height / 2, "统计时点尚无已建党组织", fontName=fonts.body,
                           fontSize=10, textAnchor="middle"))
        return KeepTogether([drawing, Spacer(1, 4 * mm)])
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = FRAME_W / 2 - 24 * mm, 8 * mm, 48 * mm, 48 * mm
    shown = [(label, n) for label, n in report.forms if n]
    pie.data = [n for _, n in shown]
    pie.labels = [f"{label} {n}个（{format_rate(n, total)}）" for label, n in shown]
    pie.sideLabels = True
    pie.slices.strokeColor, pie.slices.strokeWidth = black, 0.6
    pie.slices.fontName, pie.slices.fontSize = fonts.body, 9
    pie.slices.label_pointer_strokeColor = black
    greys = {label: grey for (label, _), grey in zip(report.forms, SLICE_GREYS)}
    for k, (label, _) in enumerate(shown):
        pie.slices[k].fillColor = greys[label]
    drawing.add(pie)
    return KeepTogether([drawing, Spacer(1, 4 * mm)])
