"""The quarterly report's two vector charts, drawn with ReportLab graphics so they
print sharp: org coverage by township (bars, with the county average) and Party
organizations by form (a pie). Made for greyscale printers: grey levels far
apart, a value label on every bar and slice, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Spacer

from desktop.domain.coverage import Bar, QuarterlyReport, format_rate
from desktop.reports import glyphs
from desktop.reports.fonts import FontSet

# The report's text frame on A4; quarterly_pdf lays its pages out with the same.
PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
BAR_GREY = Color(0.45, 0.45, 0.45)
GRID_GREY = Color(0.75, 0.75, 0.75)
SLICE_GREYS = (Color(0.15, 0.15, 0.15), Color(0.55, 0.55, 0.55), Color(0.88, 0.88, 0.88))
CHART_MAX_H = 175 * mm
LABEL_MAX_W = 45 * mm


def drawing_for(width: float, height: float, fonts: FontSet) -> Drawing:
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
    drawing = drawing_for(FRAME_W, height, fonts)
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


def forms_chart(report: QuarterlyReport, fonts: FontSet) -> KeepTogether:
    """A pie of Party organizations by form; every slice labelled with count and share."""
    height = 70 * mm
    drawing = drawing_for(FRAME_W, height, fonts)
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
