"""The bulletin PDF, read back with pypdf: contents pages, line breaks, escaping, fonts."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from desktop.domain.bulletin import Article, Bulletin, BulletinSettings, Section, parse_bulletin_text
from desktop.paths import resource_path
from desktop.reports import fonts as fonts_mod
from desktop.reports.bulletin_pdf import count_pages, render_bulletin
from desktop.reports.cjk_text import NO_LINE_END, NO_LINE_START
from desktop.reports.fonts import FALLBACK_WARNING, cjk_fonts


def seed_bulletin() -> Bulletin:
    parsed = parse_bulletin_text(resource_path("bulletin/sample_bulletin.txt").read_text(encoding="utf-8"))
    return parsed.to_bulletin(BulletinSettings(), year=2022, number=20, issued_on=date(2022, 6, 9))


def many_articles(count: int) -> Bulletin:
    """A long issue whose contents run over page 1, articles of varied length."""
    pool = "".join(seed_bulletin().articles[1].paragraphs)
    articles = tuple(
        Article(f"第{k + 1}篇 经验交流", (pool[: 120 + 37 * (k % 11)], pool[50: 200 + 13 * k]),
                f"单位{k + 1}")
        for k in range(count))
    return replace(seed_bulletin(), sections=(Section("市内信息", articles[: count // 2]),
                                              Section("市外参考", articles[count // 2:])))


def render(bulletin: Bulletin, **kw) -> tuple[PdfReader, object, bytes]:
    buf = io.BytesIO()
    result = render_bulletin(bulletin, buf, **kw)
    data = buf.getvalue()
    return PdfReader(io.BytesIO(data)), result, data


def page_texts(reader: PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


def contents_numbers(texts: list[str]) -> list[int]:
    """Page numbers printed after the dot leaders, in contents order."""
    numbers: list[int] = []
    for text in texts:
        if "△" in text:
            break
        numbers += [int(n) for n in re.findall(r"\.{2,}\s*(\d+)", text)]
    return numbers


def start_page(texts: list[str], title: str) -> int:
    """1-based page where "△title" is printed (lines joined: titles wrap)."""
    needle = "△" + title[:10]
    for number, text in enumerate(texts, 1):
        if needle in text.replace("\n", ""):
            return number
    raise AssertionError(f"{title} not printed")


@pytest.fixture(scope="module")
def seed_pdf():
    reader, result, data = render(seed_bulletin())
    return page_texts(reader), result, data


def test_seed_page_one_has_masthead_number_unit_date(seed_pdf):
    texts, result, _ = seed_pdf
    first = texts[0]
    for expected in ("安庆组工信息", "第20期", "中共安庆市委组织部研究室", "2022年6月9日",
                     "★ 市内信息", "★ 市外参考", "领导批示："):
        assert expected in first
    assert result.page_count == len(texts) >= 5
    assert result.warnings == ()


def test_seed_contents_numbers_are_real_start_pages(seed_pdf):
    texts = seed_pdf[0]
    titles = [a.title for a in seed_bulletin().articles]
    assert contents_numbers(texts) == [start_page(texts, t) for t in titles]
    assert contents_numbers(texts)[0] == 2


def test_contents_over_several_pages_still_match():
    bulletin = many_articles(40)
    texts = page_texts(render(bulletin)[0])
    numbers = contents_numbers(texts)
    assert len(numbers) == 40
    assert numbers == [start_page(texts, a.title) for a in bulletin.articles]
    assert numbers == sorted(numbers) and numbers[-1] > 10


def _body_lines(texts: list[str]) -> list[str]:
    lines = []
    for text in texts[1:]:
        lines += [ln.strip() for ln in text.split("\n")
                  if ln.strip() and not re.fullmatch(r"— \d+ —", ln.strip())]
    return lines


@pytest.mark.parametrize("bulletin", [seed_bulletin(), many_articles(12)], ids=["seed", "many"])
def test_no_line_starts_or_ends_with_a_forbidden_mark(bulletin):
    lines = _body_lines(page_texts(render(bulletin)[0]))
    assert len(lines) > 100
    assert [ln for ln in lines if ln[0] in NO_LINE_START] == []
    assert [ln for ln in lines if ln[-1] in NO_LINE_END] == []


def test_body_text_is_complete_and_in_order(seed_pdf):
    joined = re.sub(r"— \d+ —", "", "".join(seed_pdf[0][1:])).replace("\n", "")
    for article in seed_bulletin().articles:
        for para in article.paragraphs:
            assert para.replace(" ", "") in joined.replace(" ", "")
    assert joined.index("（桐城市委组织部）") < joined.index("△潜山市")


def test_distribution_lines_on_the_last_page(seed_pdf):
    last = seed_pdf[0][-1]
    assert "报：省委组织部，本部领导。" in last
    assert last.index("报：") < last.index("送：") < last.index("发：")


def test_user_text_prints_as_typed():
    odd = Article("R&D<b>部门 & “引号”", ("a<b && c>d 的 <font> 标签。",), "某&单位")
    bulletin = replace(seed_bulletin(), sections=(Section("<栏目>", (odd,)),),
                       masthead_title="X&Y<组工信息>", report_to="A&B<C>")
    texts = [t.replace(" ", "") for t in page_texts(render(bulletin)[0])]
    assert "X&Y<组工信息>" in texts[0]
    assert "★<栏目>" in texts[0] and "R&D<b>部门&“引号”" in texts[0]
    body = "".join(texts[1:])
    assert "a<b&&c>d的<font>标签。（某&单位）" in body.replace("\n", "")
    assert "报：A&B<C>" in body


def test_leader_box_can_be_switched_off():
    texts = page_texts(render(replace(seed_bulletin(), leader_comment_box=False))[0])
    assert "领导批示" not in texts[0]


def test_count_pages_matches_render():
    bulletin = many_articles(6)
    assert count_pages(bulletin) == render(bulletin)[1].page_count


def test_empty_bulletin_renders_with_a_warning():
    reader, result, _ = render(replace(seed_bulletin(), sections=(Section("市内信息"),)))
    assert result.page_count >= 1 and "本期还没有文章" in result.warnings


# --- fonts ---------------------------------------------------------------------

def test_system_font_is_embedded(seed_pdf):
    fonts = cjk_fonts()
    if not fonts.embedded:
        pytest.skip("no embeddable CJK font on this machine (CI installs fonts-wqy-zenhei)")
    assert fonts.warning is None
    assert b"/FontFile2" in seed_pdf[2]


def test_forced_fallback_warns_and_embeds_nothing(monkeypatch):
    monkeypatch.setenv("LIANGXIN_FORCE_FALLBACK_FONT", "1")
    fonts = cjk_fonts()
    assert (fonts.body, fonts.embedded, fonts.warning) == ("STSong-Light", False, FALLBACK_WARNING)
    reader, result, data = render(seed_bulletin(), fonts=fonts)
    assert FALLBACK_WARNING in result.warnings
    assert b"/FontFile2" not in data
    assert contents_numbers(page_texts(reader)) == [2, 3, 4, 6]


def test_configured_font_file_is_used_for_body_and_title():
    path = fonts_mod._font_index().get("ukai.ttc")
    if path is None:
        pytest.skip("AR PL UKai not installed")
    fonts = cjk_fonts(str(path))
    assert fonts.body == fonts.title == fonts_mod.register_file(path)
    assert fonts.embedded and fonts.warning is None


def test_unusable_configured_font_falls_back_with_a_warning(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    fonts = cjk_fonts(str(bad))
    assert fonts.embedded and "无法使用" in fonts.warning
