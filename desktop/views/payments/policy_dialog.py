"""补贴标准: view and edit one year's subsidy policy (POLICY.md §2).

Amounts are typed in yuan and checked as they are typed with the domain's money
parser (exact Decimal, at most two decimals, never negative); the service turns
them into integer fen when saving. A year without a record starts from the
defaults of the source documents. The dialog saves through
`services.policy.set_policy` and stays open, with the reasons shown, when the
service refuses.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget,
)

from desktop.domain.money import format_fen, parse_yuan
from desktop.domain.subsidy import (
    GRADE_LABELS, GRADES, MAX_YEAR, MIN_YEAR, PRORATION_LABELS, SubsidyPolicy, default_policy,
)
from desktop.errors import UserError
from desktop.services import policy as policies
from desktop.views.context import AppContext
from desktop.views.dialogs import ask
from desktop.views.widgets import CheckField, EnumCombo, ErrorLabel, ValidatedLineEdit

TABLES = frozenset({"subsidy_policy"})
AMOUNT_FIELDS = ("monthly", *GRADES)  # the keyword names of set_policy
PRORATION_HINT = ("按日折算：不足整月的，按月补贴 × 驻企天数 ÷ 当月天数计发；"
                  "按半月计：当月驻企满15天发全月，1至14天发半月。")
CHANGE_NOTE = "修改后，新建或重新计算的批次按新标准计算；已生成的批次保留生成时使用的标准。"


def yuan_problem(text: str) -> str | None:
    """Why `text` is not an amount in yuan (a Chinese reason), or None."""
    try:
        parse_yuan(text)
    except UserError as err:
        return str(err)
    return None


class PolicyDialog(QDialog):
    """One year's 补贴标准; `saved_policy` holds what was saved once accepted."""

    def __init__(self, context: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.saved_policy: SubsidyPolicy | None = None
        self._loaded: tuple = ()
        self._year_shown = year
        self.setWindowTitle("补贴标准")
        self.setMinimumWidth(520)
        self._build()
        self.year.setValue(min(max(year, MIN_YEAR), MAX_YEAR))
        self._load(self.year.value())
        self.year.valueChanged.connect(self._year_changed)

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setSuffix(" 年度")
        self.year.setAccessibleName("年度")
        top.addRow("年度", self.year)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        top.addRow("", self.state_label)
        layout.addLayout(top)
        layout.addWidget(self._stipend_box())
        layout.addWidget(self._bonus_box())
        note = QLabel(CHANGE_NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.error_label = ErrorLabel()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.defaults_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setText("填入默认标准")
        self.defaults_button.clicked.connect(self.fill_defaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _amount_field(self, form: QFormLayout, key: str, label: str) -> None:
        field = ValidatedLineEdit(yuan_problem)
        field.setAccessibleName(label)
        field.setPlaceholderText("元，最多两位小数")
        field.textChanged.connect(lambda _text, f=field: f.show_problem(f.own_problem()))
        self.amounts[key] = field
        form.addRow(label, field)
        form.addRow("", field.error_label)

    def _stipend_box(self) -> QGroupBox:
        box = QGroupBox("工作补贴")
        form = QFormLayout(box)
        self.amounts: dict[str, ValidatedLineEdit] = {}
        self._amount_field(form, "monthly", "每月工作补贴（元）")
        self.proration = EnumCombo(PRORATION_LABELS)
        self.proration.setAccessibleName("不足整月的折算方式")
        form.addRow("不足整月的折算方式", self.proration)
        hint = QLabel(PRORATION_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow("", hint)
        return box

    def _bonus_box(self) -> QGroupBox:
        box = QGroupBox("绩效补贴（按考核等次）")
        form = QFormLayout(box)
        for grade in GRADES:
            self._amount_field(form, grade, f"{GRADE_LABELS[grade]}（元）")
        self.min_days = QSpinBox()
        self.min_days.setRange(0, 366)
        self.min_days.setSuffix(" 天")
        self.min_days.setToolTip("全年驻企天数少于此数的，不发绩效补贴；0 表示不限")
        form.addRow("领取绩效补贴的最低驻企天数", self.min_days)
        self.prorate = CheckField("按全年驻企天数折算（驻企天数 ÷ 全年天数）")
        form.addRow("绩效补贴折算", self.prorate)
        return box

    # -- content -----------------------------------------------------------
    def _load(self, year: int) -> None:
        """Show the recorded policy of `year`, or the defaults for a new year."""
        self._year_shown = year
        recorded = {p.year: p for p in policies.list_policies(self.context.db)}
        shown = recorded.get(year)
        state = (f"{year}年度的补贴标准已设置，可在下面修改。" if shown else
                 f"{year}年度尚未设置补贴标准，下面是默认标准，保存后生效。")
        years = "、".join(str(y) for y in sorted(recorded)) or "无"
        self.state_label.setText(f"{state}\n已设置补贴标准的年度：{years}")
        self._show(shown or default_policy(year))
        self._loaded = self._values()
        self.error_label.show_reason(None)

    def _show(self, policy: SubsidyPolicy) -> None:
        self.amounts["monthly"].setText(format_fen(policy.monthly_stipend_fen))
        for grade in GRADES:
            self.amounts[grade].setText(format_fen(policy.bonus_fen[grade]))
        self.proration.set_value(policy.proration)
        self.min_days.setValue(policy.bonus_min_posted_days)
        self.prorate.set_value(policy.prorate_bonus)

    def fill_defaults(self) -> None:
        """Put the POLICY.md defaults into the fields (saved only on 保存)."""
        self._show(default_policy(self.year.value()))

    def _values(self) -> tuple:
        return (tuple(self.amounts[k].text().strip() for k in AMOUNT_FIELDS),
                self.proration.value(), self.min_days.value(), self.prorate.value())

    @property
    def dirty(self) -> bool:
        """Whether the fields differ from the year as loaded."""
        return self._values() != self._loaded

    def _year_changed(self, year: int) -> None:
        if self.dirty and not ask(self, "切换年度",
                                  "当前年度的修改尚未保存，切换年度将放弃这些修改。确定切换吗？"):
            self.year.blockSignals(True)
            self.year.setValue(self._year_shown)
            self.year.blockSignals(False)
            return
        self._load(year)

    def _problems(self) -> list[str]:
        """Every field's reason, each marked on its field; empty when all is well."""
        problems = []
        for field in self.amounts.values():
            label = field.accessibleName().replace("（元）", "")
            reason = "请填写金额" if not field.text().strip() else field.own_problem()
            field.show_problem(reason)
            if reason:
                problems.append(f"{label}：{reason}")
        return problems

    def save(self) -> bool:
        """Check and save the policy; the dialog closes only when it is saved."""
        problems = self._problems()
        if problems:
            self.error_label.show_reason("未保存：" + "；".join(problems))
            return False
        amounts = {key: field.text().strip() for key, field in self.amounts.items()}
        try:
            saved = policies.set_policy(
                self.context.db, self.year.value(), proration=self.proration.value(),
                bonus_min_days=self.min_days.value(), prorate_bonus=self.prorate.value(),
                **amounts)
        except UserError as err:
            self.error_label.show_reason(f"未保存：{err}")
            return False
        self.saved_policy = saved
        self.context.announce(TABLES)
        self.accept()
        return True
