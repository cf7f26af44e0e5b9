"""数据报送: at the county, each township's newest merged package, the ones that
sent nothing this quarter in red; at a township, the packages it has made."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain.exchange import TOWNSHIP
from desktop.domain.periods import quarter_of
from desktop.services import exchange, exchange_view
from desktop.views.context import AppContext
from desktop.views.exchange.actions import ExchangeActions
from desktop.views.exchange.labels import local_time

COUNTY_COLUMNS = ("乡镇", "最近交换包", "生成日期", "导入时间", "行数", "本季度")
TOWNSHIP_COLUMNS = ("交换包", "生成时间", "行数", "文件", "操作人")
NOT_SENT = "本季度未报送"
SENT = "已报送"
FLAG = QColor("#c8102e")
COLUMN_PADDING, MIN_COLUMN = 28, 90


class SubmissionsScreen(QWidget):
    """The 数据报送 screen."""

    tables = frozenset({"exchange_log", "area", "app_setting"})

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.context, self.today = context, today
        self.actions = ExchangeActions(self, context)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("导入交换包…")
        self.import_button.clicked.connect(lambda *_: self.actions.choose_and_import())
        self.export_button = QPushButton("生成交换包…")
        self.export_button.clicked.connect(lambda *_: self.actions.choose_and_export())
        for button in (self.import_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for widget in (self.title, self.summary):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        context.events.data_changed.connect(
            lambda tables: self.refresh() if tables & self.tables else None)
        self.refresh()

    @property
    def at_county(self) -> bool:
        return exchange.identity(self.context.db).level != TOWNSHIP

    def refresh(self) -> None:
        """Read the exchange log again."""
        county = self.at_county
        self.import_button.setVisible(county)
        self.export_button.setVisible(not county)
        if county:
            self._show_county()
        else:
            self._show_township()

    def _show_county(self) -> None:
        today = self.today or date.today()
        quarter = quarter_of(today)
        rows = exchange.submissions(self.context.db, today=today)
        missing = [s.township for s in rows if not s.sent_this_quarter]
        self.title.setText(f"数据报送　{quarter.year} 年第 {quarter.index} 季度")
        self.summary.setText(
            f"共 {len(rows)} 个乡镇（街道、园区），本季度已报送 {len(rows) - len(missing)} 个"
            + (f"，未报送 {len(missing)} 个：{'、'.join(missing)}" if missing else "，全部已报送")
            + f"。{quarter.start.month} 月 {quarter.start.day} 日以后生成的交换包才算本季度报送。")
        self._fill(COUNTY_COLUMNS, [(
            s.township, f"第 {s.last_sequence} 号" if s.last_sequence else "从未报送",
            local_time(s.last_created_at)[:10], local_time(s.merged_at),
            str(s.row_count) if s.last_sequence else "", SENT if s.sent_this_quarter else NOT_SENT,
        ) for s in rows], flagged={i for i, s in enumerate(rows) if not s.sent_this_quarter})

    def _show_township(self) -> None:
        ident = exchange.identity(self.context.db)
        entries = exchange_view.own_exports(self.context.db)
        self.title.setText(f"数据报送　{exchange.installation_name(ident)}")
        self.summary.setText("本机是乡镇：生成交换包后发给县委组织部导入。下面是本机生成过的交换包。"
                             if entries else "本机还没有生成过交换包。")
        self._fill(TOWNSHIP_COLUMNS, [(
            f"第 {e.sequence} 号", local_time(e.package_created_at), str(e.row_count), e.file_name,
            e.operator) for e in entries], flagged=set())

    def _fill(self, columns: tuple[str, ...], rows: list[tuple[str, ...]],
              flagged: set[int]) -> None:
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, _item(text, flagged=i in flagged,
                                               flag_cell=j == len(row) - 1))
        # Sized to the contents with room to breathe; a stretched last column
        # would push the flag far from the township it belongs to.
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for j in range(len(columns)):
            header.setSectionResizeMode(j, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(j, max(header.sectionSize(j) + COLUMN_PADDING, MIN_COLUMN))

    def row_texts(self) -> list[list[str]]:
        """The table as shown (tests, export)."""
        return [[self.table.item(i, j).text() for j in range(self.table.columnCount())]
                for i in range(self.table.rowCount())]


def _item(text: str, *, flagged: bool, flag_cell: bool) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if text.isdigit():
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if flagged:
        item.setForeground(FLAG)
        if flag_cell:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
    return item
