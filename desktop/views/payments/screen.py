"""The 补贴发放 screen: payment runs (发放批次), their lines, and each line's months.

Top: the runs, newest period first. Below: the selected run's lines with its
totals and actions (recompute, lock, delete, export, print preview), and the
month-by-month breakdown of the selected line, so a clerk can explain every
figure. Computing, exporting and rendering run off the GUI thread; every write
is announced so other screens (and this one) refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter,
    QVBoxLayout, QWidget,
)

from desktop.domain.labels import GRADE_LABELS
from desktop.domain.money import amount_in_words, format_fen
from desktop.domain.subsidy import days_in_year
from desktop.errors import UserError
from desktop.services import payruns
from desktop.services import policy as policies
from desktop.services.payruns import KIND_LABELS, RunDetail
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.dialogs import ask, inform
from desktop.views.payments.dialogs import NewRunDialog
from desktop.views.printing.dialog import PreviewDialog
from desktop.views.payments.tables import (
    MONTH_COLUMNS, RUN_COLUMNS, LineFilter, RowsModel, line_columns, sheet_file_name,
    stamp_by, standard_text,
)
from desktop.views.payments.policy_dialog import PolicyDialog
from desktop.views.widgets import EnumCombo, make_table

WATCHED = frozenset({"payment_run", "subsidy_policy"})
INPUTS = frozenset({"liaison_officer", "posting", "assessment", "organization", "area"})
WRITTEN = frozenset({"payment_run", "payment_line"})
FILTERS = {"xlsx": ("导出 Excel 发放表", "Excel 工作簿 (*.xlsx)"),
           "pdf": ("导出 PDF 发放表", "PDF 文件 (*.pdf)")}
LOCKED_TIP = "已锁定的批次不能再修改；如有差错，请另建调整批次"


def _discard(dialog: QDialog | None) -> None:
    """Delete a dialog replaced by a new one (in the GUI thread, with its connections)."""
    if dialog is not None and shiboken6.isValid(dialog):
        dialog.deleteLater()


class PaymentScreen(QWidget):
    """Create, check, lock and export payment runs; edit the yearly policy."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today or date.today
        self.detail: RunDetail | None = None
        self._current_id: str | None = None
        self._busy = False
        self._task: Any = None  # the running TaskHandle
        self.new_dialog: NewRunDialog | None = None
        self.policy_dialog: PolicyDialog | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.last_message: Any = None
        self._build()
        context.events.data_changed.connect(self._on_data_changed)
        self.refresh()

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self._runs_panel())
        self.splitter.addWidget(self._lines_panel())
        self.splitter.addWidget(self._months_panel())
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([190, 380, 200])
        saved = self.context.settings.window_state("payments/splitter")
        if saved is not None:
            self.splitter.restoreState(saved)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    # Signals connect to bound methods, never to lambdas holding `self`: a lambda
    # kept by a connection would keep the screen alive after it closed.
    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _runs_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.new_button = self._button(row, "新建批次…", self.new_record)
        self.policy_button = self._button(row, "补贴标准…", self._open_policy)
        self.kind_filter = EnumCombo(KIND_LABELS, "全部类别")
        self.kind_filter.setAccessibleName("发放类别")
        self.kind_filter.currentIndexChanged.connect(self._filter_changed)
        row.addWidget(self.kind_filter)
        row.addStretch(1)
        self.count_label = QLabel()
        row.addWidget(self.count_label)
        layout.addLayout(row)
        self.runs_model = RowsModel(RUN_COLUMNS, self)
        self.runs_view = make_table(self.runs_model, (80, 130, 70, 60, 120, 190, 190))
        self.runs_view.setAccessibleName("发放批次")
        self.runs_view.selectionModel().currentRowChanged.connect(self._run_selected)
        layout.addWidget(self.runs_view, 1)
        return panel

    def _lines_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        row.addWidget(self.title_label, 1)
        self.recompute_button = self._button(row, "重新计算", self.recompute)
        self.lock_button = self._button(row, "锁定…", self.lock)
        self.delete_button = self._button(row, "删除…", self.delete)
        row.addSpacing(16)
        self.excel_button = self._button(row, "导出 Excel…", self.export_excel)
        self.pdf_button = self._button(row, "导出 PDF…", self.export_pdf)
        self.preview_button = self._button(row, "打印预览", self.print_preview)
        layout.addLayout(row)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #0b6e2f;")
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        self.search = QLineEdit()
        self.search.setPlaceholderText("在本批次中查找姓名、身份号码、企业或乡镇（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.lines_model = RowsModel(line_columns(None), self)  # widths stick: 9 columns always
        self.lines_filter = LineFilter(self.lines_model, self)
        self.search.textChanged.connect(self._search_changed)
        self.lines_view = make_table(self.lines_filter, (44, 70, 160, 230, 90, 70, 110, 110, 120))
        self.lines_view.setAccessibleName("发放明细")
        self.lines_view.selectionModel().currentRowChanged.connect(self._line_selected)
        layout.addWidget(self.lines_view, 1)
        return panel

    def _months_panel(self) -> QWidget:
        self.months_box = QGroupBox("逐月明细")
        layout = QVBoxLayout(self.months_box)
        self.line_label = QLabel()
        self.line_label.setWordWrap(True)
        self.line_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.line_label)
        self.months_model = RowsModel(MONTH_COLUMNS, self)
        self.months_view = make_table(self.months_model, (110, 80, 80, 110, 160, 100))
        self.months_view.setAccessibleName("逐月明细")
        layout.addWidget(self.months_view, 1)
        return self.months_box

    # -- the runs ----------------------------------------------------------
    def refresh(self) -> None:
        """Reload the runs (keeping the selected one) and the selected run."""
        runs = payruns.list_runs(self.context.db, self.kind_filter.value())
        self.runs_model.set_rows(runs)
        self.count_label.setText(f"共 {len(runs)} 个批次")
        ids = [run.id for run in runs]
        wanted = self._current_id if self._current_id in ids else (ids[0] if ids else None)
        self.runs_view.selectionModel().blockSignals(True)
        if wanted is not None:
            self.runs_view.selectRow(ids.index(wanted))
        self.runs_view.selectionModel().blockSignals(False)
        self.open_run(wanted)

    def _filter_changed(self, *_: object) -> None:
        self.refresh()

    def _run_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        run = self.runs_model.row_at(current.row())
        if run is not None and run.id != self._current_id:
            self.open_run(run.id)

    def open_run(self, run_id: str | None) -> None:
        """Show a run's lines, totals and actions (None: nothing selected)."""
        if run_id != self._current_id:
            self.search.clear()
            self._notice("")
        self._current_id = run_id
        self.detail = None
        if run_id is not None:
            try:
                self.detail = payruns.get_run(self.context.db, run_id)
            except UserError as err:
                errors.show_user_error(self, err)
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.detail
        kept = self._line_at(self.lines_view.currentIndex())
        self.lines_model.set_rows(detail.lines if detail else (), line_columns(detail))
        self.title_label.setText(payruns.run_title(detail) if detail else "请选择或新建发放批次")
        self.summary_label.setText(self._summary(detail) if detail else "")
        self._select_line(kept.officer_id if kept else None)
        self._update_buttons()

    def _summary(self, detail: RunDetail) -> str:
        run = detail.run
        total = f"应发合计 {format_fen(run.total_fen)} 元（{amount_in_words(run.total_fen)}）"
        if run.total_fen < 0:  # an adjustment that takes back more than it tops up
            total += f"，即合计应退 {format_fen(-run.total_fen)} 元"
        parts = [f"共 {len(detail.lines)} 人，{total}",
                 f"计算标准：{standard_text(detail)}"]
        made = f"生成：{stamp_by(run.created_at, run.created_by)}"
        if run.status == "locked":
            made += (f"　　锁定：{stamp_by(run.locked_at, run.locked_by)}"
                     f"　　审计校验码：{detail.code}")
        parts.append(made)
        if run.status == "draft" and self._policy_changed(detail):
            parts.append(f"注意：{detail.period.year}年度补贴标准在本批次生成后已修改，请重新计算")
        return "\n".join(parts)

    def _policy_changed(self, detail: RunDetail) -> bool:
        try:
            return policies.show_policy(self.context.db, detail.period.year) != detail.policy
        except UserError:
            return False

    def _update_buttons(self) -> None:
        has = self.detail is not None and not self._busy
        locked = self.detail is not None and self.detail.run.status == "locked"
        for button in (self.recompute_button, self.lock_button, self.delete_button):
            button.setEnabled(has and not locked)
            button.setToolTip(LOCKED_TIP if locked else "")
        for button in (self.excel_button, self.pdf_button, self.preview_button):
            button.setEnabled(has)
        self.new_button.setEnabled(not self._busy)

    def _notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    def _on_data_changed(self, tables: frozenset[str]) -> None:
        if tables & WATCHED:
            self.refresh()
        elif tables & INPUTS and self.detail is not None and self.detail.run.status == "draft":
            self._notice("联络员、派驻或考核信息有改动，本草稿批次可能需要重新计算。")

    # -- lines and months --------------------------------------------------
    def _line_at(self, index: QModelIndex) -> Any:
        if not index.isValid():
            return None
        return self.lines_model.row_at(self.lines_filter.mapToSource(index).row())

    def _select_line(self, officer_id: str | None) -> None:
        rows = [self.lines_filter.mapFromSource(self.lines_model.index(r, 0)).row()
                for r, line in enumerate(self.lines_model.rows) if line.officer_id == officer_id]
        row = rows[0] if rows and rows[0] >= 0 else 0
        if self.lines_filter.rowCount() > 0:
            self.lines_view.selectRow(row)
        self._line_selected(self.lines_view.currentIndex())

    def _search_changed(self, text: str) -> None:
        kept = self._line_at(self.lines_view.currentIndex())
        self.lines_filter.set_text(text)
        self._select_line(kept.officer_id if kept else None)

    def _line_selected(self, current: QModelIndex, _previous: Any = None) -> None:
        line = self._line_at(current)
        bonus = self.detail is not None and self.detail.run.kind == "bonus"
        self.months_box.setTitle("计算依据" if bonus else "逐月明细")
        self.months_view.setVisible(not bonus)
        self.months_model.set_rows(line.months if line is not None and not bonus else ())
        year = self.detail.period.year if self.detail is not None else 0
        self.line_label.setText(self._line_text(line, bonus, year))

    @staticmethod
    def _line_text(line: Any, bonus: bool, year: int) -> str:
        if line is None:
            return "选择上面的一行，查看该人员的计算明细。"
        note = f"（{line.note}）" if line.note else ""
        if not bonus:
            return (f"{line.officer_name}：本期驻企 {line.posted_days} 天，"
                    f"应发 {format_fen(line.amount_fen)} 元{note}")
        days = f"全年驻企 {line.posted_days} 天（全年 {days_in_year(year)} 天）"
        if not line.grade:
            return f"{line.officer_name}：{year}年度未考核，{days}，不发绩效补贴"
        return (f"{line.officer_name}：{year}年度考核等次 {GRADE_LABELS[line.grade]}，{days}，"
                f"计算规则：{line.rule}，应发 {format_fen(line.amount_fen)} 元{note}")

    # -- work off the GUI thread --------------------------------------------
    def _start(self, label: str, fn: Callable[[Any, Any], Any], on_result: Callable[[Any], None],
               *, on_error: Callable[[BaseException], None] | None = None,
               cancellable: bool = False) -> None:
        def done(value: Any) -> None:
            self._set_busy(False)
            on_result(value)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            (on_error or (lambda e: errors.show_error(self, e)))(exc)
        self._set_busy(True)
        self._task = self.context.run(self, label, fn, done, cancellable=cancellable,
                                      on_cancel=self._cancelled, on_error=failed)

    def _cancelled(self) -> None:
        self._set_busy(False)

    @property
    def busy(self) -> bool:
        """Whether a computation, export or rendering of this screen is running."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if not busy:
            self._task = None
        self._update_buttons()

    # -- actions -----------------------------------------------------------
    def new_record(self) -> None:
        """Open the 新建批次 dialog (Ctrl+N)."""
        if self._busy:
            return
        _discard(self.new_dialog)
        self.new_dialog = NewRunDialog(self.today(), self)
        self.new_dialog.submitted.connect(self._create)
        self.new_dialog.policy_requested.connect(self._policy_for_new_run)
        self.new_dialog.open()

    def _policy_for_new_run(self, year: int) -> None:
        self.edit_policy(year, self.new_dialog)

    def _create(self, kind: str, period: str) -> None:
        today = self.today()

        def work(db, _progress):
            run_id = payruns.create_run(db, kind, period, today=today)
            return run_id, payruns.run_warnings(db, run_id)
        self._start("正在计算补贴……", work, lambda done: self._created(*done, kind),
                    on_error=self._create_failed)

    def _created(self, run_id: str, warnings: tuple[str, ...], kind: str) -> None:
        if self.new_dialog is not None:
            self.new_dialog.accept()
        if self.kind_filter.value() not in (None, kind):
            self.kind_filter.set_value(None)
        self._current_id = run_id
        self.context.announce(WRITTEN)
        self._notice("已生成草稿批次。请核对明细，无误后锁定。"
                     + "".join(f"  注意：{w}" for w in warnings))
        if warnings:  # e.g. another draft of the same period: worth a look before locking
            self.last_message = inform(self, "已生成草稿批次",
                                       "\n\n".join(f"注意：{w}" for w in warnings))

    def _create_failed(self, exc: BaseException) -> None:
        dialog = self.new_dialog
        if isinstance(exc, UserError) and dialog is not None and dialog.isVisible():
            dialog.show_refusal(exc)
            return
        if dialog is not None:
            dialog.set_busy(False)
        errors.show_error(self, exc)

    def recompute(self) -> None:
        """Recompute the selected draft from today's registry and policy."""
        if self.detail is None or self.detail.run.status != "draft" or self._busy:
            return
        run_id, before, today = self.detail.run.id, self.detail.run.total_fen, self.today()
        self._start("正在重新计算……",
                    lambda db, _progress: payruns.recompute_run(db, run_id, today=today),
                    lambda _none: self._recomputed(before))

    def _recomputed(self, before: int) -> None:
        self.context.announce(WRITTEN)
        if self.detail is not None:
            now = format_fen(self.detail.run.total_fen)
            was = format_fen(before)
            self._notice(f"已按当前数据重新计算：应发合计 {now} 元（原为 {was} 元）。")

    def lock(self) -> None:
        """Lock the selected draft after a confirmation that it can never change."""
        detail = self.detail
        if detail is None or detail.run.status != "draft" or self._busy:
            return
        question = (f"锁定后，“{payruns.run_title(detail)}”（共 {len(detail.lines)} 人，"
                    f"合计 {format_fen(detail.run.total_fen)} 元）将永远不能修改、重新计算或删除；"
                    "如有差错，只能另建调整批次。\n\n确定锁定吗？")
        if not ask(self, "锁定发放批次", question):
            return
        try:
            payruns.lock_run(self.context.db, detail.run.id)
        except UserError as err:
            errors.show_user_error(self, err, "未锁定")
            return
        self.context.announce(WRITTEN)
        self._notice("已锁定。现在可以导出或打印发放表，据此发放。")

    def delete(self) -> None:
        """Delete the selected draft after asking."""
        detail = self.detail
        if detail is None or detail.run.status != "draft" or self._busy:
            return
        if not ask(self, "删除发放批次",
                   f"确定要删除草稿批次“{payruns.run_title(detail)}”吗？删除后可重新生成。"):
            return
        try:
            payruns.delete_run(self.context.db, detail.run.id)
        except UserError as err:
            errors.show_user_error(self, err, "未删除")
            return
        self._current_id = None
        self.context.announce(WRITTEN)

    def export(self, suffix: str) -> None:
        """Ask where, then write the selected run's sheet as .xlsx or .pdf."""
        detail = self.detail
        if detail is None or self._busy:
            return
        title, file_filter = FILTERS[suffix]
        start = Path(self.context.settings.last_dir) / sheet_file_name(detail, suffix)
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(f"{path.name}.{suffix}")
        self.context.settings.remember_file(path)
        run_id, today = detail.run.id, self.today()
        def work(db, _progress):
            out = payruns.export_subsidy_sheet(db, run_id, path, today=today)
            warnings = (payruns.pdf_font_warnings(db, run_id, today=today)
                        if out.suffix.lower() == ".pdf" else ())
            return out, warnings
        self._start("正在导出发放表……", work, lambda done: self._exported(*done))

    def export_excel(self) -> None:
        """导出 Excel: the selected run's sheet as a workbook."""
        self.export("xlsx")

    def export_pdf(self) -> None:
        """导出 PDF: the selected run's sheet as a PDF file."""
        self.export("pdf")

    def export_view(self) -> None:
        """The screen's export (Edit menu): the selected run's sheet as a workbook."""
        self.export("xlsx")

    def _exported(self, path: Path, warnings: tuple[str, ...] = ()) -> None:
        notes = "".join(f"\n\n注意：{w}" for w in warnings)
        self._notice(f"发放表已导出：{path}" + "".join(f"  注意：{w}" for w in warnings))
        self.last_message = inform(self, "导出完成", f"发放表已保存到：\n{path}{notes}")

    def print_preview(self) -> None:
        """Render the selected run's sheet and show it in the preview, ready to print."""
        detail = self.detail
        if detail is None or self._busy:
            return
        run_id, today = detail.run.id, self.today()
        title, name = payruns.run_title(detail), sheet_file_name(detail, "pdf")
        def work(db, _progress):
            return (payruns.subsidy_sheet_pdf(db, run_id, today=today),
                    payruns.pdf_font_warnings(db, run_id, today=today))
        self._start("正在生成发放表……", work,
                    lambda done: self._show_preview(*done, title, name), cancellable=True)

    def _show_preview(self, data: bytes, warnings: tuple[str, ...], title: str,
                      name: str) -> None:
        if warnings:
            self._notice("  ".join(f"注意：{w}" for w in warnings))
        if self.preview_dialog is None:
            self.preview_dialog = PreviewDialog(self)
        self.preview_dialog.show_pdf(data, title, name)

    def _open_policy(self) -> None:
        self.edit_policy()

    def edit_policy(self, year: int | None = None, parent: QWidget | None = None) -> None:
        """Open the 补贴标准 dialog for `year` (default: the selected run's year or this year)."""
        if year is None:
            year = self.detail.period.year if self.detail else self.today().year
        _discard(self.policy_dialog)
        self.policy_dialog = dialog = PolicyDialog(self.context, year, parent or self)
        dialog.accepted.connect(self._policy_saved)
        dialog.open()

    def _policy_saved(self) -> None:
        dialog = self.policy_dialog
        if dialog is not None and dialog.saved_policy is not None:
            self._notice(f"已保存{dialog.saved_policy.year}年度补贴标准。")
        if self.new_dialog is not None and self.new_dialog.isVisible():
            self.new_dialog.show_refusal(None)

    # -- screen hooks --------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the line search (Ctrl+F)."""
        self.search.setFocus()
        self.search.selectAll()

    def save_state(self) -> None:
        """Remember the splitter between runs, lines and months."""
        self.context.settings.set_window_state("payments/splitter", self.splitter.saveState())
