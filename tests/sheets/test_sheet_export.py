"""Registry exports: typed cells, masking, print setup, formula safety, round trip."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

from conftest import ID_A, USCC_A
from openpyxl import load_workbook

from desktop.domain.import_rules import clean_row
from desktop.sheets.export import (
    ASSESSMENTS_EXPORT,
    EXPORTS,
    OFFICERS_EXPORT,
    ORGANIZATIONS_EXPORT,
    write_registry_export,
)
from desktop.sheets.formats import SHEETS_BY_KEY
from desktop.sheets.reader import read_workbook

ORG = {
    "name": "甲快递有限公司", "uscc": USCC_A, "kind": "enterprise", "industry": "express",
    "is_new_business_form": True, "township": "龙眠街道", "address": "某路1号",
    "employee_count": 120, "party_member_count": 5, "party_org_form": "standalone",
    "party_org_name": "中共甲快递有限公司支部委员会", "party_org_established_on": date(2024, 7, 1),
    "has_union": True, "has_youth_league": False, "has_women_federation": False,
    "registered_on": "2018-05-20", "closed_on": None, "contact_name": "张三",
    "contact_phone": "13800138000", "note": None,
}
OFFICER = {"name": "李四", "id_number": ID_A, "phone": "13900139000", "home_unit": "发改委",
           "position": "科员", "bank_name": "农业银行", "bank_account": "6228480012345678901"}


def export(path, layout, rows, **kwargs):
    kwargs.setdefault("sheet_name", layout.sheet_name)
    return write_registry_export(path, title="两新组织名册", county="桐城市",
                                 as_of=date(2026, 11, 22), columns=layout.columns, rows=rows,
                                 **kwargs)


def test_title_headers_and_typed_cells(tmp_path):
    path = tmp_path / "orgs.xlsx"
    assert export(path, ORGANIZATIONS_EXPORT, [ORG]) == 1
    ws = load_workbook(path)["组织"]
    assert ws["A1"].value == "桐城市两新组织名册"
    assert ws["A2"].value == "统计日期：2026年11月22日　（身份号码、电话、银行卡号已部分隐藏）"
    assert "A1:T1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]] == [c.header for c in ORGANIZATIONS_EXPORT.columns]
    row = dict(zip([c.value for c in ws[3]], ws[4]))
    assert row["名称"].value == "甲快递有限公司"
    assert row["统一社会信用代码"].value == USCC_A and row["统一社会信用代码"].data_type == "s"
    assert row["统一社会信用代码"].number_format == "@"
    assert row["类型"].value == "非公企业" and row["行业"].value == "快递"
    assert row["党组织组建方式"].value == "单独组建"
    assert (row["新业态"].value, row["工会"].value, row["共青团"].value) == ("是", "是", "否")
    assert row["从业人员数"].value == 120 and row["从业人员数"].data_type == "n"
    assert row["党组织建立日期"].value == datetime(2024, 7, 1)
    assert row["党组织建立日期"].number_format == "yyyy-mm-dd"
    assert row["登记日期"].value == datetime(2018, 5, 20)
    assert row["注销日期"].value is None
    assert row["联系电话"].value == "138****8000"


def test_frozen_header_filter_and_print_setup(tmp_path):
    path = tmp_path / "orgs.xlsx"
    export(path, ORGANIZATIONS_EXPORT, [ORG, ORG])
    wb = load_workbook(path)
    ws = wb["组织"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:T5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$3:$3"
    assert ws.print_area == "'组织'!$A$1:$T$5"  # the table, no blank pages after it
    assert ws.column_dimensions["A"].width == ORGANIZATIONS_EXPORT.columns[0].width


def test_personal_data_masked_unless_asked(tmp_path):
    export(tmp_path / "masked.xlsx", OFFICERS_EXPORT, [OFFICER])
    masked = [c.value for c in load_workbook(tmp_path / "masked.xlsx")["联络员"][4]]
    assert masked[1] == ID_A[:6] + "********" + ID_A[-4:]
    assert masked[2] == "139****9000"
    assert masked[6] == "*" * 15 + "8901"
    export(tmp_path / "full.xlsx", OFFICERS_EXPORT, [OFFICER], mask=False)
    ws = load_workbook(tmp_path / "full.xlsx")["联络员"]
    assert [c.value for c in ws[4]] == list(OFFICER.values())
    assert ws["A2"].value.endswith("（含完整个人信息，请妥善保管）")


def test_user_text_never_becomes_a_formula(tmp_path):
    risky = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3", "@SUM(A1)", "\tx", "\rcmd"]
    rows = [dict(ORG, name=text, address=text, note=text) for text in risky]
    path = tmp_path / "risky.xlsx"
    export(path, ORGANIZATIONS_EXPORT, rows, sheet_name="=组织")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(path)["=组织"]
    for number, text in enumerate(risky, start=4):
        cell = ws.cell(row=number, column=1)
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == text.replace("\r", "\n")  # XML turns a lone CR into LF


def test_round_trip_unmasked_export_reimports(tmp_path):
    path = tmp_path / "roundtrip.xlsx"
    export(path, ORGANIZATIONS_EXPORT, [ORG, dict(ORG, name="乙协会", uscc=None,
                                                    kind="social_org", industry=None)], mask=False)
    sheet = read_workbook(path).sheets["组织"]
    assert sheet.header_row == 3
    records = [clean_row(sheet.spec, raw) for raw in sheet.rows]
    assert [problems for _, problems in records] == [[], []]
    first = records[0][0]
    expected = dict(ORG, registered_on=date(2018, 5, 20))
    assert first == expected
    assert records[1][0]["kind"] == "social_org" and records[1][0]["uscc"] is None


def test_link_exports_add_names_and_keep_import_headers(tmp_path):
    path = tmp_path / "grades.xlsx"
    export(path, ASSESSMENTS_EXPORT, [{"officer_name": "李四", "officer_id_number": ID_A,
                                       "year": 2025, "grade": "good"}], mask=False)
    ws = load_workbook(path)["考核"]
    assert [c.value for c in ws[3]] == ["联络员姓名", "联络员身份号码", "年度", "考核等次"]
    assert [c.value for c in ws[4]] == ["李四", ID_A, 2025, "良好"]
    raw = read_workbook(path).sheets["考核"].rows[0]
    assert clean_row(SHEETS_BY_KEY["assessments"], raw) == (
        {"officer_id_number": ID_A, "year": 2025, "grade": "good"}, [])
    for key, layout in EXPORTS.items():
        spec = SHEETS_BY_KEY[key]
        assert layout.sheet_name == spec.name
        headers = [c.header for c in layout.columns]
        assert all(col.header in headers for col in spec.columns)


def test_empty_export_still_has_header_and_filter(tmp_path):
    path = tmp_path / "none.xlsx"
    assert export(path, OFFICERS_EXPORT, iter(())) == 0
    ws = load_workbook(path)["联络员"]
    assert ws.auto_filter.ref == "A3:G3"
    assert re.match("姓名", ws["A3"].value)


def test_any_title_makes_a_legal_sheet_name(tmp_path):
    path = tmp_path / "odd.xlsx"
    write_registry_export(path, title="名册[2026/11]:汇总?", county="桐城市", as_of=date(2026, 1, 1),
                          columns=OFFICERS_EXPORT.columns, rows=[OFFICER])
    assert load_workbook(path).sheetnames == ["名册_2026_11__汇总_"]
