"""The quarterly report PDF, read back: rows in order, totals, dashes, fonts, greyscale."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2
import pytest
from pypdf import PdfReader

from desktop.domain import coverage as cov
from desktop.domain.coverage import CoverageStats, PaymentSums, PeopleCounts, StatsRow
from desktop.reports.fonts import FALLBACK_WARNING, cjk_fonts
from desktop.reports.quarterly_pdf import printable, render_quarterly_report
from desktop.services.stats import form_counts, report_tables

NAMES = ("城关镇", "R&D<园区>", "经开区", "空白乡")


def _row(name, n, party, mass, new=0):
    return StatsRow(name, organizations=n, with_party_org=party, with_mass_org=mass,
                    with_mass_org_among_without=min(mass, n - party),
                    work_covered_among_without=min(mass, n - party), party_members=2 * n,
                    employees=10 * n, new_party_orgs_in_quarter=new, standalone=party - new,
                    regional=new, new_regional=new)


def _stats(rows, as_of=date(2026, 6, 30)):
    total = cov.totals(rows)
    return CoverageStats(as_of=as_of, quarter_label="2026-Q2", townships=tuple(rows), total=total,
                         industries=(total.renamed("制造业"),), new_business_form=(),
                         new_business_form_total=StatsRow("合计"),
                         kinds={"enterprise": total.renamed("enterprise")},
                         people=PeopleCounts(5, 4, 12, 3, 3), payments=PaymentSums(329032, 1))


SIZES = ((20, 5, 15, 2), (30, 12, 20, 0), (439, 144, 361, 3), (0, 0, 0, 0))


def make_report(names=NAMES, sizes=SIZES) -> cov.QuarterlyReport:
    rows = [_row(name, *sizes[k % 4]) for k, name in enumerate(names)]
    current = _stats(rows)
    previous = _stats([_row(name, 20, 4, 10) for name in names], date(2026, 3, 31))
    return cov.QuarterlyReport(
        title="示范县两新组织党建工作季度统计报表（2026年第二季度）",
        compiling_unit="中共示范县委组织部", compiled_on=date(2026, 7, 5), as_of=date(2026, 6, 30),
        summary=cov.summary_text("全县", current, previous),
        tables=report_tables(current, previous),
        coverage_bars=cov.coverage_bars(current.townships),
        average=cov.coverage_bars([current.total])[0], forms=form_counts(current.total))


def render(report, **kw):
    buf = io.BytesIO()
    result = render_quarterly_report(report, buf, **kw)
    return result, buf.getvalue()


@pytest.fixture(scope="module")
def rendered():
    result, data = render(make_report())
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return result, data, reader, text


def _tokens(text):
    return text.split()


def _find_row(tokens, row):
    """Index where the cells of `row` appear consecutively in the extracted text."""
    cells = [str(c) for c in row]
    for k in range(len(tokens) - len(cells) + 1):
        if tokens[k:k + len(cells)] == cells:
            return k
    raise AssertionError(f"row not found in order: {cells}")


def test_table1_rows_in_order_with_total(rendered):
    _, _, _, text = rendered
    tokens = _tokens(text)
    positions = [_find_row(tokens, row) for row in (
        ("城关镇", 20, 5, "25.0%", 15, 15, "100.0%", "100.0%", 40, 200, 2),
        ("R&D<园区>", 30, 12, "40.0%", 18, 18, "100.0%", "100.0%", 60, 300, 0),
        ("经开区", 439, 144, "32.8%", 295, 295, "100.0%", "100.0%", 878, 4390, 3),
        ("空白乡", 0, 0, "—", 0, 0, "—", "—", 0, 0, 0),
        ("合计", 489, 161, "32.9%", 328, 328, "100.0%", "100.0%", 978, 4890, 5))]
    assert positions == sorted(positions)


def test_change_table_shows_signed_changes(rendered):
    tokens = _tokens(rendered[3])
    minus = printable(cov.MINUS, cjk_fonts().body)
    _find_row(tokens, ("经开区", 439, "+419", 144, "+140", "32.8%", "20.0%", "+12.8", "100.0%",
                       "+37.5"))
    _find_row(tokens, ("空白乡", 0, f"{minus}20", 0, f"{minus}4", "—", "20.0%", "—", "—", "—"))


def test_title_block_summary_charts_and_page_numbers(rendered):
    result, _, reader, text = rendered
    assert "示范县两新组织党建工作季度统计报表（2026年第二季度）" in text
    assert "编制单位：中共示范县委组织部" in text and "编制日期：2026年7月5日" in text
    assert "目前，全县489家非公企业中，成立党组织161家" in text.replace("\n", "")
    assert "图1" in text and "全县平均 32.9%" in text
    assert "图2" in text and "单独组建 156个（96.9%）" in text and "区域联建 5个（3.1%）" in text
    pages = len(reader.pages)
    assert result.page_count == pages
    for n in range(1, pages + 1):
        assert f"第 {n} 页  共 {pages} 页" in reader.pages[n - 1].extract_text()
    assert "表6" in text and "3,290.32" in text


def test_user_text_is_escaped_not_markup(rendered):
    assert "R&D<园区>" in rendered[3]
    assert "R&D;" not in rendered[3]


def test_cjk_fonts_are_embedded(rendered):
    result, _, reader, _ = rendered
    assert result.warnings == ()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font


def test_pages_print_in_greys_only(rendered):
    """Charts and tables carry no colour, so a greyscale printer loses nothing."""
    pdf = pypdfium2.PdfDocument(rendered[1])
    for index in range(len(pdf)):
        image = pdf[index].render(scale=0.6).to_pil().convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20)
        assert all(max(rgb) - min(rgb) <= 8 for _, rgb in colours)
    pdf.close()


def test_fifty_townships_fit_the_chart_on_one_page():
    names = tuple(f"第{k}镇" for k in range(50))
    result, data = render(make_report(names))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert text.index("第0镇") < text.index("第49镇") < text.index("图1")
    assert result.page_count >= 3


def test_no_party_orgs_prints_a_note_instead_of_an_empty_pie():
    report = make_report(("空白乡",), sizes=((0, 0, 0, 0),))
    _, data = render(report)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "统计时点尚无已建党组织" in text
    assert "全县平均" not in text   # no organizations: no average line


def test_forced_fallback_font_warns(monkeypatch):
    monkeypatch.setenv("LIANGXIN_FORCE_FALLBACK_FONT", "1")
    result, _ = render(make_report(), fonts=cjk_fonts())
    assert result.warnings == (FALLBACK_WARNING,)
