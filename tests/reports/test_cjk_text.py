"""Chinese line breaking: 禁则 rules, ASCII words kept whole, page splits."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from desktop.reports.cjk_text import (
    NO_LINE_END,
    NO_LINE_START,
    CJKParagraph,
    break_lines,
    plain_style,
    tokenize,
)
from desktop.reports.fonts import cjk_fonts

SIZE = 15.79
WIDTH = 28 * SIZE  # 28 characters a line, as in GB/T 9704


@pytest.fixture(scope="module")
def font() -> str:
    return cjk_fonts().body


def lines_of(text: str, font: str, width: float = WIDTH, indent: float = 0.0) -> list[str]:
    tokens = tokenize([(text, False)], font, font, SIZE)
    return [line.text for line in break_lines(tokens, width, indent)]


def test_closing_mark_is_never_pushed_to_line_start(font):
    # 27 characters then "。”": greedy filling would start line 2 with ”.
    text = "一" * 27 + "。”" + "二" * 10
    lines = lines_of(text, font)
    assert all(line[0] not in NO_LINE_START for line in lines)
    assert "".join(lines) == text


def test_opening_mark_is_never_left_at_line_end(font):
    text = "一" * 27 + "《书名》" + "二" * 10
    lines = lines_of(text, font)
    assert all(line[-1] not in NO_LINE_END for line in lines)
    assert "".join(lines) == text


def test_numbers_and_words_stay_whole(font):
    text = "一" * 26 + "增长5.36%和COVID-19" + "二" * 5
    lines = lines_of(text, font)
    joined = "\n".join(lines)
    assert "5.36%" in joined and "COVID-19" in joined


def test_first_line_indent_reduces_first_line(font):
    text = "一" * 60
    lines = lines_of(text, font, indent=2 * SIZE)
    assert len(lines[0]) == 26 and len(lines[1]) == 28


def test_very_long_ascii_run_still_wraps(font):
    text = "x" * 400
    lines = lines_of(text, font)
    assert len(lines) > 1 and "".join(lines) == text


PUNCT = "，。、；：？！”’）》“‘（《…—"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二三四五六七八九十ab12 " + PUNCT, min_size=1, max_size=300))
def test_rules_hold_for_any_text(text):
    font = cjk_fonts().body
    lines = lines_of(text, font)
    for k, line in enumerate(lines):
        if k > 0 and len(lines[k - 1]) > 1:
            # A line may only break a rule when no legal break point existed.
            assert line[0] not in NO_LINE_START or set(lines[k - 1]) <= set(PUNCT + " ")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def _render(flowables) -> PdfReader:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(flowables)
    return PdfReader(io.BytesIO(buf.getvalue()))


def test_paragraph_splits_across_pages_without_losing_text(font):
    style = plain_style(font, SIZE, 29)
    text = "".join(f"第{i}句话说的是党建工作，内容完整。" for i in range(200))
    reader = _render([CJKParagraph(text, style)])
    assert len(reader.pages) > 1
    extracted = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert extracted.replace(" ", "") == text


def test_user_text_is_printed_as_typed(font):
    style = plain_style(font, SIZE, 29)
    text = "R&D部门 a<b 与 <font> 标签"
    reader = _render([CJKParagraph(text, style)])
    assert text.replace(" ", "") in reader.pages[0].extract_text().replace(" ", "")


def test_bold_runs_use_the_bold_font(font):
    bold = cjk_fonts().heading
    para = CJKParagraph([("加粗。", True), ("正文", False)], plain_style(font, SIZE, 29),
                        bold_font=bold)
    para.wrap(WIDTH, 100)
    faces = [t.font for t in para.lines(WIDTH)[0].tokens]
    assert faces[:3] == [bold] * 3 and faces[3:] == [font] * 2
