"""The subsidy sheet (补贴发放表) finance pays from, as plain data and its rows.

`SubsidySheet` is built by the payments service from a payment run; `sheet_rows`
lays it out (lines grouped by township, a subtotal per township, a 合计 row). Both
the workbook (desktop.sheets.subsidy_sheet) and the PDF
(desktop.reports.subsidy_sheet_pdf) print from here, so they show the same rows in
the same order with the same totals and the same status and footer texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

KIND_TITLES = {"stipend": "工作补贴", "bonus": "绩效补贴", "adjustment": "工作补贴调整",
               "bonus_adjustment": "绩效补贴调整"}
CONFIDENTIAL = "内部资料 注意保密"
DRAFT_MARK = "草稿"
DRAFT_NOTICE = "草稿：未锁定，不得据此发放"
SIGNERS = ("制表人", "审核人", "负责人")


@dataclass(frozen=True)
class SheetLine:
    """One officer's row as printed; `grade_label` only for bonus sheets."""

    name: str
    id_number: str
    home_unit: str
    organizations: str
    township: str
    posted_days: int
    amount_fen: int
    bank_name: str
    bank_account: str
    note: str = ""
    grade_label: str = ""


@dataclass(frozen=True)
class SubsidySheet:
    """Everything a subsidy sheet prints; no database behind it."""

    county: str
    kind: str  # stipend | bonus | adjustment | bonus_adjustment
    period_label: str  # 2026年第二季度
    status: str  # draft | locked
    run_id: str
    monthly_stipend_fen: int
    lines: tuple[SheetLine, ...]
    prepared_on: date
    locked_at: str = ""
    audit_hash: str = ""

    @property
    def title(self) -> str:
        """'示范县驻企联络员工作补贴发放表（2026年第二季度）'."""
        return f"{self.county}驻企联络员{KIND_TITLES[self.kind]}发放表（{self.period_label}）"

    @property
    def pays_bonus(self) -> bool:
        """A bonus sheet (or its adjustment): a grade column instead of the monthly amount."""
        return self.kind in ("bonus", "bonus_adjustment")

    @property
    def is_draft(self) -> bool:
        return self.status != "locked"

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def standard_header(self) -> str:
        """The column that holds the monthly amount (stipend) or the grade (bonus)."""
        return "考核等次" if self.pays_bonus else "月补贴标准（元）"

    def headers(self) -> tuple[str, ...]:
        """Column headers in sheet order."""
        return ("序号", "姓名", "公民身份号码", "派出单位", "派驻企业", "所属乡镇", "驻企天数",
                self.standard_header, "应发金额（元）", "开户银行", "银行卡号", "备注",
                "领取人签字")


@dataclass(frozen=True)
class SheetRow:
    """One printed row: an officer's line, a township's subtotal, or the 合计."""

    kind: str  # line | subtotal | total
    label: str  # subtotal: '城关镇 小计'; total: '合计'; line: ''
    amount_fen: int
    count: int = 1
    seq: int = 0
    line: SheetLine | None = None


def sheet_rows(lines: Sequence[SheetLine]) -> list[SheetRow]:
    """Lines grouped by township (first-appearance order), numbered 1..n across groups,
    each group closed by its subtotal, and the 合计 row last."""
    groups: dict[str, list[SheetLine]] = {}
    for line in lines:
        groups.setdefault(line.township, []).append(line)
    rows: list[SheetRow] = []
    seq = 0
    for township, members in groups.items():
        for line in members:
            seq += 1
            rows.append(SheetRow("line", "", line.amount_fen, 1, seq, line))
        rows.append(SheetRow("subtotal", f"{township or '未填乡镇'} 小计",
                             sum(m.amount_fen for m in members), len(members)))
    rows.append(SheetRow("total", "合计", sum(line.amount_fen for line in lines), len(lines)))
    return rows


def status_text(sheet: SubsidySheet) -> str:
    """The status line: a warning on drafts, the lock time on locked sheets."""
    if sheet.is_draft:
        return DRAFT_NOTICE
    return f"已锁定　{sheet.locked_at}"


def footer_date(sheet: SubsidySheet) -> str:
    """'制表日期：2026年7月1日'."""
    d = sheet.prepared_on
    return f"制表日期：{d.year}年{d.month}月{d.day}日"


def audit_text(sheet: SubsidySheet) -> str:
    """The code of the audit row that locked the run (desktop.db.sheet_codes):
    `liangxin-cli check --code` tells whether the database still agrees with it."""
    if sheet.is_draft:
        return "本表为草稿，批次锁定后方可作为发放依据"
    return f"审计校验码：{sheet.audit_hash}"
