"""The subsidy sheet PDF, read back with pypdf: numbers, order, totals, page furniture."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from desktop.domain.money import amount_in_words, format_fen
from desktop.reports.subsidy_sheet_pdf import render_subsidy_sheet
from desktop.domain.subsidy_sheet import SheetLine, SubsidySheet


def line(name, township, amount_fen, serial=1, **kw):
    values = dict(name=name, id_number=f"34080119850615{serial:04d}"[:18],
                  home_unit="县委组织部", organizations="示范科技有限公司", township=township,
                  posted_days=91, amount_fen=amount_fen, bank_name="农商银行",
                  bank_account=f"621700000000{serial:07d}")
    values.update(kw)
    return SheetLine(**values)


def sheet(lines, **kw):
    values = dict(county="示范县", kind="stipend", period_label="2026年第二季度", status="draft",
                  run_id="0f0e0d0c-aaaa-4bbb-8ccc-123456789abc", monthly_stipend_fen=200000,
                  lines=tuple(lines), prepared_on=date(2026, 7, 1))
    values.update(kw)
    return SubsidySheet(**values)


def pages(s: SubsidySheet) -> list[str]:
    buffer = io.BytesIO()
    render_subsidy_sheet(buffer, s)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    for page in reader.pages:
        assert page.mediabox.width > page.mediabox.height  # landscape
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


LINES = [line("张三", "城关镇", 329032, 1), line("李四", "城关镇", 141935, 2),
         line("王五", "经开区", 600000, 3, note="4月已发放")]


def test_one_page_sheet_numbers_and_order():
    (text,) = pages(sheet(LINES))
    assert "示范县驻企联络员工作补贴发放表（2026年第二季度）" in text
    assert "内部资料注意保密" in text
    assert text.index("张三") < text.index("李四") < text.index("城关镇小计") < text.index("王五")
    for needle in ("340801198506150001", "6217000000000000001", "3,290.32", "1,419.35",
                   "4,709.67", "6,000.00", "10,709.67", "2,000.00", "4月已发放"):
        assert needle in text, needle
    assert "合计（3人）" in text
    assert amount_in_words(1070967) in text
    assert "第1页共1页" in text
    for signer in ("制表人", "审核人", "负责人", "制表日期：2026年7月1日"):
        assert signer in text


def test_draft_watermark_and_notice():
    (text,) = pages(sheet(LINES))
    assert "草稿" in text and "不得据此发放" in text
    assert "审计校验码" not in text


def test_locked_sheet_has_hash_and_no_watermark():
    locked = sheet(LINES, status="locked", locked_at="2026-07-02 09:30", audit_hash="c3" * 32)
    (text,) = pages(locked)
    assert "审计校验码：" + "c3" * 32 in text
    assert "草稿" not in text
    assert "已锁定" in text


def test_many_lines_repeat_header_and_number_pages():
    towns = ["城关镇", "经开区", "孔城镇"]
    lines = [line(f"联络员{i}", towns[i % 3], 200000 + i, i) for i in range(150)]
    texts = pages(sheet(lines))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{len(texts)}页" in text
        assert "公民身份号码" in text and "内部资料注意保密" in text
    whole = "".join(texts)
    assert format_fen(sum(l.amount_fen for l in lines)) in whole
    assert whole.index("联络员0") < whole.index("联络员3") < whole.index("城关镇小计（50人）")


def test_bonus_sheet_prints_grades():
    lines = [line("张三", "城关镇", 1000000, 1, grade_label="优秀"),
             line("李四", "城关镇", 0, 2, note="未考核")]
    (text,) = pages(sheet(lines, kind="bonus", period_label="2026年度"))
    assert "示范县驻企联络员绩效补贴发放表（2026年度）" in text
    assert "考核等次" in text and "优秀" in text and "未考核" in text


def test_markup_in_user_text_prints_as_typed():
    odd = [line("R&D<b>部", "城关镇", 100, 1, organizations="a<b>&c", note="x&y")]
    (text,) = pages(sheet(odd))
    assert "R&D<b>部" in text and "a<b>&c" in text


def test_writes_a_file(tmp_path):
    path = tmp_path / "s.pdf"
    result = render_subsidy_sheet(path, sheet(LINES))
    assert path.read_bytes().startswith(b"%PDF")
    assert result.page_count == 1 and result.warnings == ()
