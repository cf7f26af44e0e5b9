"""Characters the CJK fonts lack (issue 13, point 8): printed in an installed font
that has them, else shown as □ and named, with where they are, in the warnings."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.domain.bulletin import Article, Section
from desktop.reports import cmap, glyphs
from desktop.reports.bulletin_pdf import render_bulletin
from desktop.reports.fonts import cjk_fonts, font_dirs
from desktop.reports.quarterly_pdf import render_quarterly_report
from desktop.reports.subsidy_sheet_pdf import render_subsidy_sheet
from test_bulletin_pdf import seed_bulletin
from test_quarterly_pdf import make_report
from test_subsidy_sheet_pdf import LINES, line, sheet

EXT_B, EXT_B2 = "\U00020000", "\U0002A6A5"   # 𠀀 𪚥: in no font installed here
EMOJI = "\U0001F600"                          # 😀: DejaVu Sans has it


def _nobody_has(ch: str) -> None:
    if glyphs.printable(ch):
        pytest.skip(f"an installed font has U+{ord(ch):04X}")


def _bulletin_with(title: str, section: str = "市内信息"):
    base = seed_bulletin()
    article = Article(title, ("正文第一段。",), "示范单位")
    return replace(base, sections=(Section(section, (article,)),) + base.sections[1:])


def _render_bulletin(bulletin):
    buf = io.BytesIO()
    result = render_bulletin(bulletin, buf)
    return result, PdfReader(io.BytesIO(buf.getvalue()))


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_bulletin_names_the_article_and_the_characters_no_font_has():
    _nobody_has(EXT_B)
    result, _ = _render_bulletin(_bulletin_with(f"{EXT_B}村党建{EXT_B2}工作"))
    article = [w for w in result.warnings if "第1篇文章" in w]
    assert len(article) == 1
    assert f"《{EXT_B}村党建{EXT_B2}工作》" in article[0]
    assert "U+20000" in article[0] and "U+2A6A5" in article[0] and "□" in article[0]


def test_a_character_no_font_has_shows_as_a_box_in_the_heading_font_too():
    _nobody_has(EXT_B)
    _, reader = _render_bulletin(_bulletin_with("标题", section=f"栏目{EXT_B}"))
    body_page = reader.pages[1].extract_text()
    # The section heading is set in 黑体, whose missing-glyph shape is blank.
    assert "栏目□" in body_page.replace(" ", "")


def test_a_character_another_installed_font_has_is_printed_in_it():
    fallback = glyphs.font_for(EMOJI, cjk_fonts().body)
    if fallback is None or fallback == cjk_fonts().body:
        pytest.skip("no installed fallback font for the emoji")
    result, reader = _render_bulletin(_bulletin_with(f"党建{EMOJI}工作", section=f"栏目{EMOJI}"))
    assert not [w for w in result.warnings if "U+1F600" in w]
    stem = Path(fallback.removeprefix("LX-")).stem
    assert any(stem.replace(" ", "") in name for name in _font_names(reader)), fallback


def test_invisible_marks_no_font_has_are_dropped_not_boxed():
    mark = "\U000E0101"  # an ideographic variation selector
    if glyphs.printable(mark):
        pytest.skip("an installed font has the variation selector")
    text = f"党建{mark}工作"
    assert "".join(t for t, _ in glyphs.runs(text, cjk_fonts().body)) == "党建工作"
    assert glyphs.missing_chars(text) == []


def test_quarterly_report_names_the_township():
    _nobody_has(EXT_B2)
    report = make_report(names=("城关镇", f"{EXT_B2}山乡", "经开区", "空白乡"))
    result = render_quarterly_report(report, io.BytesIO())
    assert any(f"乡镇（街道、园区）“{EXT_B2}山乡”" in w and "U+2A6A5" in w
               for w in result.warnings), result.warnings


def test_subsidy_sheet_names_the_row_and_the_field():
    _nobody_has(EXT_B)
    lines = [line(f"张{EXT_B}", "城关镇", 329032, 1, bank_name=f"农商银行{EXT_B2}支行"),
             *LINES[1:]]
    result = render_subsidy_sheet(io.BytesIO(), sheet(lines))
    assert any(w.startswith(f"第1行（张{EXT_B}）姓名") for w in result.warnings), result.warnings
    assert any(w.startswith(f"第1行（张{EXT_B}）开户银行") and "U+2A6A5" in w
               for w in result.warnings)


def test_many_places_are_summed_up_after_ten():
    _nobody_has(EXT_B)
    warnings = glyphs.warnings_for([(f"第{k}行", EXT_B) for k in range(1, 14)])
    assert len(warnings) == 11 and warnings[-1] == "另有 3 处文字含有字体中没有的字符"


def test_cmap_reader_agrees_with_reportlab():
    from reportlab.pdfbase.ttfonts import TTFont
    files = [p for d in font_dirs() for p in d.rglob("*.tt[fc]")][:6]
    if not files:
        pytest.skip("no TrueType fonts installed")
    for k, path in enumerate(files):
        try:
            face = TTFont(f"cmap-test-{k}", str(path)).face
        except Exception:  # noqa: BLE001 - CFF or unreadable: our reader says empty
            assert not cmap.coverage(path)
            continue
        covered = cmap.coverage(path)
        # ReportLab also lists codes it maps to glyph 0 (.notdef, e.g. OpenSymbol's
        # '$'), and adds NBSP as the space glyph when a font lacks it: neither is in
        # the font's own map (fontTools agrees with our reader there).
        real = [code for code, glyph in face.charToGlyph.items() if glyph and code != 0xA0]
        sample = real[:: max(1, len(real) // 500)]
        assert all(code in covered for code in sample), path
        assert EXT_B2 not in covered or ord(EXT_B2) in face.charToGlyph
