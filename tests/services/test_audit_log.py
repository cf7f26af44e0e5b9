"""The 审计日志 service (ACCESS.md): filters by operator, local date, table and
record, newest-first pages with a total, the reviewer/admin-only rule, the chain
check after the log is edited behind the app's back, and the export."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from desktop.db import audit
from desktop.domain import access
from desktop.domain.audit_view import AuditFilter
from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import accounts, audit_log, registry, users
from desktop.services.workspace import database_path
from desktop.sheets.audit_sheet import HEADERS
from factories import id_number

PASSWORD = "secret2026"
IDS: dict[str, str] = {}  # what the `office` fixture made


@pytest.fixture
def office(db, township_id):
    """An administrator, a clerk who made an organization and an officer, a viewer
    and a reviewer; the administrator is signed in."""
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    for login, role in (("clerk", access.CLERK), ("viewer", access.VIEWER),
                        ("reviewer", access.REVIEWER)):
        accounts.add_user(db, login, [role], display_name=f"{access.ROLE_LABELS[role]}甲",
                          password=PASSWORD, must_change=False)
    users.sign_in(db, "clerk", PASSWORD)
    org = registry.create(db, Organization(name="审计测试企业", area_id=township_id))
    officer_id = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1),
                                                    phone="13800001111"))
    officer = registry.get(db, LiaisonOfficer, officer_id)
    registry.update(db, dataclasses.replace(officer, phone="13900002222"))
    users.sign_in(db, "admin", PASSWORD)
    IDS.update(org=org, officer=officer_id)
    return db


def entries(db, **kwargs) -> list[audit_log.AuditEntry]:
    return [e for e, _ in audit_log.list_entries(db, AuditFilter(limit=1000, **kwargs)).rows]


def test_newest_first_with_the_total_and_pages_that_do_not_overlap(office):
    everything = audit_log.list_entries(office, AuditFilter(limit=1000))
    ids = [e.id for e, _ in everything.rows]
    assert ids == sorted(ids, reverse=True) and everything.total == len(ids) > 10
    assert ids[0] == office.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    paged = []
    for offset in range(0, len(ids), 4):
        page = audit_log.list_entries(office, AuditFilter(offset=offset, limit=4))
        assert page.total == len(ids) and len(page.rows) <= 4
        paged += [e.id for e, _ in page.rows]
    assert paged == ids
    assert audit_log.list_entries(office, AuditFilter(limit=4), count=False).total == -1
    assert audit_log.count_entries(office, AuditFilter(table="liaison_officer")) == (2, {})


def test_filter_by_operator_text(office):
    clerk = entries(office, operator="录入员甲")
    assert clerk and all(e.operator.startswith("录入员甲（用户ID ") for e in clerk)
    assert {"organization", "liaison_officer"} <= {e.table for e in clerk}
    assert entries(office, operator="测试员") and not entries(office, operator="无此人")
    assert not entries(office, operator="%")  # a LIKE wildcard is a plain character here


def test_filter_by_table_and_record(office):
    officer = IDS["officer"]
    history = entries(office, table="liaison_officer", row_id=officer)
    assert [(e.action, e.summary()) for e in history] == [
        ("update", "联系电话：138****1111 → 139****2222"), ("insert", "新增联络员“张三”")]
    assert [e.id for e in entries(office, row_id=officer)] == [e.id for e in history]
    orgs = entries(office, table="organization")
    assert [e.row_id for e in orgs] == [IDS["org"]] and orgs[0].table_label == "组织"
    events = entries(office, table="access_event")
    assert events and {e.table_label for e in events} == {"登录与权限事件"}
    assert {"登录", "退出登录", "新建用户"} <= {e.action_label for e in events}


def test_filter_by_local_dates(office):
    newest = entries(office)[0]
    today = datetime.fromisoformat(newest.at.replace("Z", "+00:00")).astimezone().date()
    total = len(entries(office))
    assert len(entries(office, date_from=today, date_to=today)) == total
    assert len(entries(office, date_from=today)) == total
    assert entries(office, date_to=today - timedelta(days=1)) == []
    assert entries(office, date_from=today + timedelta(days=1)) == []
    with pytest.raises(UserError, match="起始日期不能晚于截止日期"):
        audit_log.list_entries(office, AuditFilter(date_from=today, date_to=today - timedelta(1)))


@pytest.mark.parametrize("login", ["viewer", "clerk"])
def test_only_administrators_and_reviewers_read_the_log(office, login, tmp_path):
    users.sign_in(office, login, PASSWORD)
    calls = [lambda: audit_log.list_entries(office, AuditFilter()),
             lambda: audit_log.count_entries(office, AuditFilter()),
             lambda: audit_log.chain_status(office),
             lambda: audit_log.entry(office, 1),
             lambda: audit_log.export_entries(office, AuditFilter(), tmp_path / "x.xlsx")]
    for call in calls:
        with pytest.raises(UserError, match="无权查看审计日志"):
            call()
    users.sign_in(office, "reviewer", PASSWORD)
    refused = entries(office, table="access_event")
    assert [e.summary() for e in refused if e.action_label == "拒绝操作"][:1] == [
        f"{login}：查看审计日志"]  # the refusal is itself in the log


def test_a_database_without_users_shows_the_log(db):
    assert audit_log.list_entries(db, AuditFilter()).total > 0
    assert audit_log.chain_status(db).ok


def _raw(db) -> sqlite3.Connection:
    """The file opened as an outsider would: no app functions, no app rules."""
    return sqlite3.connect(database_path(db), isolation_level=None)


def test_the_chain_check_finds_an_entry_changed_behind_the_apps_back(office):
    status = audit_log.chain_status(office)
    assert status.ok and status.text.startswith("审计日志完整：共 ")
    target = entries(office, table="liaison_officer")[-1].id
    raw = _raw(office)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET after_json = replace(after_json, '张三', '李四')"
                " WHERE id = ?", (target,))
    raw.close()
    status = audit_log.chain_status(office)
    assert not status.ok and status.first_bad == target
    assert status.text == f"审计日志已被改动：第 {target} 条起与校验值不符"


def test_the_chain_check_finds_entries_cut_from_the_end(office):
    raw = _raw(office)
    raw.execute("DROP TRIGGER audit_log_no_delete")
    raw.execute("DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)")
    raw.close()
    status = audit_log.chain_status(office)
    assert not status.ok and status.text == "审计日志不完整：末尾的 2 条记录已被删除"


def test_the_export_is_a_printable_workbook_of_every_matching_entry(office, tmp_path):
    out = tmp_path / "审计日志.xlsx"
    result = audit_log.export_entries(office, AuditFilter(), out)
    total = audit_log.count_entries(office, AuditFilter())[0]
    assert result.rows == total and "已导出" in result.describe()
    ws = load_workbook(out).active
    assert tuple(c.value for c in ws[3]) == HEADERS
    assert HEADERS[1:] == ("时间（本地时间）", "操作人", "表", "记录", "操作", "变更内容")
    assert ws.max_row == 3 + total
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.column_dimensions["G"].width > 40
    newest = entries(office)[0]
    assert ws["A4"].value == newest.id and ws["B4"].value == newest.local_at
    assert "审计日志完整" in ws["A2"].value
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "联系电话：138****1111 → 139****2222" in text
    assert "13800001111" not in text and "scrypt$" not in text
    for (digest,) in office.execute("SELECT hash FROM audit_log"):
        assert digest[:16] not in text  # neither the chain's hashes


def test_the_export_holds_only_the_filtered_entries(office, tmp_path):
    out = tmp_path / "联络员.xlsx"
    assert audit_log.export_entries(office, AuditFilter(table="liaison_officer"), out).rows == 2
    ws = load_workbook(out).active
    assert [ws.cell(r, 4).value for r in (4, 5)] == ["联络员", "联络员"]
    assert [ws.cell(r, 6).value for r in (4, 5)] == ["修改", "新增"]
    assert "表：联络员" in ws["A2"].value


def test_a_cancelled_export_leaves_no_file(office, tmp_path, monkeypatch):
    monkeypatch.setattr(audit_log, "PROGRESS_EVERY", 1)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.xlsx"

    class Cancelled(Exception):
        """Stands in for the worker's (desktop.views.worker.Cancelled)."""

    def cancel(done, total, text):
        raise Cancelled
    with pytest.raises(Cancelled):
        audit_log.export_entries(office, AuditFilter(), out, progress=cancel)
    assert list(folder.iterdir()) == []


def test_an_entry_by_number(office):
    newest = entries(office)[0]
    assert audit_log.entry(office, newest.id) == newest
    assert audit_log.entry(office, 10**9) is None
    assert audit.verify_chain(office) is None
