"""Users, sign-in and the role check every changing service calls (ACCESS.md).

The signed-in user lives on the connection (desktop.db.users.set_signed_in):
the audit log then records that user's display name and id on every change.
A database without users allows everything (old databases, CLI scripts) until
its first administrator is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from desktop.db import settings_store
from desktop.db import users as store
from desktop.db.connection import Database, current_operator, transaction
from desktop.db.file_identity import is_read_only
from desktop.domain import access
from desktop.errors import UserError
from desktop.services import passwords

WRONG = "用户名或密码不正确"
DISABLED = "该账户已停用，请联系系统管理员"
NOT_SIGNED_IN = "请先登录"
MUST_CHANGE = "须先修改密码（账户由管理员新建或重置密码后，首次登录须设置自己的密码）"
MAKER_CHECKER = "maker_checker"  # app_setting: '1' when a run is locked by a second person
IDLE_LOCK = "idle_lock_minutes"  # app_setting: minutes without input before the window locks
IDLE_LOCKED, RESUMED = "空闲锁定（未保存的输入保留）", "空闲锁定后重新验证密码"


@dataclass(frozen=True)
class User:
    """A user as the views and the CLI show it (never the hash)."""

    id: str
    login: str
    display_name: str
    roles: tuple[str, ...]
    must_change: bool
    disabled: bool
    locked_until: str | None
    last_sign_in: str | None

    @property
    def roles_text(self) -> str:
        return access.roles_text(self.roles)

    def locked_at(self, now: datetime) -> datetime | None:
        """When the lock-out ends, or None when the account is not locked at `now`."""
        until = _moment(self.locked_until)
        return until if access.is_locked(until, now) else None

    def status_text(self, now: datetime) -> str:
        """正常, 已停用, 锁定至 HH:MM (local time), 须改密码, or the last two together."""
        if self.disabled:
            return "已停用"
        until = self.locked_at(now)
        parts = [f"锁定至 {until.astimezone():%H:%M}"] if until else []
        if self.must_change:
            parts.append("须改密码")
        return "、".join(parts) or "正常"


def _public(row: store.UserRow) -> User:
    return User(row.id, row.login, row.display_name, row.roles, row.must_change, row.disabled,
                row.locked_until, row.last_sign_in)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _moment(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None


operator_text = access.operator_text


def has_users(db: Database) -> bool:
    """Whether the database has any user (then sign-in is required)."""
    return store.has_users(db)


def current_user(db: Database) -> User | None:
    """The user signed in on this connection, or None."""
    user_id = store.signed_in_id(db)
    row = store.by_id(db, user_id) if user_id else None
    return _public(row) if row else None


def _event(db: Database, kind: str, user_id: str | None, login: str, detail: str = "") -> None:
    if not is_read_only(db):
        store.add_event(db, kind, user_id, login, detail)


def record_event(db: Database, kind: str, detail: str) -> None:
    """An access event of the signed-in user (e.g. 'reveal'); nobody's when none."""
    user = current_user(db)
    _event(db, kind, user.id if user else None, user.login if user else "", detail)


# ---------------------------------------------------------------- the check

def require(db: Database, action: str) -> None:
    """Refuse (UserError, and an audited refusal) unless the signed-in user's
    roles allow `action`. A database without users allows everything."""
    if not store.has_users(db):
        return
    user_id = store.signed_in_id(db)
    row = store.by_id(db, user_id) if user_id else None
    if row is None or row.disabled:
        _event(db, "refused", user_id or None, row.login if row else "",
               access.ACTION_LABELS.get(action, action))
        raise UserError(NOT_SIGNED_IN if row is None else DISABLED)
    if row.must_change:
        raise UserError(MUST_CHANGE)
    if not access.allowed(row.roles, action):
        _event(db, "refused", row.id, row.login, access.ACTION_LABELS.get(action, action))
        raise UserError(access.refusal(row.roles, action))


def allows(db: Database, action: str) -> bool:
    """Whether the signed-in user may do `action` (what a screen or button offers;
    the services still call require()). A database without users allows all."""
    if not store.has_users(db):
        return True
    user = current_user(db)
    return user is not None and not user.disabled and access.allowed(user.roles, action)


def require_lock(db: Database, creator_id: str | None) -> None:
    """The lock check: the role, and maker–checker when the county turned it on."""
    require(db, access.LOCK_RUN)
    user_id = store.signed_in_id(db)
    row = store.by_id(db, user_id) if user_id else None
    if row is None:
        return  # no users: nothing to check
    reason = access.may_lock_run(row.roles, row.id, creator_id, maker_checker_on(db))
    if reason:
        _event(db, "refused", row.id, row.login, reason)
        raise UserError(reason)


def maker_checker_on(db: Database) -> bool:
    return settings_store.get(db, MAKER_CHECKER) == "1"


def set_maker_checker(db: Database, on: bool) -> None:
    """Turn maker–checker on or off (设置; administrators)."""
    require(db, access.CHANGE_SETTINGS)
    settings_store.put(db, MAKER_CHECKER, "1" if on else "0")


def idle_lock_minutes(db: Database) -> int:
    """Minutes without keyboard or mouse before the window locks."""
    return access.idle_minutes(settings_store.get(db, IDLE_LOCK))


def set_idle_lock_minutes(db: Database, minutes: int) -> None:
    """Change the idle-lock time (设置; administrators)."""
    require(db, access.CHANGE_SETTINGS)
    reason = access.idle_minutes_problem(minutes)
    if reason:
        raise UserError(reason)
    settings_store.put(db, IDLE_LOCK, str(minutes))


# ---------------------------------------------------------------- signing in

def sign_in(db: Database, login: str, password: str, *, now: datetime | None = None) -> User:
    """Check the password and make the user this connection's signed-in user.
    Five wrong passwords in a row lock the account for ten minutes."""
    moment = _now(now)
    if store.signed_in_id(db):  # a new sign-in ends the old one: failures are nobody's
        sign_out(db)
    row = store.by_login(db, login)
    if row is None:
        passwords.spend_like_verify(password)
        _event(db, "sign_in_failed", None, access.logged_unknown_login(login), "未知的用户名")
        raise UserError(WRONG)
    _check_password(db, row, password, moment)
    with transaction(db):
        store.set_signed_in(db, row.id, operator_text(row.display_name, row.id))
        if not is_read_only(db):
            store.update(db, row.id, failed_attempts=0, locked_until=None,
                         last_sign_in=_stamp(moment))
        _event(db, "sign_in", row.id, row.login)
    return _public(store.by_id(db, row.id) or row)


def _check_password(db: Database, row: store.UserRow, password: str, moment: datetime, *,
                    record_locked: bool = True) -> None:
    """Refuse a disabled or locked-out account, or a wrong password (counted
    toward the lock-out); the checks of signing in and of unlocking a window."""
    if row.disabled:
        _event(db, "sign_in_failed", row.id, row.login, "账户已停用")
        raise UserError(DISABLED)
    locked_until = _moment(row.locked_until)
    if access.is_locked(locked_until, moment):
        if record_locked:
            _event(db, "sign_in_failed", row.id, row.login, "账户锁定中")
        raise UserError(_locked_message(locked_until))
    if not passwords.verify_secret(password, row.password_hash):
        _failed(db, row, moment)


def _failed(db: Database, row: store.UserRow, moment: datetime) -> None:
    """Count a wrong password (locking the account at the fifth) and refuse."""
    attempt = access.after_failure(row.failed_attempts, moment)
    if is_read_only(db):
        raise UserError(WRONG)
    with transaction(db):
        store.update(db, row.id, failed_attempts=attempt.failed_attempts,
                     locked_until=_stamp(attempt.locked_until) if attempt.locked_until else None)
        _event(db, "sign_in_failed", row.id, row.login, "密码错误")
        if attempt.locked_out:
            _event(db, "locked_out", row.id, row.login,
                   f"连续 {access.MAX_FAILED_ATTEMPTS} 次密码错误")
    if attempt.locked_out:
        raise UserError(_locked_message(attempt.locked_until))
    left = access.MAX_FAILED_ATTEMPTS - attempt.failed_attempts
    raise UserError(f"{WRONG}（再错 {left} 次，账户将锁定 10 分钟）")


def _locked_message(until: datetime | None) -> str:
    shown = until.astimezone().strftime("%H:%M") if until else ""
    return (f"连续 {access.MAX_FAILED_ATTEMPTS} 次密码错误，账户已锁定 10 分钟"
            f"{f'，请于 {shown} 后再试' if shown else ''}")


def lock_session(db: Database) -> None:
    """Record that the window locked while idle; the user stays signed in (a
    background save still runs under their name) until resume() or sign-out."""
    user = current_user(db)
    if user is not None:
        _event(db, "session_locked", user.id, user.login, IDLE_LOCKED)


def resume(db: Database, password: str, *, now: datetime | None = None) -> User:
    """Unlock an idle-locked window: the signed-in user's password again, with
    the same failure count and lock-out as signing in."""
    moment = _now(now)
    user_id = store.signed_in_id(db)
    row = store.by_id(db, user_id) if user_id else None
    if row is None:
        raise UserError(NOT_SIGNED_IN)
    _check_password(db, row, password, moment, record_locked=False)
    with transaction(db):
        if not is_read_only(db) and row.failed_attempts:
            store.update(db, row.id, failed_attempts=0)
        _event(db, "session_resumed", row.id, row.login, RESUMED)
    return _public(row)


def sign_out(db: Database, operator: str = "") -> None:
    """End the signed-in user's session on this connection."""
    user = current_user(db)
    if user is not None:
        _event(db, "sign_out", user.id, user.login)
    store.clear_signed_in(db, operator)


def carry_over(db: Database, user_id: str) -> None:
    """Sign a second connection of this process (a worker's) in as `user_id`, who
    signed in on the first; refused if the user is gone or disabled meanwhile."""
    row = store.by_id(db, user_id)
    if row is None or row.disabled:
        raise UserError(NOT_SIGNED_IN if row is None else DISABLED)
    store.set_signed_in(db, row.id, operator_text(row.display_name, row.id))


def signed_in_operator(db: Database) -> str:
    """The name this connection's changes are recorded under now."""
    return current_operator(db)
