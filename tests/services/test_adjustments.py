"""Adjustment runs (POLICY.md §5): a locked run is corrected by a new run paying the
difference between what is due now and what locked runs paid, never by editing it."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.domain.adjustment import adjustment_line, bonus_adjustment_line, has_difference
from desktop.domain.registry import Assessment, LiaisonOfficer, Organization, Posting
from desktop.domain.subsidy import PostingSpan, SubsidyPolicy
from desktop.errors import UserError
from desktop.services import payruns, policy, registry
from factories import id_number

TODAY = date(2026, 12, 31)


@pytest.fixture
def example(db, township_id):
    """POLICY.md §3's worked example, its Q2 stipend locked: 329032 fen paid."""
    policy.set_policy(db, 2026)
    officer = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1),
                                                 bank_account="6230100000000001"))
    org = registry.create(db, Organization(name="示范科技有限公司", area_id=township_id))
    registry.create(db, Posting(officer_id=officer, organization_id=org,
                                start_on=date(2026, 3, 10), end_on=date(2026, 5, 20)))
    q2 = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, q2)
    return officer


def _posting(db, officer):
    return registry.postings_of(db, officer)[0][0]


def _adjust(db, period):
    return payruns.get_run(db, payruns.create_adjustment_run(db, period, today=TODAY))


def test_a_late_end_date_is_topped_up_once(db, example):
    registry.update(db, dataclasses.replace(_posting(db, example), end_on=date(2026, 5, 31)))
    run = _adjust(db, "2026-Q2")
    assert (run.run.kind, run.run.adjusts, payruns.run_kind(run.run)) == ("stipend", 1, "adjustment")
    (line,) = run.lines
    assert line.amount_fen == 200000 - 129032 and line.note == "补发"
    may = {m.month: m for m in line.months}["2026-05"]
    assert (may.posted_days, may.amount_fen, may.note) == (31, 70968, "应发 2,000.00，已发 1,290.32")
    assert {m.month: m.note for m in line.months}["2026-04"] == "无差额"
    assert payruns.run_title(run) == "2026年第二季度 工作补贴调整（草稿）"
    payruns.lock_run(db, run.run.id)
    with pytest.raises(UserError, match="没有需要调整的差额"):
        payruns.create_adjustment_run(db, "2026-Q2", today=TODAY)
    # What the adjustment paid counts as paid for an ordinary run too: nothing is left.
    with pytest.raises(UserError, match="全部发放"):
        payruns.create_stipend_run(db, "2026-Q2", today=TODAY)


def test_a_posting_entered_by_mistake_is_paid_back(db, example):
    registry.delete(db, Posting, _posting(db, example).id)
    registry.delete(db, LiaisonOfficer, example)
    (line,) = _adjust(db, "2026-Q2").lines
    assert (line.officer_name, line.id_number, line.bank_account) == (
        "张三", id_number(1), "6230100000000001")  # from the sheet it was paid on
    assert line.amount_fen == -329032 and line.note == "应退" and line.posted_days == 0
    assert [m.amount_fen for m in line.months] == [-200000, -129032, 0]


def test_a_raised_standard_pays_the_difference(db, example):
    policy.set_policy(db, 2026, monthly="2100")
    (line,) = _adjust(db, "2026-04").lines
    assert line.amount_fen == 10000


def test_only_months_already_paid_can_be_adjusted(db, example):
    with pytest.raises(UserError, match="7月.*还没有已锁定的工作补贴批次"):
        payruns.create_adjustment_run(db, "2026-Q3", today=TODAY)
    registry.update(db, dataclasses.replace(_posting(db, example), end_on=date(2026, 7, 31)))
    draft = payruns.create_stipend_run(db, "2026-07", today=TODAY)  # a draft does not count
    with pytest.raises(UserError, match="还没有已锁定"):
        payruns.create_adjustment_run(db, "2026-07", today=TODAY)
    payruns.lock_run(db, draft)
    assert payruns.get_run(db, payruns.create_adjustment_run(db, "2026-Q2", today=TODAY)) \
        .run.total_fen == (200000 - 129032) + 200000  # May and June in full now


def test_a_stale_adjustment_cannot_be_locked(db, example):
    registry.update(db, dataclasses.replace(_posting(db, example), end_on=date(2026, 5, 31)))
    first = payruns.create_adjustment_run(db, "2026-05", today=TODAY)
    second = payruns.create_adjustment_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, second)
    with pytest.raises(UserError, match="请先重新计算"):
        payruns.lock_run(db, first)
    with pytest.raises(UserError, match="没有需要调整的差额"):
        payruns.recompute_run(db, first, today=TODAY)


def test_listing_json_and_sheet(db, example, tmp_path):
    registry.update(db, dataclasses.replace(_posting(db, example), end_on=date(2026, 5, 31)))
    run_id = payruns.create_adjustment_run(db, "2026-Q2", today=TODAY)
    assert [r.id for r in payruns.list_runs(db, "adjustment")] == [run_id]
    assert run_id not in [r.id for r in payruns.list_runs(db, "stipend")]
    data = payruns.run_as_json(payruns.get_run(db, run_id))
    assert data["kind"] == "adjustment" and data["total_fen"] == 70968
    ws = load_workbook(payruns.export_subsidy_sheet(db, run_id, tmp_path / "a.xlsx",
                                                    today=TODAY)).active
    assert ws["A1"].value.endswith("驻企联络员工作补贴调整发放表（2026年第二季度）")
    assert ws["H3"].value == "月补贴标准（元）"
    assert json.loads(db.execute("select policy_json from payment_run where id = ?",
                                 (run_id,)).fetchone()[0])["year"] == 2026


def test_adjustment_line_rule():
    spans = [PostingSpan(date(2026, 4, 1), date(2026, 4, 15))]
    pol = SubsidyPolicy(year=2026)  # the defaults: 2,000.00 a month, daily
    result = adjustment_line(spans, [(2026, 4), (2026, 5)], pol, {"2026-04": 200000,
                                                                 "2026-05": 200000})
    assert [m.amount_fen for m in result.months] == [100000 - 200000, -200000]
    assert result.amount_fen == -300000 and result.note == "应退" and has_difference(result)
    same = adjustment_line(spans, [(2026, 4)], pol, {"2026-04": 100000})
    assert not has_difference(same) and same.note == "无差额"


@pytest.fixture
def graded(db, example):
    """张三 graded 称职 for 2026 and paid 3,000.00 by a locked bonus run."""
    grade = registry.create(db, Assessment(officer_id=example, year=2026, grade="competent"))
    payruns.lock_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    return grade


def test_a_corrected_grade_is_paid_the_difference(db, example, graded):
    registry.update(db, dataclasses.replace(registry.get(db, Assessment, graded), grade="good"))
    run = payruns.get_run(db, payruns.create_bonus_adjustment_run(db, 2026, today=TODAY))
    assert payruns.run_kind(run.run) == "bonus_adjustment" and run.run.kind == "bonus"
    (line,) = run.lines
    assert (line.grade, line.amount_fen, line.note) == ("good", 200000,
                                                        "应发 5,000.00，已发 3,000.00")
    assert payruns.run_title(run) == "2026年度 绩效补贴调整（草稿）"
    payruns.lock_run(db, run.run.id)
    with pytest.raises(UserError, match="没有需要调整的差额"):
        payruns.create_bonus_adjustment_run(db, 2026, today=TODAY)


def test_a_bonus_paid_to_someone_no_longer_posted_comes_back(db, example, graded, tmp_path):
    registry.delete(db, Posting, _posting(db, example).id)
    run_id = payruns.create_bonus_adjustment_run(db, 2026, today=TODAY)
    (line,) = payruns.get_run(db, run_id).lines
    assert (line.officer_name, line.amount_fen) == ("张三", -300000)
    assert [r.id for r in payruns.list_runs(db, "bonus_adjustment")] == [run_id]
    sheet = load_workbook(payruns.export_subsidy_sheet(db, run_id, tmp_path / "b.xlsx",
                                                       today=TODAY)).active
    assert sheet["A1"].value.endswith("绩效补贴调整发放表（2026年度）")
    assert sheet["H3"].value == "考核等次" and sheet["H4"].value == "称职"


def test_a_bonus_adjustment_needs_a_locked_bonus_run(db, example):
    with pytest.raises(UserError, match="还没有已锁定的绩效补贴批次"):
        payruns.create_bonus_adjustment_run(db, 2026, today=TODAY)
    with pytest.raises(UserError, match="按年度"):
        payruns.create_bonus_adjustment_run(db, "2026-Q2", today=TODAY)


def test_bonus_adjustment_of_someone_never_posted_in_the_year():
    pol = SubsidyPolicy(year=2026)
    result = bonus_adjustment_line((), 2026, "good", pol, 500000)
    assert (result.amount_fen, result.rule, result.note) == (
        -500000, "未派驻", "应发 0.00，已发 5,000.00")
