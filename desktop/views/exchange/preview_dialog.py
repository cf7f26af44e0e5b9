"""导入交换包: what a package would change here, every conflict side by side,
the clerk's choice per conflict (or for all), then the merge with a progress bar.

The dialog writes nothing itself: 导入 emits `import_requested` with the choices
and the caller runs merge_package in a worker, feeding `show_progress`.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QRadioButton,
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain.exchange import LEVEL_LABELS, TABLE_LABELS
from desktop.domain.merge import Action
from desktop.services.exchange import Preview
from desktop.views.exchange.labels import COUNT_LABELS, field_label, local_time, value_text

OURS, THEIRS = "ours", "theirs"
CHOICE_TEXT = {"": "未选择", OURS: "保留本机", THEIRS: "采用对方"}
UNDECIDED = QColor("#c8102e")
DIFFERENT = QColor("#fff4ce")
Key = tuple[str, str]


class PreviewDialog(QDialog):
    """The preview of one package; `choices` maps (table, row id) to ours/theirs."""

    import_requested = Signal(object)  # dict[(table, local_id), "ours" | "theirs"]
    cancel_requested = Signal()  # 取消 while the merge runs: the caller stops it

    def __init__(self, preview: Preview, names: Mapping[Key, str] | None = None,
                 parent: QWidget | None = None, *, ours_name: str = "") -> None:
        super().__init__(parent)
        self.preview, self.names = preview, dict(names or {})
        self.ours_name = ours_name
        self.conflicts: list[Action] = list(preview.plan.conflicts) if preview.plan else []
        self.choices: dict[Key, str] = {}
        self.busy = False  # the merge is running
        self.setWindowTitle("导入交换包")
        self.resize(1000, 640 if self.conflicts else 360)
        layout = QVBoxLayout(self)
        layout.addWidget(self._header())
        if preview.plan is not None:
            layout.addWidget(self._counts())
            layout.addWidget(self._conflict_view() if self.conflicts else self._no_conflicts(), 1)
        else:
            layout.addStretch(1)
        layout.addLayout(self._footer())
        if self.conflicts:
            self.list.setCurrentRow(0)
        self._update_state()

    # -- layout -------------------------------------------------------------------
    def _header(self) -> QWidget:
        p = self.preview
        level = LEVEL_LABELS.get(p.sender.level, p.sender.level)
        text = (f"<b>{p.sender.name}</b>（{level}） 第 {p.sender.sequence} 号交换包<br>"
                f"生成时间：{local_time(p.created_at)}　共 {p.row_count} 行　文件：{p.file_name}")
        self.header = QLabel(text)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if p.already_merged:
            self.header.setText(text + f"<br><br><b>{p.message}</b>")
        return self.header

    def _counts(self) -> QGroupBox:
        box = QGroupBox("导入后的结果")
        grid = QGridLayout(box)
        counts = self.preview.plan.counts() if self.preview.plan else {}
        self.count_labels: dict[str, QLabel] = {}
        for i, (key, label) in enumerate(COUNT_LABELS):
            value = QLabel(str(counts.get(key, 0)))
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            style = "font-size: 20px; font-weight: bold;"
            if key == "conflicts" and counts.get(key):
                style += " color: #c8102e;"
            value.setStyleSheet(style)
            caption = QLabel(label)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(value, 0, i)
            grid.addWidget(caption, 1, i)
            self.count_labels[key] = value
        self.ignored = QLabel(ignored_text(self.preview.plan.ignored_reasons)
                              if self.preview.plan else "")
        self.ignored.setWordWrap(True)
        self.ignored.setVisible(bool(self.ignored.text()))
        grid.addWidget(self.ignored, 2, 0, 1, len(COUNT_LABELS))
        return box

    def _no_conflicts(self) -> QLabel:
        label = QLabel("没有冲突：两边都修改过的记录一条也没有，可以直接导入。")
        label.setAlignment(Qt.AlignmentFlag.AlignTop)
        return label

    def _conflict_view(self) -> QGroupBox:
        box = QGroupBox(f"冲突（{len(self.conflicts)} 处）：两边都修改过，请逐条选择保留本机还是采用对方")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.keep_all = QPushButton("全部保留本机")
        self.keep_all.clicked.connect(lambda: self.choose_all(OURS))
        self.take_all = QPushButton("全部采用对方")
        self.take_all.clicked.connect(lambda: self.choose_all(THEIRS))
        row.addWidget(self.keep_all)
        row.addWidget(self.take_all)
        row.addStretch(1)
        column.addLayout(row)
        splitter = QSplitter()
        self.list = QListWidget()
        for action in self.conflicts:
            self.list.addItem(QListWidgetItem())
        self.list.currentRowChanged.connect(self._show_conflict)
        splitter.addWidget(self.list)
        splitter.addWidget(self._details())
        splitter.setSizes([320, 660])
        column.addWidget(splitter, 1)
        return box

    def _details(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel()
        self.detail_title.setStyleSheet("font-weight: bold;")
        self.detail_reason = QLabel()
        self.detail_reason.setWordWrap(True)
        self.fields = QTableWidget(0, 3)
        self.fields.setHorizontalHeaderLabels([
            "字段", f"本机（{self.ours_name}）" if self.ours_name else "本机",
            f"对方（{self.preview.sender.name}）"])
        self.fields.verticalHeader().hide()
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setWordWrap(True)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep = QRadioButton("保留本机")
        self.take = QRadioButton("采用对方")
        self.radio = QButtonGroup(self)
        self.radio.addButton(self.keep)
        self.radio.addButton(self.take)
        self.keep.toggled.connect(lambda on: on and self._choose_current(OURS))
        self.take.toggled.connect(lambda on: on and self._choose_current(THEIRS))
        radios = QHBoxLayout()
        radios.addWidget(QLabel("这一条："))
        radios.addWidget(self.keep)
        radios.addWidget(self.take)
        radios.addStretch(1)
        for widget in (self.detail_title, self.detail_reason):
            column.addWidget(widget)
        column.addWidget(self.fields, 1)
        column.addLayout(radios)
        return panel

    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setFormat("正在导入 %v / %m")
        self.progress.hide()
        buttons = QDialogButtonBox()
        self.import_button: QPushButton | None = None
        if self.preview.plan is not None:
            self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
            self.import_button.clicked.connect(self.request_import)
        self.close_button = buttons.addButton(
            "取消" if self.preview.plan is not None else "关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.status, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(buttons)
        return row

    # -- conflicts ----------------------------------------------------------------
    def _show_conflict(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            return
        action = self.conflicts[row]
        table = TABLE_LABELS.get(action.table, action.table)
        self.detail_title.setText(f"{table}：{action.key_text}")
        self.detail_reason.setText(action.reason)
        self.detail_reason.setVisible(bool(action.reason))
        differences = action.differences()
        self.fields.setRowCount(len(differences))
        for i, (name, (ours, theirs)) in enumerate(differences.items()):
            cells = (field_label(name), value_text(name, ours, self.names),
                     value_text(name, theirs, self.names))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setBackground(DIFFERENT)
                self.fields.setItem(i, j, item)
        self.fields.resizeRowsToContents()
        choice = self.choices.get(self._key(action), "")
        for button, value in ((self.keep, OURS), (self.take, THEIRS)):
            button.blockSignals(True)
            button.setChecked(choice == value)
            button.blockSignals(False)
        if not choice:  # QButtonGroup is exclusive: uncheck both by leaving it for a moment
            self.radio.setExclusive(False)
            self.keep.setChecked(False)
            self.take.setChecked(False)
            self.radio.setExclusive(True)

    @staticmethod
    def _key(action: Action) -> Key:
        return (action.table, action.local_id)

    def _choose_current(self, choice: str) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.conflicts):
            self.choose(row, choice)

    def choose(self, row: int, choice: str) -> None:
        """Decide conflict `row`: keep ours or take theirs."""
        self.choices[self._key(self.conflicts[row])] = choice
        self._update_state()

    def choose_all(self, choice: str) -> None:
        """The same decision for every conflict."""
        for action in self.conflicts:
            self.choices[self._key(action)] = choice
        self._show_conflict(self.list.currentRow())
        self._update_state()

    def undecided(self) -> int:
        """How many conflicts still wait for a choice."""
        return sum(1 for a in self.conflicts if self._key(a) not in self.choices)

    def _update_state(self) -> None:
        for row, action in enumerate(self.conflicts):
            item = self.list.item(row)
            choice = self.choices.get(self._key(action), "")
            item.setText(f"{TABLE_LABELS.get(action.table, action.table)}　{action.key_text}\n"
                         f"　　{CHOICE_TEXT[choice]}")
            item.setForeground(UNDECIDED if not choice else QColor("black"))
        left = self.undecided()
        if self.import_button is not None:
            self.import_button.setEnabled(left == 0)
        self.status.setText(f"还有 {left} 处冲突未选择" if left else "")
        self.status.setStyleSheet("color: #c8102e;" if left else "")

    # -- applying -----------------------------------------------------------------
    def request_import(self) -> None:
        """Ask the caller to merge with the choices made (only once all are made)."""
        if self.import_button is None or self.undecided():
            return
        self.set_busy(True)
        self.import_requested.emit(dict(self.choices))

    def set_busy(self, busy: bool) -> None:
        """While the merge runs, nothing in the dialog can change but 取消导入."""
        self.busy = busy
        self.progress.setVisible(busy)
        self.status.setVisible(not busy)
        if busy:
            self.progress.setRange(0, 0)
            self.progress.setFormat("正在导入 %v / %m")
        for widget in self.findChildren(QPushButton) + self.findChildren(QRadioButton):
            widget.setEnabled(not busy)
        self.close_button.setEnabled(True)
        self.close_button.setText("取消导入" if busy else "取消")
        if not busy:
            self._update_state()

    def show_progress(self, done: int, total: int, _text: str = "") -> None:
        """Fed by merge_package's progress callback (through the worker)."""
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def reject(self) -> None:
        """取消 (or Esc, or closing the window) while the merge runs asks the caller
        to stop it, which rolls it back; the dialog stays until it has stopped."""
        if self.busy:
            self.request_cancel()
            return
        super().reject()

    def request_cancel(self) -> None:
        """Ask once for the running merge to stop."""
        if not self.close_button.isEnabled():
            return
        self.close_button.setEnabled(False)
        self.progress.setFormat("正在取消…")
        self.cancel_requested.emit()


def ignored_text(reasons: Mapping[str, int]) -> str:
    """The rows a package may not change here, by reason (merge.Plan.ignored_reasons)."""
    if not reasons:
        return ""
    parts = "；".join(f"{reason} {count} 行" for reason, count in sorted(
        reasons.items(), key=lambda item: -item[1]))
    return f"忽略 {sum(reasons.values())} 行，未导入：{parts}"
