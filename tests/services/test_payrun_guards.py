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


# ---------------------------------------------------------------- a period paid in full


@pytest.fixture
def posted(db, township_id, policies):
    return add_officer(db, 1, "张三", township_id, (date(2026, 3, 10), date(2026, 5, 20)))


def test_second_run_for_a_period_paid_in_full_is_refused(db, township_id, posted):
    first = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, first)
    with pytest.raises(UserError) as refused:
        payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    assert str(refused.value) == (
        f"2026年第二季度的工作补贴已由已锁定的批次 {first[:8]}全部发放，按当前数据没有应发金额，"
        "不再生成批次。如需更正已发放的金额，请建立工作补贴调整批次")
    with pytest.raises(UserError, match="全部发放"):  # a month of it, too
        payruns.create_stipend_run(db, "2026-05", today=TODAY)
    with pytest.raises(UserError, match="全部发放"):  # nor previewed as a sheet of 0.00
        payruns.preview_run(db, "stipend", "2026-04", today=TODAY)
    assert len(payruns.list_runs(db)) == 1
    # Someone newly posted in a paid period is still paid, the others shown as paid.
    add_officer(db, 2, "李四", township_id, (date(2026, 4, 1), None))
    run = payruns.get_run(db, payruns.create_stipend_run(db, "2026-04", today=TODAY))
    assert {(line.officer_name, line.amount_fen) for line in run.lines} == {
        ("张三", 0), ("李四", 200000)}


def test_a_period_paid_by_several_locked_runs_counts_as_paid(db, posted):
    payruns.lock_run(db, payruns.create_stipend_run(db, "2026-05", today=TODAY))
    # A month no locked run paid is still paid.
    assert payruns.preview_run(db, "stipend", "2026-Q2", today=TODAY)[0].amount_fen == 200000
    for month in ("2026-03", "2026-04"):
        payruns.lock_run(db, payruns.create_stipend_run(db, month, today=TODAY))
    with pytest.raises(UserError, match="批次 .{8}、批次 .{8}全部发放"):
        payruns.create_stipend_run(db, "2026-Q2", today=TODAY)  # June: nobody posted
    with pytest.raises(UserError, match="批次 .{8}、批次 .{8}、批次 .{8}全部发放"):
        payruns.create_stipend_run(db, "2026", today=TODAY)  # the other months: nobody posted


def test_bonus_year_paid_in_full_is_refused(db, township_id, policies):
    officer = add_officer(db, 1, "张三", township_id, (date(2026, 1, 1), None))
    grade(db, officer, 2026, "good")
    first = payruns.create_bonus_run(db, 2026, today=TODAY)
    payruns.lock_run(db, first)
    with pytest.raises(UserError, match=f"2026年度的绩效补贴已由已锁定的批次 {first[:8]}全部发放"
                                        ".*请建立绩效补贴调整批次"):
        payruns.create_bonus_run(db, 2026, today=TODAY)


def test_a_draft_that_came_to_pay_nothing_cannot_be_locked(db, posted):
    """Made before the other run was locked, then recomputed: all lines 0.00."""
    stale = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, payruns.create_stipend_run(db, "2026-Q2", today=TODAY))
    payruns.recompute_run(db, stale, today=TODAY)
    assert payruns.get_run(db, stale).run.total_fen == 0
    with pytest.raises(UserError, match="全部发放.*本草稿无需锁定，可以删除"):
        payruns.lock_run(db, stale)
    payruns.delete_run(db, stale)


# ---------------------------------------------------------------- overlapping drafts


def test_a_draft_overlapping_another_draft_of_its_kind_warns(db, township_id, posted):
    quarter = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    assert payruns.run_warnings(db, quarter) == ()
    month = payruns.create_stipend_run(db, "2026-05", today=TODAY)
    (warning,) = payruns.run_warnings(db, month)
    assert warning == (f"另有期间重叠的工作补贴草稿批次：2026年第二季度（批次 {quarter[:8]}）。"
                       "同一期间只应锁定一个批次，锁定其中一个后，其余草稿须重新计算；不需要的草稿请删除")
    (warning,) = payruns.run_warnings(db, quarter)  # and the other way round
    assert f"2026年5月（批次 {month[:8]}）" in warning and quarter[:8] not in warning
    # Another kind, another period, or a locked run: no warning.
    grade(db, posted, 2026, "good")
    assert payruns.run_warnings(db, payruns.create_bonus_run(db, 2026, today=TODAY)) == ()
    assert payruns.run_warnings(db, payruns.create_stipend_run(db, "2026-03", today=TODAY)) == ()
    payruns.delete_run(db, month)
    assert payruns.run_warnings(db, quarter) == ()
