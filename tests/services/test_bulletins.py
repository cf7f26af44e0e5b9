"""Bulletin services: settings, numbering, drafts, issuing (frozen), rendering, text import."""

from __future__ import annotations

import dataclasses
import io
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from desktop.domain.bulletin import Article, BulletinSettings, Section
from desktop.errors import UserError
from desktop.paths import resource_path
from desktop.services import bulletins
from desktop.services.workspace import set_setting


def with_article(b, title="测试文章", body=("第一段。", "第二段。"), unit="城关镇"):
    first = b.sections[0]
    article = Article(title, tuple(body), unit)
    return dataclasses.replace(
        b, sections=(Section(first.title, first.articles + (article,)),) + b.sections[1:])


def saved_draft(db, year=2026, **kw):
    b = with_article(bulletins.new_bulletin(db, year=year), **kw)
    return bulletins.save_bulletin(db, b)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- settings -------------------------------------------------------------------

def test_settings_default_from_the_county_then_saved_values(db):
    set_setting(db, "county_name", "示范县")
    assert bulletins.bulletin_settings(db).masthead_title == "示范县组工信息"
    assert bulletins.bulletin_settings(db).compiling_unit == "中共示范县委组织部研究室"
    wanted = BulletinSettings("某县组工信息", "中共某县委组织部研究室", "市委组织部。", "县委领导。",
                              "各乡镇党委。")
    bulletins.save_bulletin_settings(db, wanted)
    assert bulletins.bulletin_settings(db) == wanted


def test_settings_refuse_an_empty_masthead(db):
    with pytest.raises(UserError, match="刊头"):
        bulletins.save_bulletin_settings(db, BulletinSettings(masthead_title="  "))


def test_new_bulletin_uses_the_settings_lines(db):
    bulletins.save_bulletin_settings(db, BulletinSettings("甲组工信息", "甲研究室", "报甲", "送乙", "发丙"))
    b = bulletins.new_bulletin(db, year=2026)
    assert (b.masthead_title, b.compiling_unit, b.report_to, b.send_to, b.issue_to) == \
        ("甲组工信息", "甲研究室", "报甲", "送乙", "发丙")
    assert [s.title for s in b.sections] == ["市内信息", "市外参考"] and b.id is None


# --- numbering and drafts ----------------------------------------------------------

def test_numbers_are_proposed_per_year(db):
    assert bulletins.new_bulletin(db, year=2026).number == 1
    saved_draft(db, 2026)
    saved_draft(db, 2026)
    assert bulletins.new_bulletin(db, year=2026).number == 3
    assert bulletins.new_bulletin(db, year=2025).number == 1
    assert bulletins.new_bulletin(db, issued_on=date(2025, 3, 1)).year == 2025


def test_duplicate_number_in_a_year_is_refused(db):
    saved_draft(db, 2026)
    dup = with_article(dataclasses.replace(bulletins.new_bulletin(db, year=2026), number=1))
    with pytest.raises(UserError, match="本年度已有第 1 期"):
        bulletins.save_bulletin(db, dup)
    other_year = with_article(dataclasses.replace(bulletins.new_bulletin(db, year=2025), number=1))
    assert bulletins.save_bulletin(db, other_year)


def test_a_deleted_draft_frees_its_number(db):
    bid = saved_draft(db, 2026)
    bulletins.delete_bulletin(db, bid)
    assert bulletins.new_bulletin(db, year=2026).number == 1
    assert bulletins.list_bulletins(db) == []


def test_save_update_and_read_back_everything(db):
    bid = saved_draft(db, 2026, title="标题<&>", body=("R&D部门 a<b。",), unit="经开区")
    b = bulletins.get_bulletin(db, bid)
    changed = dataclasses.replace(b, number=7, leader_comment_box=False, issued_on=date(2026, 5, 4))
    bulletins.save_bulletin(db, changed)
    again = bulletins.get_bulletin(db, bid)
    assert again == dataclasses.replace(changed, status="draft")
    assert again.articles[0] == Article("标题<&>", ("R&D部门 a<b。",), "经开区")
    row = bulletins.list_bulletins(db)[0]
    assert (row.year, row.number, row.title, row.status) == (2026, 7, "标题<&>", "draft")


def test_save_trims_and_refuses_untitled_articles(db):
    b = with_article(bulletins.new_bulletin(db, year=2026), title="  题目 ", body=("", " 段落。 "))
    got = bulletins.get_bulletin(db, bulletins.save_bulletin(db, b))
    assert got.articles[0].title == "题目" and got.articles[0].paragraphs == ("段落。",)
    with pytest.raises(UserError, match="缺少标题"):
        bulletins.save_bulletin(db, with_article(bulletins.new_bulletin(db, year=2026), title=" "))


def test_date_must_fall_in_the_year(db):
    b = dataclasses.replace(with_article(bulletins.new_bulletin(db, year=2026)),
                            issued_on=date(2025, 12, 31))
    with pytest.raises(UserError, match="2026 年内"):
        bulletins.save_bulletin(db, b)


# --- issuing ------------------------------------------------------------------------

def test_issue_keeps_the_pdf_and_render_writes_it_byte_for_byte(db, tmp_path):
    bid = saved_draft(db, 2026, title="示范文章")
    result = bulletins.issue_bulletin(db, bid)
    assert result.page_count >= 2
    assert bulletins.get_bulletin(db, bid).status == "issued"
    out = tmp_path / "out.pdf"
    bulletins.render_bulletin_pdf(db, bid, out)
    kept = bulletins.bulletin_pdf(db, bid)
    assert out.read_bytes() == kept
    assert "示范文章" in pdf_text(kept)


def test_an_issued_bulletin_cannot_change_through_the_service(db):
    bid = saved_draft(db, 2026)
    bulletins.issue_bulletin(db, bid)
    b = bulletins.get_bulletin(db, bid)
    with pytest.raises(UserError, match="该期已印发，不能修改"):
        bulletins.save_bulletin(db, dataclasses.replace(b, number=9))
    with pytest.raises(UserError, match="该期已印发，不能删除"):
        bulletins.delete_bulletin(db, bid)
    with pytest.raises(UserError, match="已印发"):
        bulletins.issue_bulletin(db, bid)
    assert bulletins.get_bulletin(db, bid) == b


@pytest.mark.parametrize("statement", [
    "update bulletin set number = 99 where id = ?",
    "update bulletin set content_json = '{}' where id = ?",
    "update bulletin set status = 'draft', pdf = null where id = ?",
    "update bulletin set deleted_at = '2026-01-01' where id = ?",
    "delete from bulletin where id = ?",
])
def test_an_issued_bulletin_cannot_change_through_sql(db, statement):
    bid = saved_draft(db, 2026)
    bulletins.issue_bulletin(db, bid)
    before = bulletins.bulletin_pdf(db, bid)
    with pytest.raises(sqlite3.IntegrityError, match="该期已印发"):
        db.execute(statement, (bid,))
    assert bulletins.get_bulletin(db, bid).status == "issued"
    assert bulletins.bulletin_pdf(db, bid) == before


def test_an_empty_issue_cannot_be_issued(db):
    bid = bulletins.save_bulletin(db, bulletins.new_bulletin(db, year=2026))
    with pytest.raises(UserError, match="还没有文章"):
        bulletins.issue_bulletin(db, bid)


def test_a_draft_renders_fresh_and_the_page_counter_agrees(db, tmp_path):
    bid = saved_draft(db, 2026)
    out = tmp_path / "draft.pdf"
    result = bulletins.render_bulletin_pdf(db, bid, out)
    assert len(PdfReader(out).pages) == result.page_count
    assert bulletins.page_counter(db)(bulletins.get_bulletin(db, bid)) == result.page_count


def test_render_to_an_unwritable_place_is_a_user_error(db, tmp_path):
    bid = saved_draft(db, 2026)
    with pytest.raises(UserError, match="文件夹不存在"):
        bulletins.render_bulletin_pdf(db, bid, tmp_path / "missing" / "x.pdf")
    with pytest.raises(UserError, match=r"应以 \.pdf 结尾"):
        bulletins.render_bulletin_pdf(db, bid, tmp_path / "x.docx")


# --- text import ----------------------------------------------------------------------

def test_sample_bulletin_imports_with_its_number_and_date(db):
    bid = bulletins.add_sample_bulletin(db)
    b = bulletins.get_bulletin(db, bid)
    assert (b.year, b.number, b.issued_on) == (2022, 20, date(2022, 6, 9))
    assert b.masthead_title == "安庆组工信息" and b.status == "draft"
    assert [s.title for s in b.sections] == ["市内信息", "市外参考"]
    assert len(b.articles) == 4


def test_import_takes_the_next_number_when_the_printed_one_is_taken(db):
    bulletins.add_sample_bulletin(db)
    again = bulletins.get_bulletin(db, bulletins.add_sample_bulletin(db))
    assert (again.year, again.number) == (2022, 21)


def test_import_fills_missing_header_from_settings(db):
    bulletins.save_bulletin_settings(db, BulletinSettings("某县组工信息", "某研究室", "报某", "", ""))
    bid = bulletins.import_bulletin_text(db, "★ 县内动态\n△某镇开展培训。内容一段。（某镇）\n")
    b = bulletins.get_bulletin(db, bid)
    assert (b.masthead_title, b.compiling_unit, b.report_to) == ("某县组工信息", "某研究室", "报某")
    assert b.issued_on == date.today() and b.number == 1
    assert b.articles[0] == Article("某镇开展培训", ("内容一段。",), "某镇")


def test_import_notes_a_taken_number(db):
    text = resource_path("bulletin/sample_bulletin.txt").read_text(encoding="utf-8")
    first = bulletins.import_issue(db, text)
    assert first.note == "" and bulletins.get_bulletin(db, first.id).number == 20
    second = bulletins.import_issue(db, text)
    assert bulletins.get_bulletin(db, second.id).number == 21
    assert second.note == "原文为第20期，2022年该期号已被使用，已编为第21期（可在编辑时修改）"


def test_import_file_reads_gb18030_and_refuses_text_without_articles(db, tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("★ 县内动态\n△标题。正文。\n".encode("gb18030"))
    assert bulletins.get_bulletin(db, bulletins.import_bulletin_file(db, path)).articles
    with pytest.raises(UserError, match="没有找到栏目"):
        bulletins.import_bulletin_text(db, "只是一段话。")
    with pytest.raises(UserError, match="无法读取"):
        bulletins.import_bulletin_file(db, tmp_path / "none.txt")


def test_configured_font_path_is_used_and_a_bad_one_warns(db):
    set_setting(db, "pdf.font_path", str(resource_path("no-such-font.ttf")))
    bid = saved_draft(db, 2026)
    _data, result = bulletins.render_to_bytes(db, bulletins.get_bulletin(db, bid))
    assert any("字体" in w for w in result.warnings)


def test_font_path_setting_refuses_missing_or_unusable_files(db, tmp_path):
    with pytest.raises(UserError, match="找不到字体文件"):
        bulletins.save_pdf_font_path(db, str(tmp_path / "none.ttf"))
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(UserError, match="无法嵌入"):
        bulletins.save_pdf_font_path(db, str(junk))
    assert bulletins.pdf_font_path(db) == ""
    bulletins.save_pdf_font_path(db, "")
    assert bulletins.pdf_font_path(db) == ""


def test_a_usable_font_file_is_stored(db):
    from desktop.reports.fonts import font_dirs

    found = [p for d in font_dirs() for p in d.rglob("*.tt[fc]") if "uming" in p.name.lower()]
    if not found:
        pytest.skip("no TrueType CJK font installed")
    bulletins.save_pdf_font_path(db, str(found[0]))
    assert bulletins.pdf_font_path(db) == str(found[0])
    assert bulletins.bulletin_fonts(db).embedded
