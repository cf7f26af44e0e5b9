"""How the 审计日志 screen and its export read an audit row (ACCESS.md): the
filter, tables and actions in Chinese, the local dates of a filter as UTC bounds
of `audit_log.at`, and what changed between a row's before and after, with
personal numbers masked. Pure: no I/O; the time zone is passed in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from desktop.domain import access, identifiers
from desktop.domain import problems as problem_rules
from desktop.domain.field_labels import EMPTY, FIELD_LABELS, FLAGS, value_text
from desktop.domain.labels import yes_no_label
from desktop.domain.payrun_kinds import KIND_LABELS as RUN_KIND_LABELS
from desktop.domain.payrun_kinds import STATUS_LABELS as RUN_STATUS_LABELS

PAGE_SIZE = 200
ACCESS_EVENT = "access_event"

TABLE_LABELS: Mapping[str, str] = {
    "organization": "组织", "instructor": "指导员", "liaison_officer": "联络员",
    "instructor_assignment": "指导员挂钩", "posting": "联络员派驻", "assessment": "考核等次",
    "guidance_station": "指导站", "area": "区划", "subsidy_policy": "补贴标准",
    "payment_run": "发放批次", "bulletin": "组工信息", "visit": "走访记录", "problem": "问题",
    "problem_step": "问题办理步骤", "app_setting": "设置", "app_user": "用户",
    ACCESS_EVENT: "登录与权限事件",
}
ACTION_LABELS: Mapping[str, str] = {"insert": "新增", "update": "修改", "delete": "删除"}
EVENT_KIND_LABELS: Mapping[str, str] = {
    "sign_in": "登录", "sign_out": "退出登录", "sign_in_failed": "登录失败",
    "locked_out": "账户锁定", "refused": "拒绝操作", "user_added": "新建用户",
    "role_change": "角色变更", "user_disabled": "停用账户", "password_reset": "重置密码",
    "password_changed": "修改密码", "recovery_code": "生成恢复码",
    "recovery_reset": "用恢复码重置密码", "reveal": "查看完整个人信息",
    "user_enabled": "启用账户", "user_unlocked": "解除锁定", "user_renamed": "修改姓名",
    "session_locked": "空闲锁定", "session_resumed": "解除空闲锁定",
}
# The fields of the other tables, beside the registry's (desktop.domain.field_labels).
_MORE_FIELDS: Mapping[str, str] = {
    "id": "记录ID", "key": "设置项", "value": "值", "created_at": "创建时间",
    "updated_at": "修改时间", "deleted_at": "删除时间", "login": "用户名",
    "display_name": "姓名", "roles": "角色", "password_changed_at": "密码修改时间",
    "must_change": "须修改密码", "failed_attempts": "连续密码错误次数",
    "locked_until": "锁定至", "disabled": "已停用", "last_sign_in": "最近登录",
    "at": "时间", "user_id": "用户ID", "detail": "说明", "period": "期间",
    "period_start": "期间开始", "period_end": "期间结束", "policy_json": "补贴标准",
    "status": "状态", "total_fen": "合计（元）", "created_by": "生成人", "locked_at": "锁定时间",
    "locked_by": "锁定人", "audit_hash": "审计校验码", "lines_sha256": "明细校验值",
    "adjusts": "调整的批次", "created_by_user_id": "生成人用户ID", "number": "期号",
    "issued_on": "印发日期", "content_json": "内容", "visit_id": "走访记录",
    "visited_on": "走访日期", "findings": "走访情况", "found_on": "发现日期",
    "category": "问题类别", "description": "问题描述", "responsible_unit": "责任单位",
    "responsible_person": "责任人", "deadline": "办结时限", "outcome": "办理情况",
    "evaluation": "评价", "problem_id": "问题", "seq": "序号", "taken_on": "办理日期",
    "action": "办理", "status_after": "办理后状态", "taken_by": "办理人",
}
_TABLE_ENUMS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "payment_run": {"kind": RUN_KIND_LABELS, "status": RUN_STATUS_LABELS},
    "bulletin": {"status": {"draft": "草稿", "issued": "已印发"}},
    "visit": {"kind": problem_rules.VISIT_KIND_LABELS},
    "problem": {"category": problem_rules.CATEGORY_LABELS,
                "status": problem_rules.STATUS_LABELS,
                "evaluation": problem_rules.EVALUATION_LABELS},
    "problem_step": {"action": problem_rules.ACTION_LABELS,
                     "status_after": problem_rules.STATUS_LABELS,
                     "evaluation": problem_rules.EVALUATION_LABELS},
    ACCESS_EVENT: {"kind": EVENT_KIND_LABELS},
}
_MORE_FLAGS = frozenset({"must_change", "disabled"})
_MOMENTS = frozenset({"at", "created_at", "updated_at", "deleted_at", "locked_at", "last_sign_in",
                      "locked_until", "password_changed_at"})  # UTC stamps, shown local
_MASKS = {"id_number": identifiers.mask_id_number, "phone": identifiers.mask_phone,
          "contact_phone": identifiers.mask_phone, "bank_account": identifiers.mask_bank_account}
# Bookkeeping every update changes: the detail shows it, the summary does not.
_QUIET = frozenset({"updated_at", "created_at", "password_changed_at"})
_LONG = frozenset({"policy_json", "content_json"})  # JSON documents: "已修改", not the text
SUMMARY_FIELDS = 4  # fields named in one summary line before "等"
_VALUE_CHARS = 40  # a value longer than this is cut in the summary


@dataclass(frozen=True)
class AuditFilter:
    """What the 审计日志 screen filters by. Dates are local calendar days, both
    ends included; empty text and None mean "any"."""

    operator: str = ""
    date_from: date | None = None
    date_to: date | None = None
    table: str = ""
    row_id: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE


def table_label(table: str) -> str:
    """The Chinese name of an audited table (an unknown one keeps its name)."""
    return TABLE_LABELS.get(table, table)


def action_label(action: str, table: str = "", row: Mapping[str, Any] | None = None) -> str:
    """新增 / 修改 / 删除; for a sign-in or access event, the event's kind (登录 …)."""
    if table == ACCESS_EVENT and row and row.get("kind"):
        return EVENT_KIND_LABELS.get(str(row["kind"]), str(row["kind"]))
    return ACTION_LABELS.get(action, action)


_PEOPLE = frozenset({"instructor", "liaison_officer"})


def field_label(field: str, table: str = "") -> str:
    """The Chinese name of a logged column (a person's name is 姓名); an
    unknown one keeps its name."""
    if field == "name" and table in _PEOPLE:
        return "姓名"
    return FIELD_LABELS.get(field) or _MORE_FIELDS.get(field, field)


def _stamp(moment: datetime) -> str:
    # audit_log.at as the triggers write it: strftime('%Y-%m-%dT%H:%M:%fZ'), milliseconds.
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def day_bounds(date_from: date | None, date_to: date | None,
               zone: tzinfo | None = None) -> tuple[str, str]:
    """(first, after) UTC bounds of `at` for the local days `date_from` to
    `date_to`, both included: first <= at < after; '' where a side is open.
    `zone` None: this PC's local time zone (the clerk's calendar)."""
    def start_of(day: date) -> str:
        local = datetime.combine(day, time())
        return _stamp(local.replace(tzinfo=zone) if zone else local.astimezone())
    first = start_of(date_from) if date_from else ""
    after = start_of(date_to + timedelta(days=1)) if date_to else ""
    return first, after


def local_time(stamp: str, zone: tzinfo | None = None) -> str:
    """A stored UTC `at` as local date and second (`zone` None: this PC's)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(stamp or "")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def parse_row(text: str | None) -> dict[str, Any]:
    """A before_json / after_json as a dict; empty for NULL or text that is not an object."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def value_shown(table: str, field: str, value: Any, zone: tzinfo | None = None) -> str:
    """A logged value as the screen shows it: Chinese labels for codes, 是/否,
    元 for fen, roles by name, times local (`zone` None: this PC's), personal
    numbers masked."""
    if value is None or value == "":
        return EMPTY
    if field in _MASKS:
        return _MASKS[field](str(value))
    enums = _TABLE_ENUMS.get(table, {})
    if field in enums:
        return enums[field].get(str(value), str(value))
    if field in _MORE_FLAGS and field not in FLAGS:
        return yes_no_label(bool(value))
    if field == "roles" and table == "app_user":
        return access.roles_text(_roles(value))
    if field in _LONG:
        return f"（{len(str(value))} 字符）"
    if field in _MOMENTS:
        return local_time(str(value), zone)
    return value_text(field, value, {})


def _roles(value: Any) -> list[str]:
    try:
        roles = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return [str(value)]
    return [str(r) for r in roles] if isinstance(roles, list) else [str(roles)]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields whose value differs between `before` and `after`, in the
    order the row logs them (a field only one side has counts as changed)."""
    names = list(after) + [name for name in before if name not in after]
    return [name for name in names if before.get(name) != after.get(name)]


@dataclass(frozen=True)
class FieldLine:
    """One field of an entry's detail: its label, the values shown, and whether it changed."""

    label: str
    before: str
    after: str
    changed: bool


def detail_lines(table: str, before: Mapping[str, Any],
                 after: Mapping[str, Any]) -> list[FieldLine]:
    """Every field of an entry (the changed ones first), values as shown on screen."""
    changed = set(changed_fields(before, after))
    names = list(after) + [name for name in before if name not in after]
    ordered = [n for n in names if n in changed] + [n for n in names if n not in changed]
    return [FieldLine(field_label(n, table), value_shown(table, n, before.get(n)) if before else "",
                      value_shown(table, n, after.get(n)) if after else "", n in changed)
            for n in ordered]


def _cut(text: str) -> str:
    return text if len(text) <= _VALUE_CHARS else text[:_VALUE_CHARS - 1] + "…"


def _named(table: str, row: Mapping[str, Any]) -> str:
    for field in ("name", "display_name", "login", "period", "key"):
        if row.get(field):
            return _cut(value_shown(table, field, row[field]))
    return ""


def _event_summary(row: Mapping[str, Any]) -> str:
    # The kind is the entry's 操作 (action_label); here who and why.
    login = str(row.get("login") or "") or "（未知用户）"
    detail = str(row.get("detail") or "")
    return f"{login}：{_cut(detail)}" if detail else login


def _which(table: str, row: Mapping[str, Any]) -> str:
    name = _named(table, row)
    return table_label(table) + (f"“{name}”" if name else "")


_NOT_NEW = _QUIET | {"id", "deleted_at"}


def _new_fields(table: str, row: Mapping[str, Any], fields: int | None) -> str:
    """A new record without a name (an assessment, a posting): its filled fields."""
    filled = [f for f, v in row.items() if f not in _NOT_NEW and v not in (None, "")]
    named = filled if fields is None else filled[:fields]
    shown = "，".join(f"{field_label(f, table)} {_cut(value_shown(table, f, row[f]))}"
                     for f in named)
    more = f" 等 {len(filled)} 项" if len(named) < len(filled) else ""
    return f"新增{table_label(table)}" + (f"：{shown}{more}" if shown else "")


def summary(table: str, action: str, before: Mapping[str, Any], after: Mapping[str, Any],
            *, fields: int | None = SUMMARY_FIELDS) -> str:
    """One line on what an entry did: an event's kind, a new or deleted record's
    name, the fields an update changed ("联系电话：138****0000 → 139****1111"),
    at most `fields` of them (None: all)."""
    if table == ACCESS_EVENT:
        return _event_summary(after or before)
    if action == "insert":
        return f"新增{_which(table, after)}" if _named(table, after) else \
            _new_fields(table, after, fields)
    if action == "delete":
        return f"删除{_which(table, before)}"
    if not before.get("deleted_at") and after.get("deleted_at"):
        return f"删除{_which(table, after)}（标记删除）"
    changed = [f for f in changed_fields(before, after) if f not in _QUIET]
    if not changed:
        return "无内容变化"
    named = changed if fields is None else changed[:fields]
    shown = [f"{field_label(f, table)}：{_cut(value_shown(table, f, before.get(f)))} → "
             f"{_cut(value_shown(table, f, after.get(f)))}" for f in named]
    more = f" 等 {len(changed)} 项" if len(named) < len(changed) else ""
    return "；".join(shown) + more
