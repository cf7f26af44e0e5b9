"""Over-long text is refused by the services (GUI, CLI and import alike), naming the
field and the limit (issue 13, point 9)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from desktop.domain import text_limits
from desktop.domain.bulletin import Article, Section
from desktop.domain.registry import Area, Organization
from desktop.errors import UserError
from desktop.services import bulletins, registry, workspace


def test_county_name_of_100000_characters_is_refused(db):
    with pytest.raises(UserError, match="县（市、区）名称过长（100000 字），最多 20 字"):
        workspace.set_county(db, "县" * 100_000)
    assert workspace.get_setting(db, "county_name") == ""


def test_county_name_at_the_limit_is_kept(db):
    name = "县" * text_limits.limit("settings", "county_name")
    workspace.set_county(db, name)
    assert workspace.county_name(db) == name


def test_organization_name_over_the_limit_is_refused_with_the_field(db):
    town = registry.create(db, Area(name="城关镇"))
    with pytest.raises(UserError) as err:
        registry.create(db, Organization(name="企" * 1001, area_id=town))
    assert "名称过长（1001 字），最多 100 字" in str(err.value)
    assert err.value.problems[0][0] == "name"


def test_township_name_over_the_limit_is_refused(db):
    with pytest.raises(UserError, match="乡镇（街道、园区）名称过长"):
        registry.create(db, Area(name="镇" * 51))


def test_bulletin_texts_over_their_limits_are_refused(db):
    draft = bulletins.new_bulletin(db, 2026, date(2026, 3, 1))
    article = Article("标题", ("正文。",))
    ok = dataclasses.replace(draft, sections=(Section("市内信息", (article,)),))
    long_title = dataclasses.replace(article, title="题" * 101)
    with pytest.raises(UserError, match="第 1 篇文章：文章标题过长（101 字），最多 100 字"):
        bulletins.save_bulletin(db, dataclasses.replace(
            ok, sections=(Section("市内信息", (long_title,)),)))
    long_para = dataclasses.replace(article, paragraphs=("段" * 5001,))
    with pytest.raises(UserError, match="正文每段过长（5001 字），最多 5000 字"):
        bulletins.save_bulletin(db, dataclasses.replace(
            ok, sections=(Section("市内信息", (long_para,)),)))
    with pytest.raises(UserError, match="编印单位过长"):
        bulletins.save_bulletin(db, dataclasses.replace(ok, compiling_unit="单" * 101))
    assert bulletins.save_bulletin(db, ok)


def test_bulletin_settings_over_the_limit_are_refused(db):
    settings = dataclasses.replace(bulletins.bulletin_settings(db), masthead_title="刊" * 31)
    with pytest.raises(UserError, match="刊头名称过长（31 字），最多 30 字"):
        bulletins.save_bulletin_settings(db, settings)


def test_imported_bulletin_text_over_the_limit_is_refused(db):
    text = "★ 市内信息\n△" + "题" * 150 + "\n正文。\n"
    with pytest.raises(UserError, match="文章标题过长"):
        bulletins.import_bulletin_text(db, text)


def test_bulletin_defaults_from_the_longest_county_name_are_allowed(db):
    workspace.set_county(db, "县" * text_limits.limit("settings", "county_name"))
    settings = bulletins.bulletin_settings(db)
    bulletins.save_bulletin_settings(db, settings)
    assert bulletins.bulletin_settings(db) == settings
