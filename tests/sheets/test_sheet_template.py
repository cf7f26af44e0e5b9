"""The import template: sheets, marked headers, drop-downs, formats, example row."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from desktop.domain.import_rules import clean_row
from desktop.sheets.formats import EXAMPLE_MARK, SHEETS, TEXT_FORMAT_TYPES, ValueType
from desktop.sheets.reader import RawRow, normalize_cell
from desktop.sheets.template import GUIDE_SHEET, write_template


def test_template_layout(tmp_path):
    path = write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [s.name for s in SHEETS] + [GUIDE_SHEET]
    assert wb.active.title == "组织"
    for spec in SHEETS:
        ws = wb[spec.name]
        headers = [c.value for c in ws[1]]
        assert headers == [col.marked_header for col in spec.columns]
        assert ws.freeze_panes == "A2"
        for index, col in enumerate(spec.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            assert ws.column_dimensions[letter].width == col.width
            color = ws.cell(row=1, column=index).font.color
            assert (color is not None and color.rgb == "00C00000") == col.required
        assert ws.max_row == 2
        assert str(ws.cell(row=2, column=1).value).startswith(EXAMPLE_MARK)
    orgs = wb["组织"]
    assert [c.value for c in orgs[1]][:3] == ["名称*", "统一社会信用代码", "类型*"]


def test_drop_downs_and_validations(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    rules = {str(dv.sqref): (dv.type, dv.formula1)
             for dv in wb["组织"].data_validations.dataValidation}
    assert rules["C2:C1048576"] == ("list", '"非公企业,社会组织"')
    assert rules["D2:D1048576"] == ("list", '"快递,外卖送餐,网约车,道路货运,互联网,物业,制造业,其他"')
    assert rules["E2:E1048576"] == ("list", '"是,否"')
    assert rules["J2:J1048576"] == ("list", '"单独组建,联合组建,区域联建,未建"')
    assert rules["H2:H1048576"] == ("whole", "0")
    assert rules["L2:L1048576"][0] == "date"
    grades = {str(dv.sqref): dv.formula1 for dv in wb["考核"].data_validations.dataValidation}
    assert grades["C2:C1048576"] == '"优秀,良好,称职,不称职"'


def test_column_formats_keep_ids_as_text_and_dates_as_dates(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    for spec in SHEETS:
        ws = wb[spec.name]
        for index, col in enumerate(spec.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            fmt = ws.column_dimensions[letter].number_format
            if col.type in TEXT_FORMAT_TYPES:
                assert fmt == "@", (spec.name, col.header)
                example = ws.cell(row=2, column=index)
                assert example.data_type == "s" and example.number_format == "@"
            elif col.type == ValueType.DATE:
                assert fmt == "yyyy-mm-dd"
    example_date = wb["组织"]["L2"]
    assert isinstance(example_date.value, datetime) and example_date.number_format == "yyyy-mm-dd"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in archive.read(n).decode() for n in sheets)


def test_example_rows_are_valid_data(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    for spec in SHEETS:
        row = [c.value for c in wb[spec.name][2]]
        row[0] = row[0].removeprefix(EXAMPLE_MARK + "：")
        values = {col.field: normalize_cell(v) for col, v in zip(spec.columns, row)
                  if v is not None}
        record, problems = clean_row(spec, RawRow(spec.name, 2, values, {}))
        assert problems == [], spec.name
        assert all(record[col.field] is not None for col in spec.required_columns)


def test_guide_sheet_lists_every_column(tmp_path):
    ws = load_workbook(write_template(tmp_path / "t.xlsx"))[GUIDE_SHEET]
    listed = {(r[0], r[1]) for r in ws.iter_rows(min_row=6, values_only=True)}
    assert listed == {(s.name, c.header) for s in SHEETS for c in s.columns}


def test_guide_prints_one_page_wide_with_its_header_on_every_page(tmp_path):
    from desktop.sheets.template import GUIDE_WIDTHS, text_units

    ws = load_workbook(write_template(tmp_path / "t.xlsx"))[GUIDE_SHEET]
    setup = ws.page_setup
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert str(setup.paperSize) == ws.PAPERSIZE_A4 and setup.orientation == "portrait"
    header = next(c.row for c in ws["A"] if c.value == "工作表")
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.print_area == f"'{GUIDE_SHEET}'!$A$1:$D${ws.max_row}"
    assert "&P" in ws.oddFooter.center.text
    widths = [ws.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == list(GUIDE_WIDTHS)
    for row in ws.iter_rows(min_row=1, max_row=header - 2):  # the notes span the table
        assert any(str(r) == f"A{row[0].row}:D{row[0].row}" for r in ws.merged_cells.ranges)
    for row in ws.iter_rows(min_row=header + 1):
        for cell, width in zip(row, widths):
            text = str(cell.value or "")
            assert cell.alignment.wrap_text
            assert text_units(text) <= width or ws.row_dimensions[cell.row].height, cell.coordinate


def _libreoffice():
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_libreoffice() is None, reason="LibreOffice is not installed")
def test_guide_printed_by_libreoffice_keeps_every_column_on_each_page(tmp_path):
    import subprocess

    from pypdf import PdfReader

    path = write_template(tmp_path / "t.xlsx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([_libreoffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    pages = [p.extract_text() for p in PdfReader(tmp_path / "t.pdf").pages]
    guide = [text for text in pages if "列名" in text or "填写要求" in text]
    assert guide and all("列名" in text and "填写要求" in text for text in guide)
    assert len(guide) <= 2  # eight sheets' columns: two A4 pages, the header on each
