"""The quarterly report's two charts on screen, painted with QPainter (the Qt
wheels we ship carry no Qt Charts) from the same numbers the PDF draws.

Both are horizontal bars on a 0–100% axis: org coverage per township with a
dashed line at the county average, and Party organizations by form as shares
of all of them. Like the printed charts they are made for greyscale: grey
fills far apart, black outlines, and the value printed beside every bar, so
nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.domain.coverage import Bar, format_rate, rate_tenths

MARGIN = 10
GAP = 6
MIN_ROW, MAX_ROW = 18, 30
AXIS_STEPS = (0, 20, 40, 60, 80, 100)
BAR_GREY = QColor(115, 115, 115)
GRID_GREY = QColor(200, 200, 200)
FORM_GREYS = (QColor(38, 38, 38), QColor(140, 140, 140), QColor(224, 224, 224))
NO_PARTY_ORGS = "统计时点尚无已建党组织"


def coverage_bars(bars: Sequence[Bar]) -> tuple[Bar, ...]:
    """The coverage bars as shown: a township without organizations says so."""
    return tuple(b if b.tenths is not None else Bar(b.label, None, f"{b.text}（无组织）")
                 for b in bars)


def form_bars(forms: Sequence[tuple[str, int]]) -> tuple[Bar, ...]:
    """Party organizations by form as bars of their share: '单独组建 66个（45.8%）'."""
    total = sum(n for _, n in forms)
    if total == 0:
        return ()
    return tuple(Bar(label, rate_tenths(n, total), f"{n}个（{format_rate(n, total)}）")
                 for label, n in forms)


class BarChart(QWidget):
    """Labelled horizontal bars on a 0–100% axis, an optional dashed reference
    line (the average), the value beside each bar, on a white 'paper' ground."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._bars: tuple[Bar, ...] = ()
        self._reference: Bar | None = None
        self._reference_label = ""
        self._fills: tuple[QColor, ...] = ()
        self.empty_text = "没有数据"
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- data ------------------------------------------------------------------
    def set_bars(self, bars: Sequence[Bar], *, reference: Bar | None = None,
                 reference_label: str = "", fills: Sequence[QColor] = (),
                 empty_text: str | None = None) -> None:
        """Show `bars` (top to bottom); `fills` give each bar its own grey."""
        self._bars, self._reference = tuple(bars), reference
        self._reference_label, self._fills = reference_label, tuple(fills)
        if empty_text is not None:
            self.empty_text = empty_text
        self.setAccessibleDescription("；".join(f"{b.label} {b.text}" for b in self._bars)
                                      or self.empty_text)
        self.updateGeometry()
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        """The bars shown."""
        return self._bars

    def reference(self) -> Bar | None:
        """The reference line shown (the county average), if any."""
        return self._reference

    # -- size ------------------------------------------------------------------
    def _chrome_height(self) -> int:
        """Everything but the rows: margins, title, reference label, axis labels."""
        line = self.fontMetrics().height()
        return 2 * MARGIN + (line + GAP) * 2 + (line if self._reference else 0) + GAP

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for every bar at a comfortable height."""
        return QSize(460, self._chrome_height() + max(len(self._bars), 2) * 22)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Every bar still gets a readable row."""
        return QSize(300, self._chrome_height() + max(len(self._bars), 2) * MIN_ROW)

    # -- painting --------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the title, the grid, the bars and their values."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setPen(GRID_GREY)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        top = self._paint_title(painter)
        if self._bars:
            self._paint_plot(painter, top)
        else:
            painter.drawText(QRectF(0, top, self.width(), self.height() - top - MARGIN),
                             Qt.AlignmentFlag.AlignCenter, self.empty_text)
        painter.end()

    def _paint_title(self, painter: QPainter) -> float:
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        height = QFontMetrics(font).height()
        painter.drawText(QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, height),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         self.title)
        painter.setFont(self.font())
        return MARGIN + height + GAP

    def _paint_plot(self, painter: QPainter, top: float) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        label_w = min(max(metrics.horizontalAdvance(b.label) for b in self._bars) + GAP,
                      self.width() * 0.35)
        value_w = max(metrics.horizontalAdvance(b.text) for b in self._bars) + GAP
        left = MARGIN + label_w
        width = max(self.width() - left - value_w - MARGIN, 20)
        if self._reference is not None:
            top += line
        span = self.height() - top - MARGIN - line - GAP
        row = max(MIN_ROW, min(MAX_ROW, span / len(self._bars)))
        plot_h = row * len(self._bars)
        self._paint_axis(painter, left, width, top, plot_h)
        for k, bar in enumerate(self._bars):
            self._paint_bar(painter, k, bar, left, width, top + k * row, row, label_w)
        self._paint_reference(painter, left, width, top, plot_h)

    def _paint_axis(self, painter: QPainter, left: float, width: float, top: float,
                    height: float) -> None:
        line = self.fontMetrics().height()
        for percent in AXIS_STEPS:
            x = left + width * percent / 100
            painter.setPen(GRID_GREY)
            painter.drawLine(round(x), round(top), round(x), round(top + height))
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(QRectF(x - 30, top + height + 2, 60, line),
                             Qt.AlignmentFlag.AlignHCenter, f"{percent}%")
        painter.drawLine(round(left), round(top), round(left), round(top + height))

    def _paint_bar(self, painter: QPainter, index: int, bar: Bar, left: float, width: float,
                   y: float, row: float, label_w: float) -> None:
        painter.setPen(Qt.GlobalColor.black)
        middle = Qt.AlignmentFlag.AlignVCenter
        label = self.fontMetrics().elidedText(bar.label, Qt.TextElideMode.ElideRight,
                                              round(label_w - GAP))
        painter.drawText(QRectF(MARGIN, y, label_w - GAP, row),
                         middle | Qt.AlignmentFlag.AlignRight, label)
        end = left
        if bar.tenths is not None:
            end = left + width * min(bar.tenths, 1000) / 1000
            fill = self._fills[index] if index < len(self._fills) else BAR_GREY
            painter.setBrush(fill)
            painter.drawRect(QRectF(left, y + row * 0.18, end - left, row * 0.64))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        text_w = self.fontMetrics().horizontalAdvance(bar.text) + 4
        # A white box under the value keeps it legible where the average line crosses.
        painter.fillRect(QRectF(end + 2, y + row * 0.12, text_w, row * 0.76), Qt.GlobalColor.white)
        painter.drawText(QRectF(end + 4, y, text_w + GAP, row), middle, bar.text)

    def _paint_reference(self, painter: QPainter, left: float, width: float, top: float,
                         height: float) -> None:
        reference = self._reference
        if reference is None or reference.tenths is None:
            return
        x = left + width * min(reference.tenths, 1000) / 1000
        pen = QPen(Qt.GlobalColor.black, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(round(x), round(top - 2), round(x), round(top + height))
        painter.setPen(Qt.GlobalColor.black)
        line = self.fontMetrics().height()
        text = f"{self._reference_label} {reference.text}".strip()
        text_w = self.fontMetrics().horizontalAdvance(text) + 4
        start = min(max(x - text_w / 2, MARGIN), self.width() - MARGIN - text_w)
        painter.drawText(QRectF(start, top - line - 2, text_w, line),
                         Qt.AlignmentFlag.AlignCenter, text)


class CoverageChart(BarChart):
    """图1: org coverage by township with the county average."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("图1  各乡镇（街道、园区）党组织覆盖率", parent)

    def show_coverage(self, bars: Sequence[Bar], average: Bar | None,
                      place: str = "全县") -> None:
        """The report's coverage bars and its average."""
        self.set_bars(coverage_bars(bars), reference=average, reference_label=f"{place}平均",
                      empty_text="没有乡镇（街道、园区）")


class FormsChart(BarChart):
    """图2: Party organizations by form, each as a share of all of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("图2  党组织组建形式", parent)

    def show_forms(self, forms: Sequence[tuple[str, int]]) -> None:
        """The report's (form label, count) pairs."""
        self.set_bars(form_bars(forms), fills=FORM_GREYS, empty_text=NO_PARTY_ORGS)
