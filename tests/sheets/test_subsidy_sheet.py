"""The subsidy sheet workbook, read back as a clerk would check it."""

from __future__ import annotations

import random
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from desktop.domain.money import amount_in_words
from desktop.domain.subsidy_sheet import SheetLine, SubsidySheet, sheet_rows
from desktop.sheets.subsidy_sheet import HEADER_ROWS, write_subsidy_sheet


def line(name, township, amount_fen, serial=1, **kw):
    values = dict(name=name, id_number=f"34080119850615{serial:03d}X", home_unit="县委组织部",
                  organizations="示范科技有限公司", township=township, posted_days=91,
                  amount_fen=amount_fen, bank_name="农商银行",
                  bank_account=f"62170000000000{serial:05d}")
    values.update(kw)
    return SheetLine(**values)


def sheet(lines, **kw):
    values = dict(county="示范县", kind="stipend", period_label="2026年第二季度", status="draft",
                  run_id="0f0e0d0c-aaaa-4bbb-8ccc-123456789abc", monthly_stipend_fen=200000,
                  lines=tuple(lines), prepared_on=date(2026, 7, 1))
    values.update(kw)
    return SubsidySheet(**values)


LINES = [line("张三", "城关镇", 329032, 1), line("李四", "城关镇", 141935, 2),
         line("王五", "经开区", 600000, 3, note="4月已发放")]


def yuan(value) -> Decimal:
    """A numeric cell as an exact Decimal (openpyxl reads numbers as float)."""
    assert isinstance(value, (int, float)), value
    return Decimal(repr(value))


def read(path):
    return load_workbook(path).active


def test_layout_rows_and_totals():
    rows = sheet_rows(LINES)
    assert [(r.kind, r.seq, r.label, r.amount_fen, r.count) for r in rows] == [
        ("line", 1, "", 329032, 1), ("line", 2, "", 141935, 1),
        ("subtotal", 0, "城关镇 小计", 470967, 2),
        ("line", 3, "", 600000, 1), ("subtotal", 0, "经开区 小计", 600000, 1),
        ("total", 0, "合计", 1070967, 3)]


def test_townships_grouped_even_when_interleaved():
    rows = sheet_rows([line("a", "甲镇", 1), line("b", "乙镇", 2), line("c", "甲镇", 3)])
    assert [(r.kind, r.line.name if r.line else r.label) for r in rows] == [
        ("line", "a"), ("line", "c"), ("subtotal", "甲镇 小计"), ("line", "b"),
        ("subtotal", "乙镇 小计"), ("total", "合计")]


def test_title_headers_and_lines(tmp_path):
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", sheet(LINES)))
    assert ws["A1"].value == "示范县驻企联络员工作补贴发放表（2026年第二季度）"
    assert "草稿" in ws["A2"].value
    assert [c.value for c in ws[HEADER_ROWS]] == [
        "序号", "姓名", "公民身份号码", "派出单位", "派驻企业", "所属乡镇", "驻企天数",
        "月补贴标准（元）", "应发金额（元）", "开户银行", "银行卡号", "备注", "领取人签字"]
    first = [c.value for c in ws[4]]
    assert first[:3] == [1, "张三", "34080119850615001X"]
    assert yuan(first[7]) == Decimal("2000") and yuan(first[8]) == Decimal("3290.32")
    assert first[10] == "6217000000000000001" and first[11] is None
    assert ws["C4"].data_type == "s" and ws["K4"].data_type == "s"  # full numbers, as text
    assert ws["C4"].number_format == "@"
    assert ws["I4"].number_format == "#,##0.00"
    assert [ws.cell(r, 2).value for r in (4, 5, 7)] == ["张三", "李四", "王五"]
    assert ws["L7"].value == "4月已发放"


def test_subtotals_total_and_words(tmp_path):
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", sheet(LINES)))
    assert ws["A6"].value == "城关镇 小计（2人）" and yuan(ws["I6"].value) == Decimal("4709.67")
    assert ws["A8"].value == "经开区 小计（1人）" and yuan(ws["I8"].value) == Decimal("6000")
    assert ws["A9"].value == "合计（3人）"
    assert yuan(ws["I9"].value) == Decimal("10709.67")
    assert ws["C9"].value == "大写：" + amount_in_words(1070967)
    assert ws["C9"].value == "大写：人民币壹万零柒佰零玖元陆角柒分"
    assert "C9:H9" in {str(r) for r in ws.merged_cells.ranges}


def test_total_ending_in_jiao_prints_zheng(tmp_path):
    """会计基础工作规范 §52 (POLICY.md §1): 整 after 角 on the printed total."""
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", sheet([line("张三", "城关镇", 200550)])))
    assert ws["C6"].value == "大写：人民币贰仟零伍元伍角整"


def test_footer_and_draft_marks(tmp_path):
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", sheet(LINES)))
    assert ws["B11"].value == "制表人：" and ws["E11"].value == "审核人："
    assert ws["H11"].value == "负责人：" and ws["K11"].value == "制表日期：2026年7月1日"
    assert "草稿" in ws["A12"].value
    assert ws.oddHeader.center.text == "草稿"
    assert ws.oddHeader.left.text == "内部资料 注意保密"


def test_locked_sheet_prints_audit_hash(tmp_path):
    locked = sheet(LINES, status="locked", locked_at="2026-07-02 09:30", audit_hash="ab" * 32)
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", locked))
    assert ws["A12"].value == "审计校验码：" + "ab" * 32
    assert ws.oddHeader.center.text is None
    assert "已锁定" in ws["A2"].value and "2026-07-02 09:30" in ws["A2"].value


def test_print_ready(tmp_path):
    ws = read(write_subsidy_sheet(tmp_path / "s.xlsx", sheet(LINES)))
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_area == "'工作补贴发放表'!$A$1:$M$12"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.freeze_panes == "A4"
    # The draft mark in the print header has room (inches between header and body).
    mark_pt = ws.oddHeader.center.size
    assert (ws.page_margins.top - ws.page_margins.header) * 72 >= 1.5 * mark_pt


def test_bonus_sheet(tmp_path):
    lines = [line("张三", "城关镇", 1000000, 1, grade_label="优秀"),
             line("李四", "城关镇", 0, 2, note="未考核")]
    ws = read(write_subsidy_sheet(tmp_path / "b.xlsx", sheet(lines, kind="bonus",
                                                              period_label="2026年度")))
    assert ws["A1"].value == "示范县驻企联络员绩效补贴发放表（2026年度）"
    assert ws["H3"].value == "考核等次"
    assert (ws["H4"].value, ws["H5"].value, ws["L5"].value) == ("优秀", "未考核", "未考核")
    assert yuan(ws["I5"].value) == 0


def test_user_text_never_a_formula(tmp_path):
    evil = [line("=1+2", "@镇", 100, 1, home_unit="+SUM(A1)", organizations="-2",
                 bank_name="=HYPERLINK(\"http://x\")", note="\t=cmd")]
    path = write_subsidy_sheet(tmp_path / "e.xlsx", sheet(evil))
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    ws = read(path)
    assert ws["B4"].value == "=1+2" and ws["B4"].data_type == "s"
    assert ws["B4"].quotePrefix


@pytest.mark.parametrize("seed", range(5))
def test_sums_equal_lines_exactly(tmp_path, seed):
    rng = random.Random(seed)
    towns = ["城关镇", "经开区", "孔城镇"]
    lines = [line(f"人{i}", rng.choice(towns), rng.randrange(0, 2_000_000), i)
             for i in range(rng.randrange(1, 300))]
    ws = read(write_subsidy_sheet(tmp_path / "r.xlsx", sheet(lines)))
    line_sum, group_sum, subtotal_sum = Decimal(0), Decimal(0), Decimal(0)
    expected = iter(r for r in sheet_rows(lines))
    for row in ws.iter_rows(min_row=HEADER_ROWS + 1, max_row=HEADER_ROWS + len(lines) + 4):
        label, amount = row[0].value, row[8].value
        layout = next(expected)
        if layout.kind == "line":
            assert yuan(amount) * 100 == layout.amount_fen
            line_sum += yuan(amount)
            group_sum += yuan(amount)
        elif layout.kind == "subtotal":
            assert label.startswith(layout.label)
            assert yuan(amount) == group_sum
            subtotal_sum += group_sum
            group_sum = Decimal(0)
        else:
            assert label.startswith("合计")
            assert yuan(amount) == line_sum == subtotal_sum
            assert yuan(amount) * 100 == sum(l.amount_fen for l in lines)
            break
    else:
        pytest.fail("no 合计 row")


def test_tall_rows_for_wrapped_text(tmp_path):
    long = line("张三", "城关镇", 1, 1, organizations="、".join(["安徽示范新材料科技有限公司"] * 3))
    ws = read(write_subsidy_sheet(tmp_path / "t.xlsx", sheet([long, line("李四", "城关镇", 1, 2)])))
    assert ws.row_dimensions[4].height > 2 * 14
    assert ws.row_dimensions[5].height is None
