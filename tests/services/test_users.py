"""Users, sign-in and the role check (ACCESS.md), through the services every
front end calls: refusals per role, maker–checker, lock-out with an injected
clock, the first administrator of an old database, the recovery code, and that
no password or hash ever reaches the audit log, a log file or a message."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from desktop.db import guards, migrations
from desktop.db.connection import register_functions
from desktop.db.database import open_database
from desktop.domain import access
from desktop.domain.registry import LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import accounts, bulletins, passwords, payruns, policy, registry, users
from desktop.services import workspace
from factories import id_number

PASSWORD = "secret2026"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def office(db, township_id):
    """The `db` fixture's county with an officer posted, policies, and one user per role."""
    policy.set_policy(db, 2026)
    officer = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1),
                                                 home_unit="县委组织部"))
    org = registry.create(db, Organization(name="驻点企业", area_id=township_id))
    registry.create(db, Posting(officer_id=officer, organization_id=org,
                                start_on=date(2026, 3, 1), end_on=date(2026, 5, 31)))
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    as_user(db, "admin")
    for role in access.ROLES[1:]:
        accounts.add_user(db, role, [role], display_name=f"{access.ROLE_LABELS[role]}甲",
                          password=PASSWORD, must_change=False)
    accounts.add_user(db, "finance2", [access.FINANCE], password=PASSWORD, must_change=False)
    users.sign_out(db)
    return db


def as_user(db, login: str) -> users.User:
    return users.sign_in(db, login, PASSWORD)


def audit_text(db) -> str:
    return "\n".join(f"{r[0]} {r[1]} {r[2]}" for r in db.execute(
        "SELECT operator, coalesce(before_json, ''), coalesce(after_json, '') FROM audit_log"))


# ---------------------------------------------------------------- roles

def test_a_database_without_users_allows_everything(db, township_id):
    assert not users.has_users(db)
    registry.create(db, Organization(name="无用户时新增", area_id=township_id))
    policy.set_policy(db, 2026)  # as before this change: CLI scripts and old databases


def test_with_users_nobody_signed_in_is_refused(office, township_id):
    with pytest.raises(UserError, match="请先登录"):
        registry.create(office, Organization(name="未登录", area_id=township_id))


def test_a_viewer_cannot_change_anything(office, township_id):
    as_user(office, "viewer")
    refusals = [
        lambda: registry.create(office, Organization(name="查看员新增", area_id=township_id)),
        lambda: policy.set_policy(office, 2027),
        lambda: payruns.create_stipend_run(office, "2026-Q2", today=date(2026, 12, 31)),
        lambda: workspace.set_county(office, "别的县"),
        lambda: bulletins.save_bulletin(office, bulletins.new_bulletin(office, 2026)),
        lambda: accounts.add_user(office, "x", [access.CLERK]),
    ]
    for attempt in refusals:
        with pytest.raises(UserError, match=r"^当前用户（查看）无权"):
            attempt()
    kinds = [r["kind"] for r in office.execute("SELECT kind FROM access_event")]
    assert kinds.count("refused") == len(refusals)  # each refusal is an audit event


def test_problems_are_the_clerks_a_viewer_or_finance_cannot_record_them(office, township_id):
    from desktop.domain.problems import Problem
    from desktop.services import problems

    org = next(o.id for o, _ in registry.list_all(office, Organization))
    problem = Problem(organization_id=org, found_on=date(2026, 5, 1), category="financing",
                      description="融资难", responsible_unit="县金融办",
                      deadline=date(2026, 6, 30))
    for role in ("viewer", "finance"):
        as_user(office, role)
        with pytest.raises(UserError, match="无权"):
            problems.add_problem(office, problem, today=date(2026, 5, 2))
    as_user(office, "clerk")
    problem_id = problems.add_problem(office, problem, today=date(2026, 5, 2))
    as_user(office, "viewer")
    with pytest.raises(UserError, match="无权"):
        problems.advance(office, problem_id, "supervising", today=date(2026, 5, 3))


def test_only_an_administrator_sets_or_clears_the_exchange_password(office):
    from desktop.services import sealing

    for role in ("clerk", "finance", "reviewer", "viewer"):
        as_user(office, role)
        with pytest.raises(UserError, match="无权"):
            sealing.set_password(office, "jiaohuan2026", "jiaohuan2026")
        with pytest.raises(UserError, match="无权"):
            sealing.clear_password(office)
    as_user(office, "admin")
    sealing.set_password(office, "jiaohuan2026", "jiaohuan2026")
    assert sealing.is_set(office)


def test_a_clerk_edits_the_registry_but_cannot_lock_or_set_policy(office, township_id):
    as_user(office, "finance")
    run_id = payruns.create_stipend_run(office, "2026-Q2", today=date(2026, 12, 31))
    as_user(office, "clerk")
    registry.create(office, Organization(name="录入员新增", area_id=township_id))
    with pytest.raises(UserError, match="当前用户（录入员）无权锁定发放批次"):
        payruns.lock_run(office, run_id)
    with pytest.raises(UserError, match="无权修改补贴标准"):
        policy.set_policy(office, 2027)
    assert payruns.get_run(office, run_id).run.status == "draft"


def test_finance_cannot_touch_the_registry_nor_admin_the_payments(office, township_id):
    as_user(office, "finance")
    with pytest.raises(UserError, match="无权修改台账"):
        registry.create(office, Organization(name="财务新增", area_id=township_id))
    as_user(office, "admin")
    with pytest.raises(UserError, match="无权生成或修改发放批次"):
        payruns.create_stipend_run(office, "2026-Q2", today=date(2026, 12, 31))


def test_maker_checker_the_creator_cannot_lock_their_own_run(office):
    as_user(office, "admin")
    users.set_maker_checker(office, True)
    as_user(office, "finance")
    run_id = payruns.create_stipend_run(office, "2026-Q2", today=date(2026, 12, 31))
    with pytest.raises(UserError, match="双人复核"):
        payruns.lock_run(office, run_id)
    as_user(office, "reviewer")
    payruns.lock_run(office, run_id)
    run = payruns.get_run(office, run_id).run
    assert run.status == "locked" and run.created_by.startswith("财务甲（用户ID")


def test_without_maker_checker_the_creator_locks(office):
    as_user(office, "finance")
    run_id = payruns.create_stipend_run(office, "2026-Q2", today=date(2026, 12, 31))
    payruns.lock_run(office, run_id)
    assert payruns.get_run(office, run_id).run.status == "locked"


def test_a_reviewer_issues_bulletins_a_clerk_only_drafts(office):
    as_user(office, "clerk")
    bulletin_id = bulletins.add_sample_bulletin(office)
    with pytest.raises(UserError, match="无权印发组工信息"):
        bulletins.issue_bulletin(office, bulletin_id)


def test_the_audit_log_names_the_signed_in_user_by_name_and_id(office, township_id):
    user = as_user(office, "clerk")
    org = registry.create(office, Organization(name="谁改的", area_id=township_id))
    operator = office.execute("SELECT operator FROM audit_log WHERE row_id = ?", (org,)).fetchone()[0]
    assert operator == f"录入员甲（用户ID {user.id}）"


# ---------------------------------------------------------------- signing in

def test_five_wrong_passwords_lock_the_account_for_ten_minutes(office):
    for attempt in range(4):
        with pytest.raises(UserError, match=f"再错 {4 - attempt} 次"):
            users.sign_in(office, "clerk", "wrong0000", now=NOW)
    with pytest.raises(UserError, match="账户已锁定 10 分钟"):
        users.sign_in(office, "clerk", "wrong0000", now=NOW)
    # Locked: even the right password is refused, and is not checked at all.
    with pytest.raises(UserError, match="已锁定"):
        users.sign_in(office, "clerk", PASSWORD, now=NOW + timedelta(minutes=9, seconds=59))
    assert users.sign_in(office, "clerk", PASSWORD, now=NOW + timedelta(minutes=10)).login == "clerk"
    kinds = [r[0] for r in office.execute("SELECT kind FROM access_event WHERE login = 'clerk'")]
    assert kinds.count("sign_in_failed") == 6 and kinds.count("locked_out") == 1


def test_a_right_password_resets_the_count(office):
    for _ in range(4):
        with pytest.raises(UserError):
            users.sign_in(office, "clerk", "wrong0000", now=NOW)
    as_user(office, "clerk")
    with pytest.raises(UserError, match="再错 4 次"):
        users.sign_in(office, "clerk", "wrong0000", now=NOW)


def test_unknown_and_disabled_users(office):
    with pytest.raises(UserError, match="^用户名或密码不正确$"):
        users.sign_in(office, "nobody", PASSWORD)
    as_user(office, "admin")
    accounts.disable_user(office, "viewer")
    with pytest.raises(UserError, match="已停用"):
        as_user(office, "viewer")  # and the failed sign-in ended the admin's session
    as_user(office, "admin")
    with pytest.raises(UserError, match="最后一名系统管理员"):
        accounts.disable_user(office, "admin")


def test_an_admin_reset_forces_a_new_password(office, township_id):
    as_user(office, "admin")
    temporary = accounts.reset_password(office, "clerk").temporary_password
    user = users.sign_in(office, "clerk", temporary)
    assert user.must_change
    with pytest.raises(UserError, match="须先修改密码"):
        registry.create(office, Organization(name="先改密码", area_id=township_id))
    with pytest.raises(UserError, match="字母和数字"):
        accounts.change_password(office, temporary, "12345678")
    accounts.change_password(office, temporary, "newpass2026")
    registry.create(office, Organization(name="改好了", area_id=township_id))


def test_roles_change_and_are_audited(office):
    as_user(office, "admin")
    accounts.set_roles(office, "viewer", [access.CLERK, access.VIEWER])
    assert accounts.list_users(office)[-1].roles == ("clerk", "viewer")
    detail = office.execute("SELECT detail FROM access_event WHERE kind = 'role_change'").fetchone()
    assert detail[0] == "查看 → 录入员、查看"


def test_the_recovery_code_resets_the_admin_once(office):  # a new database: its code is known
    fresh = open_database(office.execute("PRAGMA database_list").fetchone()[2] + ".2")
    made = accounts.create_first_admin(fresh, "boss", "老板", PASSWORD)
    with pytest.raises(UserError, match="恢复码不正确"):
        accounts.reset_with_recovery_code(fresh, "boss", "AAAAA-AAAAA-AAAAA-AAAAA", "again2026")
    again = accounts.reset_with_recovery_code(fresh, "boss", made.recovery_code.lower(), "again2026")
    assert users.sign_in(fresh, "boss", "again2026").login == "boss"
    with pytest.raises(UserError, match="恢复码不正确"):  # spent
        accounts.reset_with_recovery_code(fresh, "boss", made.recovery_code, "third2026")
    assert again.recovery_code != made.recovery_code
    assert passwords.normal_recovery_code(again.recovery_code) not in audit_text(fresh)
    fresh.close()


def test_first_admin_on_an_old_version_6_database(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn, "旧版本")
    for version, step in enumerate(migrations.MIGRATIONS[:6], start=1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    db = open_database(path)  # upgraded: no users, so everything is allowed
    assert migrations.current_version(db) == migrations.SCHEMA_VERSION and not users.has_users(db)
    accounts.create_first_admin(db, "admin", "管理员", PASSWORD)
    with pytest.raises(UserError, match="已有用户"):
        accounts.create_first_admin(db, "admin2", "第二位", PASSWORD)
    with pytest.raises(UserError, match="请先登录"):
        workspace.set_county(db, "示范县")
    assert guards.unlogged_problems(db) == [] and guards.trigger_differences(db) == ([], [], [])
    db.close()


def test_no_password_or_hash_in_the_audit_log_the_log_file_or_a_message(office, caplog,
                                                                         township_id):
    caplog.set_level(logging.DEBUG)
    messages = []
    for login, typed in (("clerk", "wrongpass1"), ("nobody", "ghostpass2")):
        try:
            users.sign_in(office, login, typed)
        except UserError as err:
            messages.append(str(err))
    as_user(office, "admin")
    temporary = accounts.reset_password(office, "viewer").temporary_password
    users.sign_in(office, "viewer", temporary)
    accounts.change_password(office, temporary, "viewerpass3")
    hashes = [r[0] for r in office.execute("SELECT password_hash FROM app_user")]
    secrets = [PASSWORD, "wrongpass1", "ghostpass2", temporary, "viewerpass3"] + hashes
    secrets += [h.split("$")[-1] for h in hashes] + [h.split("$")[-2] for h in hashes]  # key, salt
    stored = audit_text(office) + "\n".join(
        str(tuple(r)) for r in office.execute("SELECT * FROM access_event"))
    logged = caplog.text + "\n".join(messages)
    for secret in secrets:
        assert secret not in stored and secret not in logged
    assert "password_hash" not in stored
    assert guards.unlogged_problems(office) == []  # the log still accounts for every user row


def test_a_viewer_cannot_export_and_a_clerk_cannot_export_unmasked_without_reveal(office, tmp_path):
    from desktop.services import exports

    as_user(office, "viewer")
    with pytest.raises(UserError, match="无权导出台账"):
        exports.export_registry(office, "officers", tmp_path / "o.xlsx")
    as_user(office, "clerk")
    assert exports.export_registry(office, "officers", tmp_path / "o.xlsx", mask=False).path.is_file()


def test_allows_answers_what_require_would_without_refusing_or_logging(office):
    before = office.execute("SELECT count(*) FROM access_event").fetchone()[0]
    assert not users.allows(office, access.READ_AUDIT)  # nobody signed in
    as_user(office, "viewer")
    assert not users.allows(office, access.READ_AUDIT)
    as_user(office, "reviewer")
    assert users.allows(office, access.READ_AUDIT) and not users.allows(office, access.EDIT_RUN)
    events = office.execute("SELECT kind FROM access_event").fetchall()[before:]
    assert [e[0] for e in events if e[0] == "refused"] == []


def test_version_9_keeps_every_access_event_and_the_chain_and_takes_the_new_kinds(tmp_path):
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old, isolation_level=None)
    register_functions(conn, "旧版本")
    for version, step in enumerate(migrations.MIGRATIONS[:8], start=1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO access_event (id, at, kind, login) VALUES"
                 " ('e1', '2026-01-01T00:00:00Z', 'sign_in', 'admin'),"
                 " ('e2', '2026-01-02T00:00:00Z', 'refused', 'clerk')")
    logged = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.close()
    db = open_database(old)
    assert [tuple(r) for r in db.execute("SELECT id, kind FROM access_event ORDER BY id")] == [
        ("e1", "sign_in"), ("e2", "refused")]
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == logged
    assert guards.unlogged_problems(db) == [] and guards.trigger_differences(db) == ([], [], [])
    with pytest.raises(sqlite3.DatabaseError, match="不能删除"):
        db.execute("DELETE FROM access_event")
    from desktop.db import users as user_store

    user_store.add_event(db, "reveal", None, "clerk", "联络员 公民身份号码")
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == logged + 1
    db.close()


def test_a_password_typed_as_the_login_name_is_not_logged(office):
    for typed in ("secret2026", "  xiaowang  "):
        with pytest.raises(UserError, match="用户名或密码不正确"):
            users.sign_in(office, typed, "whatever1")
    logins = [r[0] for r in office.execute(
        "SELECT login FROM access_event WHERE kind = 'sign_in_failed' ORDER BY rowid")][-2:]
    assert logins[0].startswith("se…") and "secret2026" not in audit_text(office)
    assert logins[1] == "xiaowang"  # a plain name is kept: it shows who was tried
