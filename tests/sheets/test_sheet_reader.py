"""read_workbook: good workbooks become plain rows; every bad file is refused by name."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime

import pytest
from conftest import ID_A, ORG_HEADER, USCC_A
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.domain.import_rules import Problem, clean_row
from desktop.errors import UserError
from desktop.sheets.reader import normalize_cell, read_workbook
from desktop.sheets.template import write_template

GOOD_ORG = ["甲公司", USCC_A, "非公企业", "快递", "龙眠街道", 12, 13800138000.0,
            datetime(2020, 5, 1)]


def refusal(path, **kwargs) -> UserError:
    with pytest.raises(UserError) as info:
        read_workbook(path, **kwargs)
    return info.value


def test_good_workbook_rows_in_any_column_order(book):
    path = book({
        "说明": [["ignored"]],
        "组织": [ORG_HEADER, GOOD_ORG, [None] * 8, ["  乙协会 ", None, "社会组织", None, "孔城镇"]],
        "指导员": [["备注", "公民身份号码", "姓名*"], ["x", ID_A, "王某"]],
    })
    wb = read_workbook(path)
    assert list(wb.sheets) == ["组织", "指导员"]
    assert wb.ignored_sheets == ["说明"]
    orgs = wb.sheets["组织"]
    assert orgs.header_row == 1 and orgs.header["name"] == 0 and orgs.headers["name"] == "名称*"
    first, second = orgs.rows
    assert first.row_number == 2 and second.row_number == 4  # the empty row 3 is skipped
    assert first.values == {"name": "甲公司", "uscc": USCC_A, "kind": "非公企业",
                            "industry": "快递", "township": "龙眠街道", "employee_count": 12,
                            "contact_phone": 13800138000, "registered_on": date(2020, 5, 1)}
    assert first.cells["contact_phone"] == "13800138000"
    assert first.cells["registered_on"] == "2020-05-01"
    assert second.values["name"] == "乙协会" and "uscc" not in second.values
    person = wb.sheets["指导员"].rows[0]
    assert person.values == {"name": "王某", "id_number": ID_A}
    assert person.sheet == "指导员" and person.row_number == 2
    assert clean_row(orgs.spec, first)[1] == []


def test_example_row_skipped_and_template_reads_back(tmp_path):
    template = write_template(tmp_path / "template.xlsx")
    assert str(refusal(template)) == "工作簿中没有需要导入的数据行（示例行不导入）"
    from openpyxl import load_workbook
    wb = load_workbook(template)
    wb["考核"].append([ID_A, 2025, "优秀"])
    wb.save(tmp_path / "filled.xlsx")
    rows = read_workbook(tmp_path / "filled.xlsx").sheets["考核"].rows
    assert [(r.row_number, r.values) for r in rows] == [
        (3, {"officer_id_number": ID_A, "year": 2025, "grade": "优秀"})]


def test_cell_normalization():
    assert normalize_cell("\u3000 甲 \u200b") == "甲"
    assert normalize_cell("   ") is None
    assert normalize_cell(13800138000.0) == 13800138000
    assert normalize_cell(1.5) == 1.5
    assert normalize_cell(datetime(2026, 3, 10)) == date(2026, 3, 10)
    assert normalize_cell(datetime(2026, 3, 10, 8, 0)) == datetime(2026, 3, 10, 8, 0)
    assert len(normalize_cell("长" * 5000)) == 2001


def test_title_rows_above_header_are_allowed(book):
    path = book({"考核": [["桐城市考核名册"], ["统计日期：2026年11月22日"],
                          ["联络员身份号码", "年度", "考核等次"], [ID_A, 2025, "良好"]]})
    sheet = read_workbook(path).sheets["考核"]
    assert sheet.header_row == 3 and sheet.rows[0].row_number == 4


# ---------------------------------------------------------------- refused files

def test_damaged_old_xls_refused(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 +
                     "Workbook".encode("utf-16-le") + b"\0" * 600)
    assert str(refusal(path)).startswith("文件已损坏，无法作为 Excel 工作簿打开")


def test_password_protected_workbook_refused(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 +
                     "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 +
                     "EncryptedPackage".encode("utf-16-le"))
    assert str(refusal(path)) == "工作簿已设置打开密码，请先取消密码再导入"


def test_csv_renamed_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("名称,类型,所属乡镇\n甲公司,非公企业,龙眠街道\n", encoding="gbk")
    assert str(refusal(path)) == ("文件不是 Excel 工作簿（看起来是 CSV 文本文件），"
                                  "请在 Excel/WPS 中打开后另存为 .xlsx 再导入")


def test_html_table_renamed_refused(tmp_path):
    path = tmp_path / "web.xlsx"
    path.write_text("<html><body><table><tr><td>名称</td></tr></table></body></html>")
    assert "看起来是网页或 XML 文件" in str(refusal(path))


def test_empty_and_binary_files_refused(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert str(refusal(empty)) == "文件是空的（0 字节），不是 Excel 工作簿"
    binary = tmp_path / "photo.xlsx"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert str(refusal(binary)) == "文件不是 Excel 工作簿（无法识别的文件格式），请选择 .xlsx、.xls 或 .ods 文件"


def test_broken_zip_refused(book, tmp_path):
    good = book({"组织": [ORG_HEADER, GOOD_ORG]})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:-300])
    assert str(refusal(cut)) == "文件已损坏，无法作为 Excel 工作簿打开"


def test_corrupted_sheet_inside_zip_refused(book, tmp_path):
    good = book({"组织": [ORG_HEADER, GOOD_ORG]})
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the XML ends in the middle of a row
            dst.writestr(info, data)
    assert str(refusal(bad)).startswith("文件已损坏，无法作为 Excel 工作簿打开（")


def test_other_zip_and_broken_ods_refused(tmp_path):
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert str(refusal(docx)) == "文件不是 Excel 工作簿（是Word 文档），请选择 .xlsx、.xls 或 .ods 文件"
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert str(refusal(ods)).startswith("文件已损坏，无法作为 Excel 工作簿打开")


def test_xlsx_with_other_extension_is_read(book, tmp_path):
    good = book({"组织": [ORG_HEADER, GOOD_ORG]})
    renamed = tmp_path / "名单.xls"
    shutil.copy(good, renamed)
    assert len(read_workbook(renamed).sheets["组织"].rows) == 1


def test_no_known_sheet_refused(book):
    path = book({"Sheet1": [["名称"], ["甲"]], "汇总": [[1]]})
    assert str(refusal(path)) == ("工作簿中没有可识别的工作表（组织、指导员、挂钩、联络员、派驻、考核、问题、走访），"
                                  "现有工作表：Sheet1、汇总")


def test_sheet_level_problems_all_reported_at_once(book):
    path = book({
        "组织": [["名称", "地址"], ["甲公司", "某路"]],
        "指导员": [["张三", ID_A], ["李四", ID_A]],
        "联络员": [],
        "考核": [["联络员身份号码", "年度", "年度", "考核等次"]],
    })
    err = refusal(path)
    assert err.problems == [
        Problem("组织", 1, "类型", "", "缺少必填列"),
        Problem("组织", 1, "所属乡镇", "", "缺少必填列"),
        Problem("指导员", 1, "", "", "没有表头行：前5行中找不到列名（应有姓名、公民身份号码等）"),
        Problem("联络员", 0, "", "", "工作表是空的（没有表头和数据），如不需要请删除该工作表"),
        Problem("考核", 1, "年度", "", "列名重复，请只保留一列"),
    ]
    # Listed once: the problems are in err.problems, the message only counts them.
    assert str(err) == "工作簿不能导入：发现 5 个问题"


def test_row_limit_refuses_junk_in_bounded_work(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织")
    ws.append(["名称", "类型", "所属乡镇"])
    for i in range(5000):
        ws.append([f"junk{i}", "?", i])
    wb.save(tmp_path / "junk.xlsx")
    err = refusal(tmp_path / "junk.xlsx", max_rows=100)
    assert str(err) == "工作表「组织」超过100行数据（第102行），请检查是否有多余内容，或拆分后分批导入"


def test_far_away_cell_is_refused_by_where_it_is(book, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "组织"
    ws.append(["名称", "类型", "所属乡镇"])
    ws.append(["甲", "非公企业", "龙眠街道"])
    ws["XFD1048576"] = "far"
    wb.save(tmp_path / "far.xlsx")
    # Reading it would mean a grid of 17 billion cells; the clerk is told where it is.
    assert str(refusal(tmp_path / "far.xlsx")) == (
        "工作表「组织」的内容一直延伸到第1048576行、第XFD列（XFD1048576），远超数据所在的区域："
        "请删除表格下方和右侧多余的内容（整行、整列删除）后保存，再导入")


junk_cells = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["=1+1", "示例", "是", "２０２６年３月１日", ID_A, "@x", "-", "\t"]),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(junk_cells, min_size=8, max_size=8), min_size=1, max_size=4))
def test_random_cells_are_problems_not_crashes(tmp_path, rows):
    from desktop.sheets.safe import write_text_cell
    wb = Workbook()
    ws = wb.active
    ws.title = "组织"
    ws.append(ORG_HEADER)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                write_text_cell(ws.cell(row=r, column=c), value)
            else:
                ws.cell(row=r, column=c, value=value)
    path = tmp_path / "random.xlsx"
    wb.save(path)
    try:
        book_rows = read_workbook(path)
    except UserError as err:
        # A column name in the row under the header (random text may be 类型) is refused
        # on purpose: the header may be one row lower than it looks.
        assert str(err) == "工作簿中没有需要导入的数据行（示例行不导入）" or all(
            p.reason.startswith("表头中有") for p in err.problems), err.problems
        return
    for sheet in book_rows.sheets.values():
        for raw in sheet.rows:
            _, problems = clean_row(sheet.spec, raw)
            assert all(isinstance(p, Problem) and p.reason for p in problems)
