"""The 季度报表 screen: pick a quarter, read the report's summary, tables and
charts on screen, preview it as the PDF, print it, export it as PDF or Excel.

The figures are computed off the GUI thread (two quarters of a 100,000-
organization county take most of a second) and again, quietly, whenever
organizations, people, postings or payments change. Every action works on the
report shown, never on a fresh computation, so what is printed is what was read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFrame, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from desktop.domain.coverage import QuarterlyReport, ReportTable
from desktop.domain.periods import Period, quarter_of
from desktop.errors import UserError
from desktop.services import stats
from desktop.services.output_files import save_pdf_bytes
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.printing.preview import PdfPreview
from desktop.views.stats.charts import CoverageChart, FormsChart
from desktop.views.stats.tables import ReportTableModel

# What the report counts: the registry, people, postings, payments, areas and
# the settings printed on it (county name, compiling unit, PDF font).
TABLES = frozenset({"organization", "instructor", "instructor_assignment", "liaison_officer",
                    "posting", "payment_run", "payment_line", "area", "app_setting",
                    "problem", "problem_step",  # 表7 问题清单
                    "exchange_log"})  # 表8 数据报送
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
TABLE_TABS = ("表1 两个覆盖", "表2 比上季度", "表3 组建形式", "表4 分行业", "表5 新业态",
              "表6 人员和补贴", "表7 问题清单", "表8 数据报送")
REPORT_TAB, PREVIEW_TAB = 0, 1
FIRST_YEAR = 2000
CHARTS_MIN_WIDTH, CHARTS_WIDTH = 300, 380
PDF_FILTER = "PDF 文件 (*.pdf)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _today() -> date:
    """Today's date (one place, so tests can fix the calendar)."""
    return date.today()


def latest_finished_quarter(today: date) -> Period:
    """The quarter a clerk reports on by default: the last one that has ended."""
    return quarter_of(today).previous()


def date_zh(d: date) -> str:
    """'2026年6月30日'."""
    return f"{d.year}年{d.month}月{d.day}日"


class StatsScreen(QWidget):
    """The quarterly statistical report of one quarter, on screen and on paper."""

    report_shown = Signal()  # a computed report is on screen

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: QuarterlyReport | None = None
        self._serial = 0          # numbers the computations; only the latest is shown
        self._busy = False
        self._stale = False       # data changed while hidden: recompute when shown
        self._pdf: tuple[bytes, tuple[str, ...]] | None = None  # PDF of `report`
        self._previewed = -1      # the serial of the report in the preview
        self._quarter_note = ""
        self._build()
        self.set_quarter(latest_finished_quarter(_today()), compute=False)
        context.events.data_changed.connect(self._on_data_changed)
        self.refresh()

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        self.as_of_label = QLabel()
        self.as_of_label.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        layout.addWidget(self.as_of_label)
        layout.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._report_page(), "报表")
        self.preview = PdfPreview()
        self.tabs.addTab(self.preview, "PDF 预览")
        self.tabs.currentChanged.connect(self._on_tab)
        layout.addWidget(self.tabs, 1)

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.year_box = QSpinBox()
        self.year_box.setRange(FIRST_YEAR, _today().year)
        self.year_box.setSuffix(" 年")
        self.year_box.setKeyboardTracking(False)
        self.year_box.setAccessibleName("年度")
        self.quarter_box = QComboBox()
        self.quarter_box.addItems(QUARTER_NAMES)
        self.quarter_box.setAccessibleName("季度")
        self.year_box.valueChanged.connect(self._on_selection)
        self.quarter_box.currentIndexChanged.connect(self._on_selection)
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        # A long county name must not widen the window: the title is clipped instead.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget in (QLabel("统计季度"), self.year_box, self.quarter_box):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.title_label, 1)
        self.preview_button = self._button(row, "预览 PDF", self.show_preview)
        self.print_button = self._button(row, "打印…", self.print_report)
        self.pdf_button = self._button(row, "导出 PDF…", self.export_pdf)
        self.xlsx_button = self._button(row, "导出 Excel…", self.export_excel)
        return row

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda *_: slot())
        row.addWidget(button)
        return button

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary.setMargin(8)
        self.summary.setAccessibleName("总体情况")
        layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._table_tabs())
        self.splitter.addWidget(self._charts())
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([3 * CHARTS_WIDTH, CHARTS_WIDTH])
        saved = self.context.settings.window_state("stats/splitter")
        if saved is not None:
            self.splitter.restoreState(saved)
        layout.addWidget(self.splitter, 1)
        return page

    def _table_tabs(self) -> QTabWidget:
        self.table_tabs = QTabWidget()
        self.models: list[ReportTableModel] = []
        self.views: list[QTableView] = []
        self.captions: list[QLabel] = []
        for name in TABLE_TABS:
            page = QWidget()
            layout = QVBoxLayout(page)
            caption = QLabel()
            caption.setWordWrap(True)
            model = ReportTableModel(parent=self)
            view = self._table_view(model)
            layout.addWidget(caption)
            layout.addWidget(view, 1)
            self.captions.append(caption)
            self.models.append(model)
            self.views.append(view)
            self.table_tabs.addTab(page, name)
        return self.table_tabs

    @staticmethod
    def _table_view(model: ReportTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        return view

    def _charts(self) -> QScrollArea:
        """The two charts in a column that scrolls when a county has many townships."""
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.coverage_chart = CoverageChart()
        self.forms_chart = FormsChart()
        self.forms_chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.coverage_chart, 1)
        layout.addWidget(self.forms_chart)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(CHARTS_MIN_WIDTH)
        scroll.setWidget(panel)
        return scroll

    # -- the quarter -------------------------------------------------------------
    def selected_quarter(self) -> Period:
        """The quarter chosen in the selectors."""
        return Period("quarter", self.year_box.value(), self.quarter_box.currentIndex() + 1)

    def set_quarter(self, quarter: Period, *, compute: bool = True) -> None:
        """Choose `quarter` (a future one is refused by the selectors) and compute it."""
        for box in (self.year_box, self.quarter_box):
            box.blockSignals(True)
        self.year_box.setValue(quarter.year)
        self.quarter_box.setCurrentIndex(quarter.index - 1)
        self._limit_quarters()
        for box in (self.year_box, self.quarter_box):
            box.blockSignals(False)
        if compute:
            self.refresh()

    def _limit_quarters(self) -> None:
        """Quarters that have not begun cannot be chosen."""
        today = quarter_of(_today())
        last = today.index if self.year_box.value() >= today.year else 4
        model = self.quarter_box.model()
        for k in range(4):
            model.item(k).setEnabled(k < last)
        if self.quarter_box.currentIndex() >= last:
            self.quarter_box.setCurrentIndex(last - 1)

    def _on_selection(self) -> None:
        self.quarter_box.blockSignals(True)
        self._limit_quarters()
        self.quarter_box.blockSignals(False)
        self.refresh()

    # -- computing ---------------------------------------------------------------
    def refresh(self, *, quiet: bool = False) -> None:
        """Compute the chosen quarter again (off the GUI thread) and show it."""
        quarter, today = self.selected_quarter(), _today()
        self._serial += 1
        serial = self._serial
        self._stale = False
        self._set_busy(True)
        self.task = self.context.run(
            self, "正在统计……", lambda db, _progress: stats.quarterly_report(db, quarter, today),
            lambda report: self._show_report(serial, report), cancellable=False, quiet=quiet,
            on_error=lambda exc: self._failed(serial, exc))

    def _failed(self, serial: int, exc: BaseException) -> None:
        if serial != self._serial:
            return
        quarter = self.selected_quarter()
        if self.report is not None and self.report.as_of != quarter.end:
            self._clear(f"未能统计{quarter.label_zh}，请稍后按 F5 重试")  # never show another quarter
        self._set_busy(False)
        errors.show_error(self, exc)

    def _clear(self, text: str) -> None:
        """No report on screen: empty tables and charts, the actions off."""
        self.report, self._pdf, self._previewed = None, None, -1
        for label in (self.title_label, self.summary, *self.captions):
            label.clear()
        for model in self.models:
            model.set_table(ReportTable("", (), ()))
        self.coverage_chart.show_coverage((), None)
        self.forms_chart.show_forms(())
        self.preview.set_pdf(None)
        self.as_of_label.setText(text)

    def _on_data_changed(self, tables: frozenset[str]) -> None:
        if not tables & TABLES:
            return
        if self.isVisible():
            self.refresh(quiet=True)
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Catch up with changes made while another screen was shown."""
        super().showEvent(event)
        if self._stale:
            self.refresh(quiet=True)

    def _show_report(self, serial: int, report: QuarterlyReport) -> None:
        if serial != self._serial:
            return  # the clerk chose another quarter meanwhile
        self.report, self._pdf = report, None
        self.title_label.setText(report.title)
        self.title_label.setToolTip(report.title)
        self.as_of_label.setText(self._as_of_text(report))
        self.summary.setText(report.summary)
        for k, model in enumerate(self.models):
            has_table = k < len(report.tables)
            if has_table:
                model.set_table(report.tables[k])
                self.captions[k].setText(report.tables[k].title)
            self.table_tabs.setTabVisible(k, has_table)
        self.coverage_chart.show_coverage(report.coverage_bars, report.average)
        self.forms_chart.show_forms(report.forms)
        self._quarter_note = self._note_for(report)
        self._set_notice()
        self._set_busy(False)
        if self.tabs.currentIndex() == PREVIEW_TAB:
            self.show_preview()
        else:
            self.preview.set_pdf(None)
            self._previewed = -1
        self.report_shown.emit()

    @staticmethod
    def _as_of_text(report: QuarterlyReport) -> str:
        previous = quarter_of(report.as_of).previous().end
        return (f"统计时点：{date_zh(report.as_of)}（与上季度末{date_zh(previous)}比较）　"
                f"编制单位：{report.compiling_unit}　编制日期：{date_zh(report.compiled_on)}")

    @staticmethod
    def _note_for(report: QuarterlyReport) -> str:
        if report.as_of <= report.compiled_on:
            return ""
        return "本季度尚未结束：数字按目前已录入的数据统计到季末，季度结束后请重新生成。"

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        ready = not busy and self.report is not None
        for button in (self.preview_button, self.print_button, self.pdf_button,
                       self.xlsx_button):
            button.setEnabled(ready)
        if busy and self.report is None:
            self.as_of_label.setText("正在统计……")

    def _set_notice(self, text: str = "") -> None:
        """Show `text` under the selectors, after the note on an unfinished quarter."""
        shown = "\n".join(t for t in (self._quarter_note, text) if t)
        self.notice.setText(shown)
        self.notice.setVisible(bool(shown))

    # -- the PDF -----------------------------------------------------------------
    def _with_pdf(self, then: Callable[[bytes], None]) -> None:
        """Call `then(pdf)` with the PDF of the report shown, rendering it first
        (off the GUI thread) when it is not rendered yet."""
        report, serial = self.report, self._serial
        if report is None or self._busy:
            return
        if self._pdf is not None:
            then(self._pdf[0])
            return

        def rendered(result: tuple[bytes, Any]) -> None:
            if serial != self._serial:
                return  # another report is on screen by now
            data, info = result
            self._pdf = (data, tuple(info.warnings))
            then(data)
        self.context.run(self, "正在生成 PDF……",
                         lambda db, _progress: stats.quarterly_report_pdf(db, report),
                         rendered, cancellable=False)

    def _load_preview(self, data: bytes) -> bool:
        if self._previewed != self._serial:
            try:
                self.preview.set_pdf(data, suggested_name=self._file_name(".pdf"))
            except UserError as err:
                errors.show_user_error(self, err)
                return False
            self._previewed = self._serial
        warnings = self._pdf[1] if self._pdf else ()
        self._set_notice("  ".join(f"提示：{w}" for w in warnings))
        return True

    def _on_tab(self, index: int) -> None:
        if index == PREVIEW_TAB:
            self.show_preview()

    def show_preview(self) -> None:
        """Show the report as the printed PDF, inside the app (print and save from there)."""
        if self.tabs.currentIndex() != PREVIEW_TAB:
            self.tabs.setCurrentIndex(PREVIEW_TAB)  # comes back here through _on_tab
            return
        self._with_pdf(self._load_preview)

    def print_report(self) -> None:
        """Print the report's PDF: the print dialog, then pages at printer resolution."""
        self._with_pdf(self._print)

    def _print(self, data: bytes) -> None:
        if self._load_preview(data):
            self.preview.print_with_dialog()

    # -- exports -----------------------------------------------------------------
    def _file_name(self, suffix: str) -> str:
        return f"{self.report.title if self.report else '季度统计报表'}{suffix}"

    def _ask_path(self, caption: str, suffix: str, filters: str) -> Path | None:
        start = str(Path(self.context.settings.last_dir) / self._file_name(suffix))
        name, _filter = QFileDialog.getSaveFileName(self, caption, start, filters)
        if not name:
            return None
        path = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        self.context.settings.remember_file(path)
        return path

    def export_pdf(self) -> Path | None:
        """Save the report's PDF where the clerk chooses; returns the path chosen."""
        if self.report is None or self._busy:
            return None
        path = self._ask_path("导出 PDF", ".pdf", PDF_FILTER)
        if path is not None:
            self._with_pdf(lambda data: self._write_pdf(path, data))
        return path

    def _write_pdf(self, path: Path, data: bytes) -> None:
        try:
            save_pdf_bytes(path, data)
        except UserError as exc:
            errors.show_user_error(self, exc)
            return
        self._set_notice(f"已导出 PDF：{path}")

    def export_excel(self) -> Path | None:
        """Save the report's tables as a workbook; returns the path chosen."""
        report = self.report
        if report is None or self._busy:
            return None
        path = self._ask_path("导出 Excel", ".xlsx", XLSX_FILTER)
        if path is not None:
            self.context.run(self, "正在导出 Excel……",
                             lambda _db, _progress: stats.save_quarterly_workbook(report, path),
                             lambda written: self._set_notice(f"已导出 Excel：{written}"),
                             cancellable=False)
        return path

    def export_view(self) -> Path | None:
        """The screen's export (menu hook): the report's workbook."""
        return self.export_excel()

    def save_state(self) -> None:
        """Remember how the tables and charts share the page."""
        self.context.settings.set_window_state("stats/splitter", self.splitter.saveState())
