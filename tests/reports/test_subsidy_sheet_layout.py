"""The subsidy and bonus sheet PDFs as printed (issue 14, points 4 and 5): where the
last page breaks, how headers wrap (the quarterly report's too), whether long
numbers fit their cells, and that the layout work stays in proportion to the
lines. Read back with pypdfium2's character boxes."""

from __future__ import annotations

import io
from dataclasses import replace
from itertools import accumulate

import pypdfium2
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import tables

from desktop.domain.text_limits import limit
from desktop.reports import subsidy_sheet_pdf
from desktop.reports.cjk_text import header_lines
from desktop.reports.fonts import cjk_fonts
from desktop.reports.quarterly_pdf import render_quarterly_report
from desktop.reports.subsidy_sheet_pdf import (
    CELL_SIZE, FRAME_W, MARGIN_X, PDF_WIDTHS, render_subsidy_sheet,
)
from test_quarterly_pdf import make_report
from test_subsidy_sheet_pdf import line, sheet

LOCKED = dict(status="locked", locked_at="2026-07-02 09:30", audit_hash="c3" * 32)


def _render(s, fonts=None) -> bytes:
    buf = io.BytesIO()
    render_subsidy_sheet(buf, s, fonts=fonts)
    return buf.getvalue()


def _columns() -> list[tuple[float, float]]:
    """Each column's (left, right) edge on the page, in points (the table starts
    inside the frame's default 6 pt padding)."""
    unit = FRAME_W / sum(PDF_WIDTHS)
    edges = [MARGIN_X + 6 + x * unit for x in accumulate(PDF_WIDTHS, initial=0)]
    return list(zip(edges, edges[1:]))


def _chars(data: bytes, page_no: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(character, box) for every visible character of a page, in content order."""
    doc = pypdfium2.PdfDocument(data)
    try:
        text = doc[page_no].get_textpage()
        out = []
        for k in range(text.count_chars()):
            ch = text.get_text_range(k, 1)
            box = text.get_charbox(k, loose=True)  # the font's box: one bottom per line
            if ch.strip() and box[2] > box[0]:
                out.append((ch, box))
        return out
    finally:
        doc.close()


def _find(chars, needle: str, after: str = "") -> list[tuple[str, tuple]]:
    """The characters of the first occurrence of `needle` (after `after`)."""
    text = "".join(ch for ch, _ in chars)
    start = text.index(needle, text.index(after) + len(after) if after else 0)
    return chars[start:start + len(needle)]


def _lines(found) -> list[str]:
    """The characters grouped by baseline, top line first."""
    rows: dict[int, str] = {}
    for ch, (_left, bottom, _right, _top) in found:
        rows[round(bottom)] = rows.get(round(bottom), "") + ch
    return [rows[y] for y in sorted(rows, reverse=True)]


# --- §4: the audit code never ends up alone --------------------------------------

def _long_lines(count: int):
    orgs = "、".join(f"{k}" + "企" * (limit("organization", "name") - 1) for k in range(3))
    return [line("字" * limit("officer", "name"), "唐湾街道", 320000 + k, k + 1,
                 home_unit="字" * limit("officer", "home_unit"), organizations=orgs,
                 bank_name="字" * limit("officer", "bank_name"), note="备" * 40)
            for k in range(count)]


@pytest.mark.parametrize("lines", [_long_lines(4)] + [
    [line(f"联络员{i}", ("城关镇", "经开区")[i % 2], 200000 + i, i + 1) for i in range(n)]
    for n in range(14, 30)], ids=["longest-4"] + [f"short-{n}" for n in range(14, 30)])
def test_the_last_page_holds_table_rows_with_the_signatures_and_audit_code(lines):
    s = sheet(lines, kind="bonus", period_label="2026年度", **LOCKED)
    last = "".join(PdfReader(io.BytesIO(_render(s))).pages[-1].extract_text().split())
    assert "审计校验码" in last and "制表人" in last
    assert f"合计（{len(lines)}人）" in last, "the signatures and the audit code went on alone"


# --- §4: headers break between words ------------------------------------------------

@pytest.mark.parametrize("kind", ["stipend", "bonus"])
def test_no_header_line_holds_one_character_alone_or_a_dangling_bracket(kind):
    s = sheet([line("张三", "城关镇", 100000, 1, grade_label="优秀")], kind=kind)
    chars = _chars(_render(s))
    for (left, right), header in zip(_columns(), s.headers()):
        found = _find(chars, header, after="单位：元")
        lines = _lines(found)
        assert "".join(lines) == header
        if len(header) > 1:
            assert all(len(text) > 1 for text in lines), (header, lines)
        assert not any(text.endswith("（") or text.startswith("）") for text in lines), lines
        assert all(left <= box[0] and box[2] <= right for _, box in found), header


def test_quarterly_report_headers_leave_no_character_alone():
    report = make_report()
    buf = io.BytesIO()
    render_quarterly_report(report, buf)
    chars = _chars(buf.getvalue())
    headers = [h for h in report.tables[0].header if len(h) > 1]
    assert "从业人员" in headers
    after = "".join(report.tables[0].title.split())  # the caption: the table follows it
    for header in headers:
        lines = _lines(_find(chars, header, after=after))
        assert all(len(text) > 1 for text in lines), (header, lines)


def test_header_lines_balance_instead_of_orphaning():
    font = cjk_fonts().heading
    three = stringWidth("从业人", font, 8) + 0.5
    assert header_lines("从业人员", font, 8, three) == ["从业", "人员"]
    assert header_lines("工作覆盖率", font, 8, stringWidth("工作覆盖", font, 8) + 0.5) == [
        "工作覆", "盖率"]
    assert header_lines("党员数", font, 8, three) == ["党员数"]
    assert header_lines("序号", font, 8, 10) == ["序", "号"]  # no balance possible: as broken


# --- §4: ID and bank numbers fit their cells on one line ------------------------------

def _wide_digit_fonts():
    """The installed CJK fonts with their widest digits as the body font, so an
    18-character ID does not fit its column at the cell size."""
    fonts = cjk_fonts()
    body = max({fonts.body, fonts.heading, fonts.title, fonts.kai},
               key=lambda f: stringWidth("0123456789", f, CELL_SIZE))
    return replace(fonts, body=body)


def test_id_and_bank_numbers_stay_on_one_line_inside_their_columns():
    fonts = _wide_digit_fonts()
    id_number, account = "34088119850615123X", "621700000000000012345"  # 18 and 21 characters
    columns = _columns()
    room = columns[2][1] - columns[2][0] - 4
    if stringWidth(id_number, fonts.body, CELL_SIZE) <= room:
        pytest.skip("no installed font whose digits are too wide for the ID column")
    s = sheet([line("张三", "城关镇", 100000, 1, id_number=id_number, bank_account=account)])
    chars = _chars(_render(s, fonts))
    for column, number in ((2, id_number), (10, account)):
        left, right = columns[column]
        found = _find(chars, number)
        assert _lines(found) == [number]
        assert all(left <= box[0] and box[2] <= right for _, box in found), number


# --- §5: layout work in proportion to the lines ------------------------------------

def test_no_table_is_laid_out_whole_and_plain_cells_are_no_paragraphs(monkeypatch):
    """ReportLab lays a table out in time growing with the square of its rows; no
    table of more than a page's or a measuring chunk's rows may be wrapped. And a
    cell the body font prints is a plain string, not a Paragraph to parse."""
    sizes: list[int] = []
    wrap = tables.Table.wrap

    def counting_wrap(self, *args):
        sizes.append(len(self._cellvalues))
        return wrap(self, *args)

    paragraphs: list[str] = []
    real = subsidy_sheet_pdf.Paragraph

    class CountingParagraph(real):
        def __init__(self, text, *args, **kwargs):
            paragraphs.append(text)
            super().__init__(text, *args, **kwargs)

    monkeypatch.setattr(tables.Table, "wrap", counting_wrap)
    monkeypatch.setattr(subsidy_sheet_pdf, "Paragraph", CountingParagraph)
    towns = ("城关镇", "经开区", "孔城镇")
    lines = [line(f"联络员{i}", towns[i % 3], 200000 + i, i + 1) for i in range(400)]
    render_subsidy_sheet(io.BytesIO(), sheet(lines))
    assert max(sizes) <= 100, "a table of all the rows was laid out"
    # The title, the status line, the signatures, the audit line, 3 subtotals, the total.
    assert len(paragraphs) <= 20, len(paragraphs)
