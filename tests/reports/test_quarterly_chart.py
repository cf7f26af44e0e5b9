"""The coverage chart, measured: the county-average line never runs through a label."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Group, Line, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.reports.fonts import cjk_fonts
from desktop.reports.quarterly_pdf import coverage_chart
from tests.reports.test_quarterly_pdf import make_report

NAMES = ("城关镇", "东关街道", "经开区", "空白乡", "西河镇", "南山乡")


def _shapes(node):
    for shape in getattr(node, "contents", ()):
        if isinstance(shape, Group):
            yield from _shapes(shape)
        else:
            yield shape


def _box(s: String) -> tuple[float, float, float, float]:
    """The string's ink box (x0, y0, x1, y1), descenders and ascenders included."""
    width = stringWidth(s.text, s.fontName, s.fontSize)
    left = {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}[s.textAnchor]
    return left, s.y - 0.25 * s.fontSize, left + width, s.y + s.fontSize


def _average_line(drawing) -> Line:
    lines = [s for s in _shapes(drawing) if isinstance(s, Line) and s.strokeDashArray]
    assert len(lines) == 1
    return lines[0]


def _crossed_labels(drawing) -> list[str]:
    line = _average_line(drawing)
    x, low, high = line.x1, min(line.y1, line.y2), max(line.y1, line.y2)
    crossed = []
    for s in _shapes(drawing):
        if not isinstance(s, String):
            continue
        x0, y0, x1, y1 = _box(s)
        if x0 - 1 <= x <= x1 + 1 and y0 < high and low < y1:
            crossed.append(s.text)
    return crossed


@pytest.mark.parametrize("sizes", [
    # Rates 31–34% around a 32.3% average: just below, at and just above the line.
    ((100, 33, 50, 0), (100, 31, 50, 0), (100, 32, 50, 0), (100, 34, 50, 0)),
    # Rates equal to the average exactly.
    ((100, 30, 50, 0), (100, 30, 50, 0), (100, 30, 50, 0), (100, 30, 50, 0)),
    # A township without organizations beside a low average: its note starts near 0%.
    ((100, 3, 50, 0), (0, 0, 0, 0), (100, 2, 50, 0), (100, 1, 50, 0)),
])
def test_average_line_crosses_no_label(sizes):
    drawing = coverage_chart(make_report(NAMES, sizes), cjk_fonts())
    assert _crossed_labels(drawing) == []


def test_every_value_is_still_printed_in_its_row():
    sizes = ((100, 33, 50, 0), (100, 31, 50, 0), (100, 32, 50, 0), (100, 34, 50, 0))
    drawing = coverage_chart(make_report(NAMES, sizes), cjk_fonts())
    texts = [s.text for s in _shapes(drawing) if isinstance(s, String)]
    for value in ("33.0%", "31.0%", "32.0%", "34.0%"):
        assert value in texts
    assert "全县平均 32.3%" in texts


def test_average_label_stays_inside_the_drawing():
    names = ("甲", "乙", "丙", "丁")
    sizes = ((1000, 1, 50, 0), (1000, 0, 50, 0), (1000, 0, 50, 0), (1000, 0, 50, 0))
    drawing = coverage_chart(make_report(names, sizes), cjk_fonts())
    label = next(s for s in _shapes(drawing) if isinstance(s, String) and "全县平均" in s.text)
    x0, _, x1, _ = _box(label)
    assert 0 <= x0 and x1 <= drawing.width
