"""What the 用户管理 screen adds to the account services: re-enabling a disabled
account, ending a lock-out early and renaming an account. Administrators only,
each audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from desktop.errors import UserError
from desktop.services import accounts, users

PASSWORD = "secret2026"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def office(db):
    """An administrator (signed in) and a clerk who may sign in."""
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    accounts.add_user(db, "clerk", ["clerk"], display_name="李录入", password=PASSWORD,
                      must_change=False)
    return db


def events(db, kind: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute(
        "SELECT login, detail FROM access_event WHERE kind = ? ORDER BY rowid", (kind,))]


def test_a_disabled_account_is_enabled_again(office):
    accounts.disable_user(office, "clerk")
    with pytest.raises(UserError, match="已停用"):
        users.sign_in(office, "clerk", PASSWORD)
    users.sign_in(office, "admin", PASSWORD)
    accounts.enable_user(office, "clerk")
    assert ("clerk", "重新启用") in events(office, accounts.ENABLED_EVENT[0])
    with pytest.raises(UserError, match="该用户未停用：clerk"):
        accounts.enable_user(office, "clerk")
    assert users.sign_in(office, "clerk", PASSWORD).login == "clerk"


def lock_out(db, login: str, at: datetime) -> None:
    for _ in range(5):
        with pytest.raises(UserError):
            users.sign_in(db, login, "wrongpass1", now=at)


def test_an_administrator_ends_a_lock_out_early(office):
    lock_out(office, "clerk", NOW)
    users.sign_in(office, "admin", PASSWORD, now=NOW)
    accounts.unlock(office, "clerk", now=NOW + timedelta(minutes=1))
    assert ("clerk", "管理员解除锁定") in events(office, accounts.UNLOCKED_EVENT[0])
    with pytest.raises(UserError, match="再错 4 次"):  # the count starts again
        users.sign_in(office, "clerk", "wrongpass1", now=NOW + timedelta(minutes=2))
    assert users.sign_in(office, "clerk", PASSWORD, now=NOW + timedelta(minutes=2))
    users.sign_in(office, "admin", PASSWORD, now=NOW)
    with pytest.raises(UserError, match="该用户未被锁定：clerk"):
        accounts.unlock(office, "clerk", now=NOW + timedelta(minutes=3))


def test_a_few_wrong_passwords_are_not_a_lock_out(office):
    for _ in range(4):
        with pytest.raises(UserError):
            users.sign_in(office, "clerk", "wrongpass1", now=NOW)
    users.sign_in(office, "admin", PASSWORD, now=NOW)
    with pytest.raises(UserError, match="该用户未被锁定"):
        accounts.unlock(office, "clerk", now=NOW)


def test_a_display_name_changes_and_the_audit_log_keeps_the_old_one(office):
    accounts.set_display_name(office, "clerk", "  李小录 ")
    assert [u.display_name for u in accounts.list_users(office)] == ["王管理", "李小录"]
    before, after = office.execute(
        "SELECT before_json, after_json FROM audit_log WHERE table_name = 'app_user'"
        " AND before_json LIKE '%李录入%' ORDER BY rowid DESC").fetchone()
    assert "李小录" in after and "password_hash" not in before + after
    with pytest.raises(UserError, match="请填写姓名"):
        accounts.set_display_name(office, "clerk", "长" * 41)


def test_renaming_yourself_changes_the_name_your_changes_are_recorded_under(office):
    accounts.set_display_name(office, "admin", "王主任")
    assert users.signed_in_operator(office).startswith("王主任（用户ID ")


@pytest.mark.parametrize("call", [
    lambda db: accounts.enable_user(db, "clerk"),
    lambda db: accounts.unlock(db, "clerk", now=NOW),
    lambda db: accounts.set_display_name(db, "clerk", "改名"),
])
def test_only_administrators_may(office, call):
    users.sign_in(office, "clerk", PASSWORD)
    with pytest.raises(UserError, match="无权管理用户和角色"):
        call(office)
    assert events(office, "refused")[-1] == ("clerk", "管理用户和角色")
