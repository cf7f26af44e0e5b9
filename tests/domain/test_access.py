"""Roles as data (ACCESS.md): every role × action that matters, password rules,
the lock-out rule and maker–checker."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from desktop.domain import access as a

CHANGES = (a.EDIT_REGISTRY, a.IMPORT, a.SET_POLICY, a.EDIT_RUN, a.LOCK_RUN, a.DRAFT_BULLETIN,
           a.ISSUE_BULLETIN, a.CHANGE_SETTINGS, a.BACKUP, a.RESTORE, a.EXCHANGE, a.MANAGE_USERS)
# role -> the actions of CHANGES it may do (ACCESS.md's table)
MAY = {
    a.ADMIN: {a.CHANGE_SETTINGS, a.BACKUP, a.RESTORE, a.EXCHANGE, a.MANAGE_USERS},
    a.CLERK: {a.EDIT_REGISTRY, a.IMPORT, a.DRAFT_BULLETIN},
    a.FINANCE: {a.SET_POLICY, a.EDIT_RUN, a.LOCK_RUN},
    a.REVIEWER: {a.LOCK_RUN, a.ISSUE_BULLETIN},
    a.VIEWER: set(),
}


@pytest.mark.parametrize("role", a.ROLES)
@pytest.mark.parametrize("action", CHANGES)
def test_every_role_and_action(role, action):
    assert a.allowed([role], action) == (action in MAY[role])


def test_a_viewer_cannot_change_or_reveal_anything():
    assert not any(a.allowed([a.VIEWER], action) for action in a.ACTION_LABELS)


def test_several_roles_add_up():
    assert a.allowed([a.CLERK, a.FINANCE], a.LOCK_RUN) and a.allowed([a.CLERK, a.FINANCE], a.IMPORT)


def test_the_refusal_names_the_role_and_the_action_in_chinese():
    assert a.refusal([a.VIEWER], a.LOCK_RUN) == "当前用户（查看）无权锁定发放批次"
    assert a.refusal([a.CLERK, a.FINANCE], a.MANAGE_USERS) == "当前用户（录入员、财务）无权管理用户和角色"


def test_labels_are_the_chinese_role_names():
    assert a.ROLE_LABELS == {"admin": "系统管理员", "clerk": "录入员", "finance": "财务",
                             "reviewer": "审核", "viewer": "查看"}


@pytest.mark.parametrize("password, reason", [
    ("abc1234", "至少 8 位"), ("abcdefgh", "字母和数字"), ("12345678", "字母和数字"),
    ("密码密码密码1234", "字母和数字"), (" abc12345", "首尾"), ("x1" * 65, "最多"),
])
def test_password_rules(password, reason):
    assert reason in a.password_problem(password)
    assert password.strip() not in a.password_problem(password)  # never echoed


def test_a_good_password_passes():
    assert a.password_problem("demo1234") == "" and a.password_problem("Zhang San 2026") == ""


def test_five_failures_lock_for_ten_minutes():
    now = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    count = 0
    for _ in range(4):
        attempt = a.after_failure(count, now)
        assert not attempt.locked_out
        count = attempt.failed_attempts
    locked = a.after_failure(count, now)
    assert locked.locked_until == now + timedelta(minutes=10) and locked.failed_attempts == 0
    assert a.is_locked(locked.locked_until, now + timedelta(minutes=9, seconds=59))
    assert not a.is_locked(locked.locked_until, now + timedelta(minutes=10))


def test_maker_checker():
    assert a.may_lock_run([a.FINANCE], "u1", "u1", maker_checker=False) == ""
    assert "生成人以外" in a.may_lock_run([a.FINANCE], "u1", "u1", maker_checker=True)
    assert a.may_lock_run([a.REVIEWER], "u2", "u1", maker_checker=True) == ""
    assert a.may_lock_run([a.FINANCE], "u1", None, maker_checker=True) == ""  # made before users
    assert "无权锁定" in a.may_lock_run([a.CLERK], "u2", "u1", maker_checker=False)


def test_roles_are_checked():
    assert a.check_roles([]) and "未知的角色：boss" in a.check_roles(["boss"])
    assert a.check_roles([a.CLERK, a.VIEWER]) == ""


def test_the_operator_name_drops_the_user_id_and_keeps_other_texts_whole():
    text = a.operator_text("王管理", "11a7f87b-10a3")
    assert text == "王管理（用户ID 11a7f87b-10a3）" and a.operator_name(text) == "王管理"
    assert a.operator_name("演示操作员") == "演示操作员"
    assert a.operator_name("") == ""
