"""Payment runs end to end: database → run → lines (POLICY.md §3–§5)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from desktop.db import payruns as store
from desktop.db.audit import verify_chain
from desktop.domain.registry import Assessment, LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import payruns, policy, registry
from factories import id_number

TODAY = date(2026, 12, 31)


@pytest.fixture
def zone_id(db):
    return next(a.id for a in registry.townships(db) if a.name == "经开区")


def add_officer(db, serial, name, area_id, *spans, org_name=None):
    """An officer posted to one new organization for each (start, end) span."""
    officer = registry.create(db, LiaisonOfficer(
        name=name, id_number=id_number(serial), home_unit="县委组织部",
        bank_name="农商银行", bank_account=f"62301000{serial:08d}"))
    for k, (start, end) in enumerate(spans):
        org = registry.create(db, Organization(name=org_name or f"{name}驻点企业{k + 1}",
                                               area_id=area_id))
        registry.create(db, Posting(officer_id=officer, organization_id=org,
                                    start_on=start, end_on=end))
    return officer


def stipend(db, period, today=TODAY):
    return payruns.get_run(db, payruns.create_stipend_run(db, period, today=today))


@pytest.fixture
def example(db, township_id):
    """POLICY.md §3's worked example: posted 2026-03-10 to 2026-05-20, daily, 2000.00."""
    policy.set_policy(db, 2026)
    return add_officer(db, 1, "张三", township_id, (date(2026, 3, 10), date(2026, 5, 20)))


def test_worked_example_quarter(db, example):
    detail = stipend(db, "2026-Q2")
    assert detail.run.total_fen == 329032
    (line,) = detail.lines
    assert (line.officer_name, line.amount_fen, line.posted_days) == ("张三", 329032, 50)
    assert [(m.month, m.posted_days, m.amount_fen) for m in line.months] == [
        ("2026-04", 30, 200000), ("2026-05", 20, 129032), ("2026-06", 0, 0)]
    assert line.months[1].rule == "按日折算 20/31"


def test_worked_example_march_alone(db, example):
    detail = stipend(db, "2026-03")
    assert detail.run.total_fen == 141935
    assert detail.lines[0].months[0].posted_days == 22


def test_worked_example_json_shape(db, example):
    data = payruns.run_as_json(stipend(db, "2026-Q2"))
    assert set(data) == {"id", "kind", "period", "status", "total_fen", "lines"}
    assert (data["kind"], data["period"], data["status"], data["total_fen"]) == (
        "stipend", "2026-Q2", "draft", 329032)
    line = data["lines"][0]
    assert set(line) == {"name", "id_number", "amount_fen", "grade", "months", "note"}
    assert line["grade"] is None and line["id_number"] == id_number(1)
    assert line["months"][0] == {"month": "2026-04", "posted_days": 30, "amount_fen": 200000,
                                 "note": ""}
    json.dumps(data, ensure_ascii=False)


def test_policy_stored_with_run(db, example):
    detail = stipend(db, "2026-03")
    assert detail.policy.monthly_stipend_fen == 200000
    policy.set_policy(db, 2026, monthly="2500")
    assert payruns.get_run(db, detail.run.id).policy.monthly_stipend_fen == 200000
    payruns.recompute_run(db, detail.run.id, today=TODAY)
    again = payruns.get_run(db, detail.run.id)
    assert again.policy.monthly_stipend_fen == 250000
    assert again.run.total_fen == 177419  # 2500 × 22/31 = 1774.19


def test_half_month_proration(db, example):
    policy.set_policy(db, 2026, proration="half_month")
    line = stipend(db, "2026-Q2").lines[0]
    assert [m.amount_fen for m in line.months] == [200000, 200000, 0]


def test_no_policy_refused(db, township_id):
    add_officer(db, 1, "张三", township_id, (date(2025, 3, 1), None))
    with pytest.raises(UserError, match="2025年度尚未设置补贴标准"):
        payruns.create_stipend_run(db, "2025-03", today=TODAY)
    policy.set_policy(db, 2026)  # another year's policy is never used instead
    with pytest.raises(UserError, match="2025年度尚未设置补贴标准"):
        payruns.create_bonus_run(db, 2025, today=TODAY)


def test_future_months_refused(db, example):
    with pytest.raises(UserError, match="尚未开始的月份"):
        payruns.create_stipend_run(db, "2026-Q2", today=date(2026, 5, 15))
    run_id = payruns.create_stipend_run(db, "2026-05", today=date(2026, 5, 15))
    assert payruns.get_run(db, run_id).run.total_fen == 129032
    with pytest.raises(UserError, match="尚未开始"):
        payruns.create_bonus_run(db, 2027, today=date(2026, 5, 15))


def test_bad_kind_and_period(db, example):
    with pytest.raises(UserError, match="按年度发放"):
        payruns.create_run(db, "bonus", "2026-Q1", today=TODAY)
    with pytest.raises(UserError, match="发放类别"):
        payruns.create_run(db, "overtime", "2026", today=TODAY)
    with pytest.raises(UserError, match="期间格式"):
        payruns.create_run(db, "stipend", "2026-13", today=TODAY)


def test_open_posting_and_people_left_out(db, township_id, zone_id):
    policy.set_policy(db, 2026)
    add_officer(db, 1, "甲", township_id, (date(2026, 1, 1), None))
    add_officer(db, 2, "乙", zone_id, (date(2026, 7, 1), None))  # not posted in Q2
    add_officer(db, 3, "丙", zone_id, (date(2025, 1, 1), date(2026, 3, 31)))  # ended before
    detail = stipend(db, "2026-Q2")
    assert [line.officer_name for line in detail.lines] == ["甲"]
    assert detail.run.total_fen == 600000


def test_overlapping_postings_count_once(db, township_id):
    policy.set_policy(db, 2026)
    add_officer(db, 1, "甲", township_id, (date(2026, 4, 1), date(2026, 4, 20)),
                (date(2026, 4, 10), date(2026, 5, 5)))
    line = stipend(db, "2026-Q2").lines[0]
    assert [m.posted_days for m in line.months] == [30, 5, 0]
    assert line.amount_fen == 200000 + 32258  # 2000 × 5/31 = 322.58
    assert line.organizations == "甲驻点企业1、甲驻点企业2"


def test_lines_grouped_by_township_in_area_order(db, township_id, zone_id):
    policy.set_policy(db, 2026)
    add_officer(db, 1, "赵", zone_id, (date(2026, 1, 1), None))
    add_officer(db, 2, "钱", township_id, (date(2026, 1, 1), None))
    add_officer(db, 3, "孙", zone_id, (date(2026, 1, 1), None))
    lines = stipend(db, "2026-03").lines
    assert [(l.seq, l.township) for l in lines] == [(1, "城关镇"), (2, "经开区"), (3, "经开区")]


def test_no_double_payment_across_runs(db, example):
    first = stipend(db, "2026-Q2")
    payruns.lock_run(db, first.run.id)
    second = stipend(db, "2026")  # the whole year: Q2 months were paid already
    (line,) = second.lines
    by_month = {m.month: m for m in line.months}
    assert by_month["2026-03"].amount_fen == 141935 and by_month["2026-03"].note == ""
    assert (by_month["2026-04"].amount_fen, by_month["2026-04"].note) == (0, "已发放")
    assert (by_month["2026-05"].amount_fen, by_month["2026-05"].note) == (0, "已发放")
    assert line.note == "部分月份已发放"
    assert second.run.total_fen == 141935
    payruns.lock_run(db, second.run.id)
    with pytest.raises(UserError, match="已由已锁定的批次 .+全部发放"):
        stipend(db, "2026-Q2")  # nothing left to pay: no sheet of 0.00 lines


def test_person_entered_again_is_not_paid_again(db, example, township_id):
    """An officer deleted and entered again (a new record, the same ID number) keeps
    what was paid: months and bonuses."""
    payruns.lock_run(db, stipend(db, "2026-Q2").run.id)
    registry.create(db, Assessment(officer_id=example, year=2026, grade="good"))
    payruns.lock_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    registry.delete(db, LiaisonOfficer, example)
    again = add_officer(db, 1, "张三", township_id, (date(2026, 3, 10), date(2026, 6, 30)))
    registry.create(db, Assessment(officer_id=again, year=2026, grade="good"))
    (line,) = stipend(db, "2026-Q2").lines
    assert line.officer_id == again
    assert [(m.month, m.amount_fen, m.note) for m in line.months] == [
        ("2026-04", 0, "已发放"), ("2026-05", 0, "已发放"), ("2026-06", 200000, "")]
    with pytest.raises(UserError, match="全部发放"):  # the one bonus line would be 0
        payruns.create_bonus_run(db, 2026, today=TODAY)


def test_person_entered_again_cannot_lock_a_stale_draft(db, example, township_id):
    old_record = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    registry.delete(db, LiaisonOfficer, example)
    add_officer(db, 1, "张三", township_id, (date(2026, 3, 10), date(2026, 5, 20)))
    new_record = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, old_record)
    with pytest.raises(UserError, match="请先重新计算"):
        payruns.lock_run(db, new_record)
    payruns.recompute_run(db, new_record, today=TODAY)
    assert payruns.get_run(db, new_record).run.total_fen == 0


def test_postings_to_a_deleted_organization_are_not_paid(db, township_id):
    policy.set_policy(db, 2026)
    officer = add_officer(db, 2, "王五", township_id, (date(2026, 4, 1), None))
    add_officer(db, 3, "李四", township_id, (date(2026, 4, 1), None))
    org_id = db.execute("select organization_id from posting where officer_id = ?",
                        (officer,)).fetchone()[0]
    registry.delete(db, Organization, org_id)
    run = stipend(db, "2026-06")
    assert [line.officer_name for line in run.lines] == ["李四"]


def test_stale_draft_cannot_be_locked(db, example):
    one = payruns.create_stipend_run(db, "2026-04", today=TODAY)
    two = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)  # drafts do not count as paid
    assert payruns.get_run(db, two).run.total_fen == 329032
    payruns.lock_run(db, one)
    with pytest.raises(UserError, match="请先重新计算"):
        payruns.lock_run(db, two)
    payruns.recompute_run(db, two, today=TODAY)
    assert payruns.get_run(db, two).run.total_fen == 129032
    payruns.lock_run(db, two)


def test_draft_delete_and_recompute(db, example):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    assert [r.id for r in payruns.list_runs(db)] == [run_id]
    payruns.delete_run(db, run_id)
    assert payruns.list_runs(db) == []
    with pytest.raises(UserError, match="不存在"):
        payruns.get_run(db, run_id)
    assert db.execute("select count(*) from payment_line").fetchone()[0] == 0


def test_locked_run_refused_by_service(db, example):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, run_id)
    for action, message in ((payruns.recompute_run, "不能重新计算"),
                            (payruns.delete_run, "不能删除"), (payruns.lock_run, "已锁定")):
        with pytest.raises(UserError, match=message):
            action(db, run_id) if action is not payruns.recompute_run else action(
                db, run_id, today=TODAY)


def test_lock_records_operator_and_audit(db, example):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, run_id)
    run = payruns.get_run(db, run_id).run
    assert (run.status, run.locked_by) == ("locked", "测试员") and run.locked_at
    assert len(run.audit_hash) == 64
    row = db.execute("select after_json, hash from audit_log where table_name = 'payment_run'"
                     " and row_id = ? and action = 'update' order by id desc", (run_id,)).fetchone()
    assert json.loads(row[0])["status"] == "locked"
    # The hash printed on the sheet is the chain's head just before the lock entry.
    previous = db.execute("select hash from audit_log where hash != ? and id < (select id from"
                          " audit_log where hash = ?) order by id desc",
                          (row[1], row[1])).fetchone()
    assert previous[0] == run.audit_hash
    assert verify_chain(db) is None


SQL_CHANGES = (
    "update payment_run set total_fen = 1 where id = :run",
    "update payment_run set status = 'draft' where id = :run",
    "update payment_run set deleted_at = 'x' where id = :run",
    "delete from payment_run where id = :run",
    "update payment_line set amount_fen = 1 where run_id = :run",
    "delete from payment_line where run_id = :run",
    "insert into payment_line (id, run_id, officer_id, seq, officer_name, id_number, amount_fen,"
    " created_at, updated_at) select 'x', run_id, officer_id, 99, 'x', id_number, 5, 'x', 'x'"
    " from payment_line where run_id = :run",
    "update payment_line set months_json = json_set(months_json, '$[0][3]', 1)"
    " where run_id = :run",
    "update payment_line set months_json = '[]' where run_id = :run",
)


@pytest.mark.parametrize("sql", SQL_CHANGES)
def test_database_refuses_changing_locked_run(db, example, sql):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, run_id)
    before = payruns.run_as_json(payruns.get_run(db, run_id))
    with pytest.raises(sqlite3.IntegrityError, match="发放批次已锁定"):
        db.execute(sql, {"run": run_id})
    assert payruns.run_as_json(payruns.get_run(db, run_id)) == before


def test_store_refuses_locked_run(db, example):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    payruns.lock_run(db, run_id)
    with pytest.raises(UserError, match="发放批次已锁定"):
        store.delete_draft(db, run_id)
    with pytest.raises(UserError, match="发放批次已锁定"):
        store.replace_lines(db, run_id, "{}", [])
    assert payruns.get_run(db, run_id).run.total_fen == 329032


def test_bonus_run(db, township_id, zone_id):
    policy.set_policy(db, 2026, bonus_min_days=100)
    a = add_officer(db, 1, "甲", township_id, (date(2025, 6, 1), None))
    b = add_officer(db, 2, "乙", township_id, (date(2026, 1, 1), date(2026, 6, 30)))
    c = add_officer(db, 3, "丙", zone_id, (date(2026, 11, 1), None))  # 61 days, below 100
    add_officer(db, 4, "丁", zone_id, (date(2026, 1, 1), None))  # no grade recorded
    registry.create(db, Assessment(officer_id=a, year=2026, grade="excellent"))
    registry.create(db, Assessment(officer_id=b, year=2026, grade="good"))
    registry.create(db, Assessment(officer_id=b, year=2025, grade="excellent"))
    registry.create(db, Assessment(officer_id=c, year=2026, grade="competent"))
    detail = payruns.get_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    got = {l.officer_name: (l.grade, l.amount_fen, l.posted_days, l.note) for l in detail.lines}
    assert got == {"甲": ("excellent", 1000000, 365, ""), "乙": ("good", 500000, 181, ""),
                   "丙": ("competent", 0, 61, "驻企天数61天，不足100天"),
                   "丁": (None, 0, 365, "未考核")}
    assert detail.run.total_fen == 1500000
    data = payruns.run_as_json(detail)
    by_name = {line["name"]: line for line in data["lines"]}
    assert by_name["甲"]["grade"] == "优秀" and by_name["甲"]["months"] == []
    assert by_name["丁"]["grade"] is None


def test_bonus_paid_once_per_year(db, township_id):
    policy.set_policy(db, 2026, prorate_bonus=True)
    a = add_officer(db, 1, "甲", township_id, (date(2026, 7, 1), None))
    registry.create(db, Assessment(officer_id=a, year=2026, grade="competent"))
    first = payruns.create_bonus_run(db, "2026", today=TODAY)
    assert payruns.get_run(db, first).run.total_fen == 151233  # 3000 × 184/365
    payruns.lock_run(db, first)
    b = add_officer(db, 2, "乙", township_id, (date(2026, 7, 1), None))
    registry.create(db, Assessment(officer_id=b, year=2026, grade="competent"))
    second = payruns.get_run(db, payruns.create_bonus_run(db, 2026, today=TODAY))
    assert {(line.officer_name, line.amount_fen, line.note) for line in second.lines} == {
        ("甲", 0, "已发放"), ("乙", 151233, "")}


def test_empty_period_refused(db, township_id):
    policy.set_policy(db, 2026)
    with pytest.raises(UserError, match="没有派驻在岗"):
        payruns.create_stipend_run(db, "2026-03", today=TODAY)


def test_deleted_officer_and_posting_left_out(db, township_id):
    policy.set_policy(db, 2026)
    gone = add_officer(db, 1, "甲", township_id, (date(2026, 1, 1), None))
    add_officer(db, 2, "乙", township_id, (date(2026, 1, 1), None))
    registry.delete(db, LiaisonOfficer, gone)
    assert [l.officer_name for l in stipend(db, "2026-03").lines] == ["乙"]


def test_export_xlsx_matches_run(db, example, township_id, tmp_path):
    from decimal import Decimal

    from openpyxl import load_workbook

    add_officer(db, 2, "李四", township_id, (date(2026, 1, 1), None))
    payruns.lock_run(db, payruns.create_stipend_run(db, "2026-04", today=TODAY))
    detail = stipend(db, "2026-Q2")
    path = payruns.export_subsidy_sheet(db, detail.run.id, tmp_path / "q2.xlsx",
                                        today=date(2026, 7, 1))
    ws = load_workbook(path).active
    assert ws["A1"].value == "本县驻企联络员工作补贴发放表（2026年第二季度）"
    names = [ws.cell(r, 2).value for r in (4, 5)]
    amounts = [Decimal(repr(ws.cell(r, 9).value)) * 100 for r in (4, 5)]
    assert names == [l.officer_name for l in detail.lines]
    assert amounts == [l.amount_fen for l in detail.lines]
    assert ws["L4"].value == "4月已发放"  # 张三 before 李四 (code point order)
    assert Decimal(repr(ws["I7"].value)) * 100 == detail.run.total_fen == sum(amounts)


def test_export_refuses_unknown_suffix(db, example, tmp_path):
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    with pytest.raises(UserError, match=".xlsx 或 .pdf"):
        payruns.export_subsidy_sheet(db, run_id, tmp_path / "x.csv")


def test_preview_stores_nothing(db, example):
    lines = payruns.preview_run(db, "stipend", "2026-Q2", today=TODAY)
    assert [l.amount_fen for l in lines] == [329032]
    assert payruns.list_runs(db) == []


def test_sheet_pdf_bytes_match_the_run(db, example):
    import io
    import re

    from pypdf import PdfReader

    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    data = payruns.subsidy_sheet_pdf(db, run_id, today=date(2026, 7, 1))
    assert data[:5] == b"%PDF-"
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "张三" in text and "3,290.32" in text and "草稿" in text
    with pytest.raises(UserError, match="不存在"):
        payruns.subsidy_sheet_pdf(db, "no-such-run")


def test_lines_are_sealed_on_the_audited_run_not_audited_row_by_row(db, example):
    from desktop.services import maintenance

    before = db.execute("select count(*) from audit_log").fetchone()[0]
    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    audited = db.execute("select table_name, after_json from audit_log where id > ?",
                         (before,)).fetchall()
    assert [r[0] for r in audited] == ["payment_run"]  # one entry, not one per line
    sealed = json.loads(audited[0][1])["lines_sha256"]
    assert sealed == store.stored_lines_digest(db, run_id) and len(sealed) == 64
    policy.set_policy(db, 2026, monthly="2100")
    payruns.recompute_run(db, run_id, today=TODAY)
    resealed = db.execute("select lines_sha256 from payment_run where id = ?",
                          (run_id,)).fetchone()[0]
    assert resealed != sealed and resealed == store.stored_lines_digest(db, run_id)
    assert maintenance.check(db) == []
    # A change made behind the app's back (here to a draft, through plain SQL) is found.
    db.execute("update payment_line set months_json = json_set(months_json, '$[1][3]',"
               " json_extract(months_json, '$[1][3]') + 1)")
    assert maintenance.check(db) == ["发放批次 2026-Q2 的明细与生成时的校验值不符，可能被改动"]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.tuples(st.text(max_size=8), st.integers(0, 31), st.integers(28, 31),
                          st.integers(-10**12, 10**12), st.text(max_size=20), st.text(max_size=6)),
                max_size=12))
def test_months_json_is_what_json_dumps_gives(months):
    from desktop.db.payruns import _months_json
    from desktop.domain.stipend import MonthLine

    lines = tuple(MonthLine(*m) for m in months)
    expected = json.dumps([list(m) for m in months], ensure_ascii=False, separators=(",", ":"))
    assert _months_json(lines) == expected
    assert json.loads(_months_json(lines)) == [list(m) for m in months]


def test_a_failed_export_leaves_no_file_behind(db, example, tmp_path, monkeypatch):
    """The sheet is written beside the target and moved onto it whole: a write that
    fails half-way leaves neither a partial sheet nor a temporary file."""
    from desktop.services import payruns as service

    run_id = payruns.create_stipend_run(db, "2026-Q2", today=TODAY)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "发放表.xlsx"
    target.write_bytes(b"the sheet exported yesterday")

    def broken(path, sheet):
        path.write_bytes(b"PK half a workbook")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(service, "write_subsidy_sheet", broken)
    with pytest.raises(UserError, match="磁盘空间不足"):
        payruns.export_subsidy_sheet(db, run_id, target, today=TODAY)
    assert target.read_bytes() == b"the sheet exported yesterday"
    assert [p.name for p in out.iterdir()] == ["发放表.xlsx"]
    with pytest.raises(UserError, match="文件夹不存在"):
        payruns.export_subsidy_sheet(db, run_id, out / "无" / "a.pdf", today=TODAY)
    (out / "folder.xlsx").mkdir()
    with pytest.raises(UserError, match="不是文件"):
        payruns.export_subsidy_sheet(db, run_id, out / "folder.xlsx", today=TODAY)
