"""Every PDF survives the longest value each field allows (issue 13, point 9): built
with every typed field at its limit, read back with pypdf, and nothing printed
outside the page."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdfium2
from pypdf import PdfReader

from desktop.domain.bulletin import Article, Section
from desktop.domain.text_limits import limit
from desktop.reports.bulletin_pdf import render_bulletin
from desktop.reports.quarterly_pdf import render_quarterly_report
from desktop.reports.subsidy_sheet_pdf import render_subsidy_sheet
from test_bulletin_pdf import seed_bulletin
from test_quarterly_pdf import make_report
from test_subsidy_sheet_pdf import line, sheet

COUNTY = "长" * limit("settings", "county_name")


def _full(kind: str, field: str, unit: str = "字") -> str:
    return (unit * limit(kind, field))[: limit(kind, field)]


def _off_page_chars(data: bytes) -> list[tuple[int, str]]:
    """(page, character) for every character drawn outside its page."""
    doc = pypdfium2.PdfDocument(data)
    out = []
    try:
        for number, page in enumerate(doc, start=1):
            width, height = page.get_size()
            text = page.get_textpage()
            for k in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(k)
                if right > left and (left < -0.5 or right > width + 0.5 or bottom < -0.5
                                     or top > height + 0.5):
                    out.append((number, text.get_text_range(k, 1)))
    finally:
        doc.close()
    return out


def test_bulletin_with_every_field_at_its_limit():
    article = Article(
        _full("article", "title"),
        ("x" * limit("article", "paragraph"),           # one unbreakable run over pages
         _full("article", "paragraph", "党建引领"),),
        _full("article", "source_unit"), (_full("article", "lead_phrase"),))
    sections = tuple(Section(_full("section", "title"), (article, article)) for _ in range(2))
    bulletin = replace(seed_bulletin(), masthead_title=_full("bulletin", "masthead_title"),
                       compiling_unit=_full("bulletin", "compiling_unit", "单位"),
                       report_to=_full("bulletin", "report_to"),
                       send_to=_full("bulletin", "send_to"),
                       issue_to=_full("bulletin", "issue_to"), sections=sections)
    buf = io.BytesIO()
    result = render_bulletin(bulletin, buf)
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert len(reader.pages) == result.page_count > 10
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "x" * 500 in text and "党建引领" * 100 in text
    assert _off_page_chars(buf.getvalue()) == []


def test_bulletin_long_compiling_unit_stays_clear_of_the_date():
    bulletin = replace(seed_bulletin(), compiling_unit=_full("bulletin", "compiling_unit"))
    buf = io.BytesIO()
    render_bulletin(bulletin, buf)
    doc = pypdfium2.PdfDocument(buf.getvalue())
    text = doc[0].get_textpage()
    chars = [(text.get_text_range(k, 1), text.get_charbox(k)) for k in range(text.count_chars())]
    doc.close()
    date_left = min(box[0] for ch, box in chars if ch == "年")
    unit_right = max(box[2] for ch, box in chars if ch == "字")
    assert unit_right < date_left


def test_quarterly_report_with_the_longest_names():
    towns = tuple(f"{k:02d}" + "镇" * (limit("area", "name") - 2) for k in range(24))
    report = replace(make_report(names=towns),
                     title=f"{COUNTY}两新组织党建工作季度统计报表（2026年第二季度）",
                     compiling_unit=f"中共{COUNTY}委组织部")
    buf = io.BytesIO()
    result = render_quarterly_report(report, buf)
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert len(reader.pages) == result.page_count
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert COUNTY[:20] in text and towns[-1][:20] in text
    assert _off_page_chars(buf.getvalue()) == []


def test_subsidy_sheet_with_the_longest_names_and_many_postings():
    orgs = "、".join(f"{k}" + "企" * (limit("organization", "name") - 1) for k in range(8))
    lines = [line(_full("officer", "name"), _full("area", "name"), 329032 + k, k + 1,
                  home_unit=_full("officer", "home_unit"), organizations=orgs,
                  bank_name=_full("officer", "bank_name"), note="备" * 100)
             for k in range(3)]
    buf = io.BytesIO()
    result = render_subsidy_sheet(buf, sheet(lines, county=COUNTY))
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert len(reader.pages) == result.page_count >= 3
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "合计（3人）" in text and "9,870.99" in text
    assert _off_page_chars(buf.getvalue()) == []
