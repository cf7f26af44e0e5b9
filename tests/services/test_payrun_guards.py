"""Payment runs that must not mislead (issue 14 §3): graded officers never left out,
no second run for a period already paid, a warning for overlapping drafts, and the
short batch id printed on sheets accepted wherever a run id is."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.registry import Assessment, LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import payruns, policy, registry
from factories import id_number

TODAY = date(2026, 12, 31)


def add_officer(db, serial, name, area_id, *spans):
    """An officer posted to one new organization for each (start, end) span."""
    officer = registry.create(db, LiaisonOfficer(
        name=name, id_number=id_number(serial), home_unit="县委组织部",
        bank_name="农商银行", bank_account=f"62301000{serial:08d}"))
    for k, (start, end) in enumerate(spans):
        org = registry.create(db, Organization(name=f"{name}驻点企业{k + 1}", area_id=area_id))
        registry.create(db, Posting(officer_id=officer, organization_id=org,
                                    start_on=start, end_on=end))
    return officer


def grade(db, officer, year, value):
    registry.create(db, Assessment(officer_id=officer, year=year, grade=value))


@pytest.fixture
def policies(db):
    policy.set_policy(db, 2025)
    policy.set_policy(db, 2026)


# ---------------------------------------------------------------- POLICY.md §4


def test_graded_officer_without_a_posted_day_is_listed_with_the_reason(db, township_id,
                                                                      policies):
    posted = add_officer(db, 1, "张三", township_id, (date(2026, 1, 1), None))
    moved_on = add_officer(db, 2, "李四", township_id, (date(2025, 1, 1), date(2025, 12, 31)))
    never = add_officer(db, 3, "王五", township_id)
    add_officer(db, 4, "赵六", township_id)  # neither graded nor posted: not on the run
    for officer in (posted, moved_on, never):
        grade(db, officer, 2026, "excellent")
    detail = payruns.get_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    lines = {line.officer_name: line for line in detail.lines}
    assert set(lines) == {"张三", "李四", "王五"}
    assert lines["张三"].amount_fen == 1000000
    for name in ("李四", "王五"):
        line = lines[name]
        assert (line.amount_fen, line.posted_days, line.grade) == (0, 0, "excellent")
        assert line.note == "全年无派驻记录"
    assert lines["李四"].township == "城关镇"  # listed where they were last posted
    assert lines["王五"].township == ""
    assert detail.run.total_fen == 1000000


def test_posting_to_a_deleted_organization_does_not_hide_a_graded_officer(db, township_id,
                                                                         policies):
    officer = add_officer(db, 1, "张三", township_id, (date(2026, 1, 1), None))
    add_officer(db, 2, "李四", township_id, (date(2026, 1, 1), None))
    grade(db, officer, 2026, "good")
    org_id = db.execute("select organization_id from posting where officer_id = ?",
                        (officer,)).fetchone()[0]
    registry.delete(db, Organization, org_id)
    detail = payruns.get_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    line = next(line for line in detail.lines if line.officer_name == "张三")
    assert (line.amount_fen, line.note) == (0, "全年无派驻记录")


def test_only_graded_officers_without_postings_still_make_a_run(db, township_id, policies):
    grade(db, add_officer(db, 1, "张三", township_id), 2026, "good")
    detail = payruns.get_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    assert [(line.officer_name, line.amount_fen) for line in detail.lines] == [("张三", 0)]
