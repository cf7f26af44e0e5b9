"""Managing accounts: the first administrator, adding, disabling, roles, password
resets and the one-time recovery code (ACCESS.md). Role checks are in users.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from desktop.db import users as store
from desktop.db.connection import Database, transaction
from desktop.domain import access, text_limits
from desktop.errors import UserError
from desktop.services import passwords
from desktop.services.users import (
    User, _event, _moment, _public, current_user, operator_text, require,
)

LOGIN_MAX = 40
NAME_MAX = 40
RECOVERY_WARNING = ("请把恢复码抄写或打印后妥善保管（它只显示这一次）。"
                    "没有恢复码时，最后一名系统管理员忘记密码将无法找回。")


@dataclass(frozen=True)
class NewAccount:
    """What is shown once after an account is made or reset."""

    user: User
    temporary_password: str = ""  # set when the administrator did not choose one
    recovery_code: str = ""  # set for the first administrator


def _checked(login: str, display_name: str, roles: list[str]) -> tuple[str, str]:
    login, display_name = login.strip(), (display_name or login).strip()
    if not login:
        raise UserError("请填写登录名")
    if len(login) > LOGIN_MAX or any(c.isspace() for c in login):
        raise UserError(f"登录名最多 {LOGIN_MAX} 个字符，且不能含空格")
    if not display_name or len(display_name) > NAME_MAX:
        raise UserError(f"请填写姓名（最多 {NAME_MAX} 个字）")
    reason = access.check_roles(roles) or text_limits.too_long("settings", "operator", display_name)
    if reason:
        raise UserError(reason)
    return login, display_name


def _check_password(password: str) -> None:
    reason = access.password_problem(password)
    if reason:
        raise UserError(reason)


def _insert(db: Database, login: str, display_name: str, roles: list[str], password: str,
            must_change: bool) -> str:
    if store.by_login(db, login) is not None:
        raise UserError(f"登录名已被使用：{login}")
    user_id = store.insert(db, login, display_name, roles, passwords.hash_secret(password),
                           must_change=must_change)
    _event(db, "user_added", user_id, login, access.roles_text(roles))
    return user_id


def create_first_admin(db: Database, login: str, display_name: str, password: str) -> NewAccount:
    """The first administrator of a database without users, and its recovery code
    (returned once; only its hash is kept). Refused once any user exists."""
    login, display_name = _checked(login, display_name, [access.ADMIN])
    _check_password(password)
    code = passwords.new_recovery_code()
    with transaction(db):
        if store.has_users(db):
            raise UserError("本数据库已有用户，首位系统管理员已创建")
        user_id = _insert(db, login, display_name, [access.ADMIN], password, False)
        _store_recovery(db, code, user_id, login)
    return NewAccount(_user(db, user_id), recovery_code=code)


def _store_recovery(db: Database, code: str, user_id: str | None, login: str) -> None:
    store.put_secret(db, store.RECOVERY_CODE,
                     passwords.hash_secret(passwords.normal_recovery_code(code)))
    _event(db, "recovery_code", user_id, login, "已生成新的恢复码")


def _user(db: Database, user_id: str) -> User:
    row = store.by_id(db, user_id)
    assert row is not None
    return _public(row)


def add_user(db: Database, login: str, roles: list[str], *, display_name: str = "",
             password: str = "", must_change: bool = True) -> NewAccount:
    """Add an account (administrators). Without a password a temporary one is made
    and returned once; the user changes it at first sign-in."""
    require(db, access.MANAGE_USERS)
    login, display_name = _checked(login, display_name, list(roles))
    temporary = "" if password else passwords.temporary_password()
    _check_password(password or temporary)
    with transaction(db):
        user_id = _insert(db, login, display_name, list(dict.fromkeys(roles)),
                          password or temporary, must_change)
    return NewAccount(_user(db, user_id), temporary_password=temporary)


def list_users(db: Database) -> list[User]:
    """Every account, by login (any signed-in user may see who can sign in)."""
    return [_public(row) for row in store.all_users(db)]


def _target(db: Database, login: str) -> store.UserRow:
    row = store.by_login(db, login)
    if row is None:
        raise UserError(f"没有该用户：{login}")
    return row


def _other_admin_left(db: Database, user_id: str) -> bool:
    return any(access.ADMIN in row.roles and not row.disabled and row.id != user_id
               for row in store.all_users(db))


def disable_user(db: Database, login: str) -> None:
    """Stop an account from signing in; the last active administrator stays."""
    require(db, access.MANAGE_USERS)
    with transaction(db):  # read and checked in the write: two admins can't disable each other
        row = _target(db, login)
        if access.ADMIN in row.roles and not _other_admin_left(db, row.id):
            raise UserError("不能停用最后一名系统管理员")
        store.update(db, row.id, disabled=1)
        _event(db, "user_disabled", row.id, row.login)


def set_roles(db: Database, login: str, roles: list[str]) -> None:
    """Give an account new roles; the last administrator keeps the admin role."""
    require(db, access.MANAGE_USERS)
    reason = access.check_roles(roles)
    if reason:
        raise UserError(reason)
    with transaction(db):
        row = _target(db, login)
        if (access.ADMIN in row.roles and access.ADMIN not in roles
                and not _other_admin_left(db, row.id)):
            raise UserError("不能取消最后一名系统管理员的管理员角色")
        store.update(db, row.id, roles=list(dict.fromkeys(roles)))
        _event(db, "role_change", row.id, row.login,
               f"{access.roles_text(row.roles)} → {access.roles_text(roles)}")


ENABLED_EVENT = ("user_enabled", "重新启用")  # kinds from schema v9
UNLOCKED_EVENT = ("user_unlocked", "管理员解除锁定")


def enable_user(db: Database, login: str) -> None:
    """Let a disabled account sign in again (administrators)."""
    require(db, access.MANAGE_USERS)
    kind, detail = ENABLED_EVENT
    with transaction(db):
        row = _target(db, login)
        if not row.disabled:
            raise UserError(f"该用户未停用：{row.login}")
        store.update(db, row.id, disabled=0)
        _event(db, kind, row.id, row.login, detail)


def unlock(db: Database, login: str, *, now: datetime | None = None) -> None:
    """End a lock-out before its ten minutes are up (administrators); the count
    of wrong passwords starts again."""
    require(db, access.MANAGE_USERS)
    kind, detail = UNLOCKED_EVENT
    with transaction(db):
        row = _target(db, login)
        if not access.is_locked(_moment(row.locked_until), now or datetime.now(timezone.utc)):
            raise UserError(f"该用户未被锁定：{row.login}")
        store.update(db, row.id, locked_until=None, failed_attempts=0)
        _event(db, kind, row.id, row.login, detail)


def set_display_name(db: Database, login: str, display_name: str) -> None:
    """Give an account a new display name (administrators); the audit log keeps
    the old one in the row's before-image. A user renaming themselves is
    recorded under the new name from then on."""
    require(db, access.MANAGE_USERS)
    row = _target(db, login)
    _, display_name = _checked(row.login, display_name, list(row.roles))
    if display_name == row.display_name:
        return
    with transaction(db):
        store.update(db, row.id, display_name=display_name)
    if store.signed_in_id(db) == row.id:
        store.set_signed_in(db, row.id, operator_text(display_name, row.id))


def reset_password(db: Database, login: str) -> NewAccount:
    """An administrator's reset: a temporary password, returned once, that the
    user must change at the next sign-in; the lock-out is lifted."""
    require(db, access.MANAGE_USERS)
    row = _target(db, login)
    temporary = passwords.temporary_password()
    with transaction(db):
        store.update(db, row.id, password_hash=passwords.hash_secret(temporary), must_change=1,
                     failed_attempts=0, locked_until=None)
        _event(db, "password_reset", row.id, row.login, "管理员重置")
    return NewAccount(_user(db, row.id), temporary_password=temporary)


def change_password(db: Database, old_password: str, new_password: str) -> None:
    """The signed-in user sets a new password (also what must-change asks for)."""
    user = current_user(db)
    if user is None:
        raise UserError("请先登录")
    row = store.by_id(db, user.id)
    assert row is not None
    if not passwords.verify_secret(old_password, row.password_hash):
        raise UserError("原密码不正确")
    _check_password(new_password)
    if new_password == old_password:
        raise UserError("新密码不能与原密码相同")
    with transaction(db):
        store.update(db, row.id, password_hash=passwords.hash_secret(new_password), must_change=0)
        _event(db, "password_changed", row.id, row.login)


def reset_with_recovery_code(db: Database, login: str, code: str,
                             new_password: str) -> NewAccount:
    """Reset an administrator's password with the recovery code (no sign-in). The
    code is then spent: a new one is made and returned once."""
    row = _target(db, login)
    stored = store.get_secret(db, store.RECOVERY_CODE)
    if not stored or not passwords.verify_secret(passwords.normal_recovery_code(code), stored):
        _event(db, "refused", row.id, row.login, "恢复码不正确")
        raise UserError("恢复码不正确")
    if access.ADMIN not in row.roles:
        raise UserError("恢复码只能用于重置系统管理员的密码")
    _check_password(new_password)
    fresh = passwords.new_recovery_code()
    with transaction(db):
        # Checked again in the write: a code another process spent meanwhile is spent.
        if store.get_secret(db, store.RECOVERY_CODE) != stored:
            raise UserError("恢复码不正确")
        store.update(db, row.id, password_hash=passwords.hash_secret(new_password), must_change=0,
                     failed_attempts=0, locked_until=None, disabled=0)
        _event(db, "recovery_reset", row.id, row.login, "用恢复码重置密码")
        _store_recovery(db, fresh, row.id, row.login)
    return NewAccount(_user(db, row.id), recovery_code=fresh)


DEMO_PASSWORD = "demo1234"  # ACCESS.md: a demo, never asked to change it
DEMO_USERS = ((access.ADMIN, "演示管理员"), (access.CLERK, "演示录入员"),
              (access.FINANCE, "演示财务"), (access.REVIEWER, "演示审核员"),
              (access.VIEWER, "演示查看员"))


def add_demo_users(db: Database) -> list[User]:
    """The demo database's ready users, one per role, login = role name."""
    if store.has_users(db):
        raise UserError("演示用户只能加入没有用户的数据库")
    with transaction(db):
        ids = [_insert(db, role, name, [role], DEMO_PASSWORD, False) for role, name in DEMO_USERS]
    return [_user(db, user_id) for user_id in ids]
