"""Users and roles as data (ACCESS.md): who may do what, password rules, the
lock-out rule and the maker–checker rule. Pure: no I/O, the clock is passed in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

ADMIN, CLERK, FINANCE, REVIEWER, VIEWER = "admin", "clerk", "finance", "reviewer", "viewer"
ROLES = (ADMIN, CLERK, FINANCE, REVIEWER, VIEWER)
ROLE_LABELS = {ADMIN: "系统管理员", CLERK: "录入员", FINANCE: "财务", REVIEWER: "审核", VIEWER: "查看"}

# Actions. Reading (and printing) is open to every signed-in role; these are
# what changes data, reveals personal data or takes it off the PC.
MANAGE_USERS = "users.manage"
CHANGE_SETTINGS = "settings.change"
BACKUP = "maintenance.backup"
RESTORE = "maintenance.restore"
EXCHANGE = "exchange"
EDIT_REGISTRY = "registry.edit"
IMPORT = "registry.import"
EXPORT_REGISTRY = "registry.export"
EDIT_PROBLEMS = "problems.edit"
DRAFT_BULLETIN = "bulletin.draft"
ISSUE_BULLETIN = "bulletin.issue"
SET_POLICY = "policy.set"
EDIT_RUN = "payrun.edit"  # create, recompute, delete a draft
LOCK_RUN = "payrun.lock"
EXPORT_RUN = "payrun.export"
REVEAL = "personal.reveal"
READ_AUDIT = "audit.read"

ACTION_LABELS = {
    MANAGE_USERS: "管理用户和角色", CHANGE_SETTINGS: "修改设置", BACKUP: "备份数据库",
    RESTORE: "从备份恢复数据库", EXCHANGE: "导出或合并数据交换包", EDIT_REGISTRY: "修改台账",
    IMPORT: "导入台账", EXPORT_REGISTRY: "导出台账", EDIT_PROBLEMS: "修改问题清单",
    DRAFT_BULLETIN: "编辑组工信息", ISSUE_BULLETIN: "印发组工信息", SET_POLICY: "修改补贴标准",
    EDIT_RUN: "生成或修改发放批次", LOCK_RUN: "锁定发放批次", EXPORT_RUN: "导出发放表",
    REVEAL: "查看完整的个人信息", READ_AUDIT: "查看审计日志",
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset({MANAGE_USERS, CHANGE_SETTINGS, BACKUP, RESTORE, EXCHANGE, READ_AUDIT}),
    CLERK: frozenset({EDIT_REGISTRY, IMPORT, EXPORT_REGISTRY, EDIT_PROBLEMS, DRAFT_BULLETIN,
                      REVEAL}),
    FINANCE: frozenset({SET_POLICY, EDIT_RUN, LOCK_RUN, EXPORT_RUN, REVEAL}),
    REVIEWER: frozenset({LOCK_RUN, ISSUE_BULLETIN, READ_AUDIT, REVEAL}),
    VIEWER: frozenset(),
}

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128  # scrypt takes any length; a pasted novel is a mistake
MAX_FAILED_ATTEMPTS = 5
LOCK_OUT = timedelta(minutes=10)
# Idle lock (等级保护 2.0: session time-out): minutes without keyboard or mouse.
# No "off": the lock is what the assessment asks for; an hour is the longest.
IDLE_LOCK_DEFAULT = 15
IDLE_LOCK_MIN, IDLE_LOCK_MAX = 1, 60


def operator_text(display_name: str, user_id: str) -> str:
    """How the audit log names a signed-in user: display name and id."""
    return f"{display_name}（用户ID {user_id}）"


def operator_name(operator: str) -> str:
    """The display name of an audit operator text, without the user id a list
    has no room for (the entry's detail shows the whole text)."""
    name, mark, _ = operator.partition("（用户ID ")
    return name if mark else operator


def allowed(roles: Iterable[str], action: str) -> bool:
    """Whether a user holding `roles` may do `action`."""
    return any(action in ROLE_ACTIONS.get(role, frozenset()) for role in roles)


def roles_text(roles: Iterable[str]) -> str:
    """The roles as a clerk reads them: 录入员、财务."""
    return "、".join(ROLE_LABELS.get(role, role) for role in roles) or "无角色"


def refusal(roles: Iterable[str], action: str) -> str:
    """The Chinese refusal for a user whose roles do not allow `action`."""
    return f"当前用户（{roles_text(roles)}）无权{ACTION_LABELS.get(action, action)}"


def check_roles(roles: Iterable[str]) -> str:
    """'' when `roles` is a valid, non-empty set of known roles, else the reason."""
    roles = list(roles)
    if not roles:
        return "请至少选择一个角色"
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        known = "、".join(f"{role}（{ROLE_LABELS[role]}）" for role in ROLES)
        return f"未知的角色：{'、'.join(unknown)}（可选：{known}）"
    return ""


def password_problem(password: str) -> str:
    """'' when `password` meets the rules, else the reason (never the password)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少 {MIN_PASSWORD_LENGTH} 位"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"密码最多 {MAX_PASSWORD_LENGTH} 位"
    if not any(c.isascii() and c.isalpha() for c in password) or not any(
            c.isdigit() for c in password):
        return "密码须同时包含字母和数字"
    if password != password.strip():
        return "密码的首尾不能是空格"
    return ""


def idle_minutes_problem(minutes: int) -> str:
    """'' when `minutes` is an allowed idle-lock time, else the reason."""
    if not IDLE_LOCK_MIN <= minutes <= IDLE_LOCK_MAX:
        return f"空闲锁定时间须在 {IDLE_LOCK_MIN} 到 {IDLE_LOCK_MAX} 分钟之间"
    return ""


def idle_minutes(stored: str) -> int:
    """The idle-lock minutes a stored setting means; the default when it is
    missing or not a number in range (a hand-edited file locks, never stays open)."""
    try:
        minutes = int(stored)
    except ValueError:
        return IDLE_LOCK_DEFAULT
    return minutes if not idle_minutes_problem(minutes) else IDLE_LOCK_DEFAULT


def logged_unknown_login(typed: str) -> str:
    """What the log keeps of a login name that matches no account. A clerk who
    types the password into the name field would otherwise leave it in the audit
    log: text that could be a password keeps only its first two characters."""
    typed = typed.strip()
    if len(typed) >= MIN_PASSWORD_LENGTH and not password_problem(typed):
        return f"{typed[:2]}…（{len(typed)} 个字符，可能是密码，未记录）"
    return typed[:40]


@dataclass(frozen=True)
class Attempt:
    """What a failed sign-in leaves on the account."""

    failed_attempts: int
    locked_until: datetime | None

    @property
    def locked_out(self) -> bool:
        return self.locked_until is not None


def after_failure(failed_attempts: int, now: datetime) -> Attempt:
    """The account after one more wrong password: the fifth in a row locks it for
    LOCK_OUT and starts the count again."""
    count = failed_attempts + 1
    if count >= MAX_FAILED_ATTEMPTS:
        return Attempt(0, now + LOCK_OUT)
    return Attempt(count, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    """Whether a lock-out is still running at `now`."""
    return locked_until is not None and now < locked_until


def may_lock_run(roles: Iterable[str], user_id: str, creator_id: str | None,
                 maker_checker: bool) -> str:
    """'' when this user may lock a run created by `creator_id`, else the reason.
    With maker–checker on, the creator never locks their own run; a run made
    before users existed (no creator) may be locked by any user allowed to lock."""
    roles = list(roles)
    if not allowed(roles, LOCK_RUN):
        return refusal(roles, LOCK_RUN)
    if maker_checker and creator_id is not None and creator_id == user_id:
        return "已开启“双人复核”：发放批次须由生成人以外的人员锁定"
    return ""
