"""read_workbook on clerks' real files: two-level headers, merged cells, invisible
characters, error values, formulas without a result, formatting to the last row,
old .xls and .ods, masked exports, IDs typed as numbers (issue 14 §1)."""

from __future__ import annotations

import re
import shutil
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import ID_A
from factories import build_workbook

from desktop.domain.import_rules import NO_RESULT, clean_row
from desktop.errors import UserError
from desktop.sheets.reader import MASKED_EXPORT, read_workbook

FIXTURES = Path(__file__).parent.parent / "fixtures"


def refusal(path) -> UserError:
    with pytest.raises(UserError) as info:
        read_workbook(path)
    return info.value


def sheet_book(path: Path, rows: list[list], merges: tuple[str, ...] = (),
               name: str = "组织") -> Path:
    """A one-sheet workbook with `rows` from A1 and `merges` ('A1:A2') applied."""
    return build_workbook(path, {name: rows}, {name: merges})


def with_sheet_xml(source: Path, dest: Path, edit) -> Path:
    """`source` copied to `dest` with its first sheet's XML passed through `edit`, as
    files made by other programs hold what openpyxl would not write."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            out.writestr(info, data)
    return dest


def rows_of(path) -> list[dict]:
    return [raw.values for raw in read_workbook(path).sheets["组织"].rows]


def problems_of(path) -> list[str]:
    sheet = read_workbook(path).sheets["组织"]
    return [p.describe() for raw in sheet.rows for p in clean_row(sheet.spec, raw)[1]]


TWO_LEVEL = [
    ["序号", "名称", "类型", "所属乡镇", "党组织情况", None, None, "群团组织", None, None],
    [None, None, None, None, "组建方式", "名称", "建立日期", "工会", "共青团", "妇联"],
    [1, "甲公司", "非公企业", "城关镇", "单独组建", "中共甲公司支部", "2021-07-01", "是", "否", "是"],
]
TWO_LEVEL_MERGES = ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1", "H1:J1")


def test_two_level_header_is_read_as_one(tmp_path):
    path = sheet_book(tmp_path / "two.xlsx", TWO_LEVEL, TWO_LEVEL_MERGES)
    sheet = read_workbook(path).sheets["组织"]
    assert sheet.header_row == 2
    assert sheet.rows[0].row_number == 3
    assert sheet.rows[0].values == {
        "name": "甲公司", "kind": "非公企业", "township": "城关镇", "party_org_form": "单独组建",
        "party_org_name": "中共甲公司支部", "party_org_established_on": "2021-07-01",
        "has_union": "是", "has_youth_league": "否", "has_women_federation": "是"}
    assert sheet.headers["party_org_name"] == "党组织情况/名称"
    assert sheet.ignored_columns == ["序号"]


def test_group_with_unreadable_sub_columns_is_refused(tmp_path):
    rows = [row[:] for row in TWO_LEVEL]
    rows[1][7:10] = ["工会组织", "团组织", "妇女组织"]
    err = refusal(sheet_book(tmp_path / "groups.xlsx", rows, TWO_LEVEL_MERGES))
    assert [p.describe() for p in err.problems] == [
        "组织 第1行 群团组织：表头分组（H1:J1）下的列都无法识别（工会组织、团组织、妇女组织），"
        "请把列名改为模板中的列名后再导入"]


def test_known_name_merged_over_columns_is_refused(tmp_path):
    rows = [["名称", "类型", "所属乡镇", "工会", None], ["甲公司", "非公企业", "城关镇", "是", 12]]
    err = refusal(sheet_book(tmp_path / "wide.xlsx", rows, ("D1:E1",)))
    reasons = [p.describe() for p in err.problems]
    assert reasons[0] == ("组织 第1行 工会：表头「工会」是跨多列的合并单元格（D1:E1），"
                          "无法确定哪一列是该项，请取消合并或在下一行写明各列列名")


def test_known_name_in_header_rows_but_unused_is_reported(tmp_path):
    # A three-row header: the third row's 工会 is not under any recognized column.
    rows = [["名称", "类型", "所属乡镇", "群团组织"], [None, None, None, "情况"],
            [None, None, None, "工会"], ["甲公司", "非公企业", "城关镇", "是"]]
    err = refusal(sheet_book(tmp_path / "three.xlsx", rows, ("A1:A3", "B1:B3", "C1:C3")))
    assert any("表头中有「工会」（D3单元格），但没有被识别为数据列" in p.reason for p in err.problems)


def test_merged_data_cell_counts_for_every_row(tmp_path):
    rows = [["名称", "类型", "所属乡镇"], ["甲", "非公企业", "城关镇"], ["乙", None, "城关镇"],
            ["丙", None, "城关镇"], ["丁", "社会组织", "城关镇"]]
    path = sheet_book(tmp_path / "merged.xlsx", rows, ("B2:B4",))
    assert [r["kind"] for r in rows_of(path)] == ["非公企业", "非公企业", "非公企业", "社会组织"]
    assert problems_of(path) == []


def test_merged_data_cell_across_columns_is_refused_as_merged(tmp_path):
    rows = [["名称", "类型", "所属乡镇", "工会", "共青团"], ["甲", "非公企业", "城关镇", "是", None]]
    path = sheet_book(tmp_path / "across.xlsx", rows, ("D2:E2",))
    reason = "合并单元格（D2:E2）跨了多列，无法确定属于哪一列，请取消合并后分别填写"
    assert problems_of(path) == [f"组织 第2行 工会「是」：{reason}", f"组织 第2行 共青团「是」：{reason}"]


def test_invisible_characters_removed_inside_text(tmp_path):
    rows = [["\ufeff名称", "类型", "所属乡镇", "备注"],
            ["甲\u2060公司", "非公企业", "城\u200b关镇", "一\u00a0二"]]
    assert rows_of(sheet_book(tmp_path / "zw.xlsx", rows)) == [
        {"name": "甲公司", "kind": "非公企业", "township": "城关镇", "note": "一 二"}]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#NAME?", "#VALUE!", "#DIV/0!"])
def test_excel_error_values_refused_in_any_column(tmp_path, error):
    source = sheet_book(tmp_path / "src.xlsx", [["名称", "类型", "所属乡镇", "地址"],
                                               ["甲", "非公企业", "城关镇", "X"]])
    path = with_sheet_xml(source, tmp_path / "err.xlsx", lambda xml: re.sub(
        r'<c r="D2"[^>]*>.*?</c>', f'<c r="D2" t="e"><v>{error}</v></c>', xml))
    assert problems_of(path) == [
        f"组织 第2行 地址「{error}」：单元格是 Excel 错误值 {error}（公式出错或引用失效），请改正公式或填写正确的值"]


def test_error_value_typed_as_text_refused(tmp_path):
    path = sheet_book(tmp_path / "text.xlsx", [["名称", "类型", "所属乡镇"], ["#N/A", "非公企业", "城关镇"]])
    assert problems_of(path)[0].startswith("组织 第2行 名称「#N/A」：单元格是 Excel 错误值 #N/A")


def test_formula_without_saved_result_refused(tmp_path):
    source = sheet_book(tmp_path / "src.xlsx", [["名称", "类型", "所属乡镇"], ["甲", "非公企业", "X"]])
    path = with_sheet_xml(source, tmp_path / "formula.xlsx", lambda xml: re.sub(
        r'<c r="C2"[^>]*>.*?</c>', '<c r="C2" t="str"><f>"城关"&amp;"镇"</f></c>', xml))
    assert problems_of(path) == [f"组织 第2行 所属乡镇：{NO_RESULT}"]
    assert NO_RESULT.startswith("公式没有保存计算结果")


def test_exact_18_digit_numbers_are_not_called_lossy(tmp_path):
    source = sheet_book(tmp_path / "src.xlsx", [["名称", "统一社会信用代码", "类型", "所属乡镇"],
                                               ["甲", 1, "非公企业", "城关镇"]], name="组织")
    digits = "123401007000000012"
    from desktop.domain.identifiers import uscc_check_char
    digits = digits[:17] + uscc_check_char(digits[:17])
    if not digits.isdigit():
        pytest.skip("check character is a letter for this body")
    path = with_sheet_xml(source, tmp_path / "exact.xlsx", lambda xml: re.sub(
        r'<c r="B2"[^>]*>.*?</c>', f'<c r="B2" t="n"><v>{digits}</v></c>', xml))
    assert problems_of(path) == []
    assert str(rows_of(path)[0]["uscc"]) == digits
    # The same number after Excel rounded it to 15 digits is refused as possibly altered.
    rounded = with_sheet_xml(source, tmp_path / "rounded.xlsx", lambda xml: re.sub(
        r'<c r="B2"[^>]*>.*?</c>', f'<c r="B2" t="n"><v>{float(digits):E}</v></c>', xml))
    assert "可能已丢失数字" in problems_of(rounded)[0]


def test_sheet_formatted_to_the_last_row_costs_what_its_data_costs(tmp_path):
    rows = [["名称", "类型", "所属乡镇"]] + [[f"甲{i}", "非公企业", "城关镇"] for i in range(5)]
    source = sheet_book(tmp_path / "src.xlsx", rows)
    styled = "".join(f'<row r="{i}" s="1" customFormat="1"/>' for i in range(7, 1_048_577))
    path = with_sheet_xml(source, tmp_path / "styled.xlsx", lambda xml: re.sub(
        r"<dimension[^>]*/>", "", xml).replace("</sheetData>", styled + "</sheetData>"))
    tracemalloc.start()
    try:
        count = len(rows_of(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 5
    assert peak < 40 * 1024 * 1024  # openpyxl kept ~450 MB of row attributes


def test_old_xls_reads_like_xlsx_even_renamed(tmp_path):
    renamed = tmp_path / "名单.xlsx"
    shutil.copy(FIXTURES / "legacy.xls", renamed)
    for path in (FIXTURES / "legacy.xls", renamed):
        sheet = read_workbook(path).sheets["组织"]
        assert sheet.header_row == 3
        assert [(r.row_number, r.values["kind"], r.values["township"]) for r in sheet.rows] == [
            (4, "非公企业", "城关镇"), (5, "非公企业", "城关镇"), (6, "非公企业", "城关镇")]
        assert sheet.rows[0].values["registered_on"] == date(2020, 5, 1)
        assert sheet.rows[0].values["party_org_form"] == "单独组建"


MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet with one sheet 组织 of text cells."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in row) + "</table:table-row>" for row in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="组织">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def test_ods_reads_like_xlsx_even_renamed(tmp_path):
    path = write_ods(tmp_path / "calc.xlsx", [["名称", "类型", "所属乡镇"], ["甲", "社会组织", "城关镇"]])
    assert rows_of(path) == [{"name": "甲", "kind": "社会组织", "township": "城关镇"}]


def test_masked_export_re_imported_says_so(tmp_path):
    from desktop.sheets.export import OFFICERS_EXPORT, write_registry_export
    path = tmp_path / "masked.xlsx"
    write_registry_export(path, title="联络员", county="桐城市", as_of=date(2026, 11, 22),
                          columns=OFFICERS_EXPORT.columns, mask=True,
                          rows=[{"name": "王某", "id_number": ID_A, "phone": "13800138000"}])
    err = refusal(path)
    assert [p.reason for p in err.problems] == [MASKED_EXPORT]
    assert "含完整个人信息" in MASKED_EXPORT
    unmasked = tmp_path / "full.xlsx"
    write_registry_export(unmasked, title="联络员", county="桐城市", as_of=date(2026, 11, 22),
                          columns=OFFICERS_EXPORT.columns, mask=False,
                          rows=[{"name": "王某", "id_number": ID_A, "phone": "13800138000"}])
    assert read_workbook(unmasked).sheets["联络员"].rows[0].values["id_number"] == ID_A


def test_masked_numbers_pasted_into_a_sheet_are_refused_as_masked(tmp_path):
    path = sheet_book(tmp_path / "paste.xlsx", [["姓名", "公民身份号码"], ["王某", "340881********0012"]],
                      name="联络员")
    sheet = read_workbook(path).sheets["联络员"]
    reasons = [p.reason for p in clean_row(sheet.spec, sheet.rows[0])[1]]
    assert reasons and reasons[0].startswith("号码已部分隐藏（含*），这是脱敏导出的数据")
