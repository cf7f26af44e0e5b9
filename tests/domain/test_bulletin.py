"""Bulletin numbering and the plain-text import of an issue."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.bulletin import (
    FALLBACK_SECTION,
    BulletinSettings,
    article_runs,
    check_number,
    check_status,
    new_bulletin,
    next_number,
    parse_bulletin_text,
)
from desktop.errors import UserError
from desktop.paths import resource_path


@pytest.fixture(scope="module")
def seed():
    return parse_bulletin_text(resource_path("bulletin/sample_bulletin.txt").read_text(encoding="utf-8"))


# --- numbering ---------------------------------------------------------------

def test_next_number_is_one_past_the_highest():
    assert next_number([]) == 1
    assert next_number([1, 2, 3]) == 4
    assert next_number([20, 3, 7]) == 21  # gaps are not refilled


def test_check_number_refuses_duplicates_and_non_positive():
    assert check_number(5, [1, 2, 3]) is None
    assert "已有第 2 期" in check_number(2, [1, 2, 3], year=2022)
    assert "2022 年" in check_number(2, [2], year=2022)
    assert check_number(0, []) is not None
    assert check_number(-3, []) is not None
    assert check_number(True, []) is not None


def test_status_values():
    assert check_status("draft") is None and check_status("issued") is None
    assert check_status("published") is not None


def test_new_bulletin_takes_settings_and_default_sections():
    settings = BulletinSettings("XX组工信息", "中共XX县委组织部研究室", "报单位", "送单位", "发单位")
    b = new_bulletin(settings, year=2024, number=3, issued_on=date(2024, 5, 1))
    assert [s.title for s in b.sections] == ["市内信息", "市外参考"]
    assert (b.masthead_title, b.report_to, b.status, b.leader_comment_box) == \
        ("XX组工信息", "报单位", "draft", True)


# --- text import of the seed document ----------------------------------------

def test_seed_header(seed):
    assert seed.masthead_title == "安庆组工信息"
    assert seed.number == 20
    assert seed.compiling_unit == "中共安庆市委组织部研究室"
    assert seed.issued_on == date(2022, 6, 9)


def test_seed_sections_and_articles(seed):
    assert [s.title for s in seed.sections] == ["市内信息", "市外参考"]
    local, external = seed.sections
    assert [(a.title, a.source_unit) for a in local.articles] == [
        ("桐城市以“新”为媒 扎实推进新业态新就业群体党建工作", "桐城市委组织部"),
        ("潜山市“点线面”齐发力 织牢非公党建“服务网”", "潜山市委组织部"),
        ("经开区打造非公党建红色矩阵 赋能经济高质量发展", "经开区党群部"),
    ]
    assert [(a.title, a.source_unit) for a in external.articles] == [
        ("无锡市：党建为新 360 行注入新动能", ""),
    ]


def test_seed_contents_block_is_not_taken_as_articles(seed):
    texts = [p for s in seed.sections for a in s.articles for p in a.paragraphs]
    assert not any(".....2" in p or "领导批示" in p for p in texts)


def test_seed_broken_lines_are_rejoined_and_paragraphs_kept(seed):
    first = seed.sections[0].articles[0]
    assert first.paragraphs[0].startswith("桐城市始终坚持")
    assert [p[:6] for p in first.paragraphs[1:]] == ["体系贴“新”", "服务暖“新”", "共治用“新”"]
    assert "纳入兼职“网格员”队伍" in first.paragraphs[3]
    assert first.paragraphs[3].endswith("推动城市基层治理“无死角”。")
    second = seed.sections[0].articles[1]
    assert "跟踪问效、反馈评价" in second.paragraphs[0]


def test_seed_bold_lead_phrases(seed):
    second = seed.sections[0].articles[1]
    assert second.lead_phrases == ("厘清整改“连接线”。", "拓宽党群“覆盖面”")
    assert "**" not in "".join(second.paragraphs)
    runs = article_runs(second.paragraphs[0], second.lead_phrases)
    assert ("厘清整改“连接线”。", True) in runs
    assert "".join(t for t, _ in runs) == second.paragraphs[0]


def test_seed_distribution_lines(seed):
    assert seed.report_to == "省委组织部，本部领导。"
    assert seed.send_to == "各县（市、区）委书记、组织部长，市委各部委负责同志。"
    assert seed.issue_to == "电子版发县（市、区）委组织部、安庆先锋网。"


def test_seed_to_bulletin_fills_from_text_first(seed):
    b = seed.to_bulletin(BulletinSettings(masthead_title="别的"), year=2022, number=20,
                         issued_on=date(2022, 6, 9))
    assert b.masthead_title == "安庆组工信息" and len(b.articles) == 4


# --- text import: other shapes -----------------------------------------------

def test_plain_text_without_header_or_sections():
    parsed = parse_bulletin_text("△标题一。正文一。\n\n△标题二。正文\n二继续。（某单位）\n")
    (section,) = parsed.sections
    assert section.title == FALLBACK_SECTION
    a, b = section.articles
    assert (a.title, a.paragraphs) == ("标题一", ("正文一。",))
    assert (b.title, b.paragraphs, b.source_unit) == ("标题二", ("正文二继续。",), "某单位")
    assert parsed.number is None and parsed.issued_on is None


def test_star_lines_start_sections_in_the_body():
    text = "★ 工作动态\n△甲。甲文。\n★ 经验交流\n△乙。乙文。\n报：上级。\n"
    parsed = parse_bulletin_text(text)
    assert [(s.title, [a.title for a in s.articles]) for s in parsed.sections] == [
        ("工作动态", ["甲"]), ("经验交流", ["乙"])]
    assert parsed.report_to == "上级。"


def test_parenthesis_inside_text_is_not_a_source():
    parsed = parse_bulletin_text("△题。党建工作看指导员（站）\n")
    assert parsed.sections[0].articles[0].source_unit == ""


def test_text_without_markers_is_refused():
    with pytest.raises(UserError, match="★"):
        parse_bulletin_text("只是一段普通文字。\n没有栏目。")
