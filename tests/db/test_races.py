"""Two processes at once (issue 13, points 1 and 2): nothing paid twice, nothing lost.

Each race runs ROUNDS rounds in two real processes that meet at a barrier right
before their call (tests/db/race_worker.py). The databases are built once and
copied per round, so a round costs one copy and the two calls.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from desktop.db import payruns as store
from desktop.db.connection import query
from desktop.db.database import open_database
from desktop.domain.registry import Area, Assessment, LiaisonOfficer, Organization, Posting
from desktop.services import maintenance, payruns, policy, registry
from factories import build_workbook, id_number, uscc
from race_worker import RacePair

ROUNDS = 20
OFFICERS = 12
ORGS = 50
TODAY = date(2026, 1, 15)
ORG_HEAD = ["名称*", "统一社会信用代码", "类型*", "所属乡镇*"]


@pytest.fixture(scope="module")
def pair():
    workers = RacePair()
    yield workers
    workers.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("race-bases")


def _county(conn) -> str:
    county = registry.create(conn, Area(name="示范县", kind="county"))
    return registry.create(conn, Area(name="城关镇", kind="township", parent_id=county))


@pytest.fixture(scope="module")
def payment_base(built) -> tuple[Path, list[str], list[str]]:
    """Officers posted all 2025 and graded; two stipend drafts for 2025-Q1 and two
    bonus drafts for 2025, each draft computed before the other was locked."""
    path = built / "payments.sqlite3"
    conn = open_database(path, operator="测试员")
    town = _county(conn)
    org = registry.create(conn, Organization(name="示范科技有限公司", area_id=town))
    for k in range(OFFICERS):
        officer = registry.create(conn, LiaisonOfficer(name=f"联络员{k}", id_number=id_number(k)))
        registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                      start_on=date(2025, 1, 1), end_on=date(2025, 12, 31)))
        registry.create(conn, Assessment(officer, 2025, "good"))
    policy.set_policy(conn, 2025)
    stipends = [payruns.create_stipend_run(conn, "2025-Q1", today=TODAY) for _ in range(2)]
    bonuses = [payruns.create_bonus_run(conn, 2025, today=TODAY) for _ in range(2)]
    conn.close()
    return path, stipends, bonuses


def _copy(base: Path, tmp_path: Path, k: int) -> Path:
    target = tmp_path / f"round{k}.sqlite3"
    shutil.copyfile(base, target)
    return target


def _locked(path: Path) -> int:
    conn = open_database(path)
    try:
        return query(conn, "select count(*) from payment_run where status = 'locked'")[0][0]
    finally:
        conn.close()


def test_two_locks_of_drafts_for_the_same_period_lock_exactly_one(pair, payment_base,
                                                                   tmp_path):
    base, (first, second), _ = payment_base
    both_locked = 0
    for k in range(ROUNDS):
        path = _copy(base, tmp_path, k)
        outcomes = pair.race(("lock", str(path), first), ("lock", str(path), second))
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"] or \
            [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        both_locked += _locked(path) > 1
    assert both_locked == 0, f"both drafts locked in {both_locked} of {ROUNDS} rounds"


def _plant_double_lock(base: Path, tmp_path: Path, runs: list[str]) -> Path:
    """Both drafts locked behind the service's back, as the race used to leave them."""
    path = _copy(base, tmp_path, 99)
    conn = open_database(path)
    for run_id in runs:
        store.lock(conn, run_id)
    conn.close()
    return path


def test_check_reports_a_month_paid_twice(payment_base, tmp_path, capsys):
    from desktop.cli import main

    base, stipends, _ = payment_base
    path = _plant_double_lock(base, tmp_path, stipends)
    conn = open_database(path)
    problems = [p for p in maintenance.check(conn) if "重复发放" in p]
    conn.close()
    assert len(problems) == 3  # one line per month of the quarter
    assert f"2025年1月的工作补贴有 {OFFICERS} 人被两个已锁定批次重复发放" in problems[0]
    assert main(["--db", str(path), "check"]) == 1
    assert "重复发放" in capsys.readouterr().err


def test_check_reports_a_bonus_paid_twice(payment_base, tmp_path):
    base, _, bonuses = payment_base
    path = _plant_double_lock(base, tmp_path, bonuses)
    conn = open_database(path)
    problems = [p for p in maintenance.check(conn) if "重复发放" in p]
    conn.close()
    assert problems == [f"2025年度的绩效补贴有 {OFFICERS} 人被两个已锁定批次重复发放"
                        f"（批次 {' 与 '.join(sorted(bonuses))}）"]


def test_check_is_quiet_after_a_locked_run_and_its_adjustment(payment_base, tmp_path):
    base, (first, _), _ = payment_base
    path = _copy(base, tmp_path, 98)
    conn = open_database(path)
    payruns.lock_run(conn, first)
    registry_rows = registry.list_officers(conn).rows
    officer = registry_rows[0][0]
    posting = registry.postings_of(conn, officer.id)[0][0]
    registry.update(conn, Posting(officer_id=officer.id, organization_id=posting.organization_id,
                                  start_on=posting.start_on, end_on=date(2025, 2, 14),
                                  id=posting.id))
    payruns.lock_run(conn, payruns.create_adjustment_run(conn, "2025-Q1", today=TODAY))
    assert [p for p in maintenance.check(conn) if "重复发放" in p] == []
    conn.close()


# ---------------------------------------------------------------- imports

@pytest.fixture(scope="module")
def registry_base(built) -> Path:
    """ORGS organizations with credit codes, nothing else known about them."""
    path = built / "registry.sqlite3"
    conn = open_database(path, operator="测试员")
    town = _county(conn)
    for k in range(ORGS):
        registry.create(conn, Organization(name=f"组织{k}", uscc=uscc(k), area_id=town))
    conn.close()
    return path


@pytest.fixture(scope="module")
def empty_base(built) -> Path:
    path = built / "empty.sqlite3"
    conn = open_database(path, operator="测试员")
    _county(conn)
    conn.close()
    return path


def _workbook(path: Path, extra_header: str | None, value: str | None, *,
              codes: bool = True) -> str:
    head = ORG_HEAD + ([extra_header] if extra_header else [])
    rows = [[f"组织{k}", uscc(k) if codes else None, "非公企业", "城关镇"]
            + ([value] if extra_header else []) for k in range(ORGS)]
    return str(build_workbook(path, {"组织": [head, *rows]}))


def _organizations(path: Path) -> list[tuple]:
    conn = open_database(path)
    try:
        return [tuple(r) for r in query(
            conn, "select name, contact_name, address from organization"
                  " where deleted_at is null order by name")]
    finally:
        conn.close()


def test_two_imports_of_different_columns_keep_both(pair, registry_base, built, tmp_path):
    contacts = _workbook(built / "contacts.xlsx", "联系人", "王经理")
    addresses = _workbook(built / "addresses.xlsx", "地址", "人民路1号")
    lost = 0
    for k in range(ROUNDS):
        path = _copy(registry_base, tmp_path, k)
        outcomes = pair.race(("import", str(path), contacts), ("import", str(path), addresses))
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        rows = _organizations(path)
        assert len(rows) == ORGS
        lost += rows != [(name, "王经理", "人民路1号") for name, _, _ in rows]
    assert lost == 0, f"one import's changes lost in {lost} of {ROUNDS} rounds"


def test_two_imports_without_credit_codes_create_each_organization_once(pair, empty_base,
                                                                        built, tmp_path):
    workbook = _workbook(built / "uncoded.xlsx", None, None, codes=False)
    doubled = 0
    for k in range(ROUNDS):
        path = _copy(empty_base, tmp_path, k)
        outcomes = pair.race(("import", str(path), workbook), ("import", str(path), workbook))
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        doubled += len(_organizations(path)) != ORGS
    assert doubled == 0, f"organizations imported twice in {doubled} of {ROUNDS} rounds"


# ---------------------------------------------------------------- policy and bulletins

def test_two_policy_changes_at_once_keep_both(pair, empty_base, tmp_path):
    lost = 0
    for k in range(ROUNDS):
        path = _copy(empty_base, tmp_path, k)
        outcomes = pair.race(("policy", str(path), {"monthly": "2000"}),
                             ("policy", str(path), {"good": "6000"}))
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        conn = open_database(path)
        saved = policy.show_policy(conn, 2025)
        conn.close()
        lost += (saved.monthly_stipend_fen, saved.bonus_fen["good"]) != (200000, 600000)
    assert lost == 0, f"one policy change lost in {lost} of {ROUNDS} rounds"


def test_two_bulletin_imports_at_once_get_two_numbers(pair, empty_base, built, tmp_path):
    text = built / "issue.txt"
    text.write_text("第 5 期\n\n2025 年 6 月 9 日\n\n★ 县内动态\n△某镇开展培训。内容一段。（某镇）\n",
                    encoding="utf-8")
    refused = 0
    for k in range(ROUNDS):
        path = _copy(empty_base, tmp_path, k)
        outcomes = pair.race(("bulletin", str(path), str(text)),
                             ("bulletin", str(path), str(text)))
        refused += [kind for kind, _ in outcomes] != ["ok", "ok"]
        conn = open_database(path)
        numbers = sorted(r[0] for r in query(conn, "select number from bulletin"))
        conn.close()
        assert numbers in ([5], [5, 6]), numbers
    assert refused == 0, f"the second import refused in {refused} of {ROUNDS} rounds"


def test_two_administrators_disabling_each_other_at_once_leave_one(pair, tmp_path):
    """The last-administrator check is read inside the write: of two admins who
    disable each other at the same moment, one is refused."""
    from desktop.services import accounts, users

    base = tmp_path / "admins.sqlite3"
    conn = open_database(base, operator="测试员")
    accounts.create_first_admin(conn, "admin", "王管理", "secret2026")
    users.sign_in(conn, "admin", "secret2026")
    accounts.add_user(conn, "admin2", ["admin"], password="secret2026", must_change=False)
    conn.close()
    for k in range(8):
        path = _copy(base, tmp_path, k)
        outcomes = pair.race(("disable", str(path), "admin2", ("admin", "secret2026")),
                             ("disable", str(path), "admin", ("admin2", "secret2026")))
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        # The one refused either finds itself the last administrator, or finds its own
        # account already disabled by the other when its role is checked.
        refusal = next(text for kind, text in outcomes if kind == "refused")
        assert "不能停用最后一名系统管理员" in refusal or "该账户已停用" in refusal, refusal
        conn = open_database(path)
        try:
            active = query(conn, "SELECT count(*) FROM app_user WHERE disabled = 0")[0][0]
        finally:
            conn.close()
        assert active == 1
