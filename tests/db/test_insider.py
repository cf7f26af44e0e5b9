"""Issue 13 point 7: an insider edits the file with the guard triggers disabled or
dropped, and recomputes the (unkeyed) audit chain. `check` must notice, put the
triggers back, and a printed sheet's 审计校验码 must expose rewritten history."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.cli import main
from desktop.db import guards, migrations, payruns
from desktop.db.database import open_database
from desktop.domain.registry import Area, LiaisonOfficer, Organization, Posting
from desktop.services import registry
from factories import id_number

QUARTERS = ("2025-Q1", "2025-Q2")


@pytest.fixture
def county(tmp_path, capsys):
    """A database with three officers and a locked stipend run per quarter, with
    each run's exported sheet: {'path', 'runs': {period: id}, 'sheets': {period: xlsx}}."""
    path = tmp_path / "county.sqlite3"
    conn = open_database(path, operator="测试员")
    top = registry.create(conn, Area(name="示范县", kind="county"))
    town = registry.create(conn, Area(name="城关镇", kind="township", parent_id=top))
    org = registry.create(conn, Organization(name="示范科技有限公司", area_id=town))
    for serial in range(3):
        officer = registry.create(conn, LiaisonOfficer(name=f"张{serial}", id_number=id_number(serial)))
        registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                      start_on=date(2025, 1, 10), end_on=date(2025, 5, 20)))
    conn.close()
    cli(path, capsys, "policy", "set", "--year", "2025")
    runs, sheets = {}, {}
    for period in QUARTERS:
        run_id = cli(path, capsys, "payrun", "create", "--kind", "stipend", "--period", period)[1]
        runs[period] = run_id.strip()
        cli(path, capsys, "payrun", "lock", runs[period])
        sheets[period] = tmp_path / f"{period}.xlsx"
        cli(path, capsys, "payrun", "export", runs[period], str(sheets[period]))
    return {"path": path, "runs": runs, "sheets": sheets}


def cli(path, capsys, *args):
    code = main(["--db", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def printed_code(sheet_path) -> str:
    """The 审计校验码 as printed on an exported sheet (.xlsx or .pdf)."""
    if sheet_path.suffix == ".pdf":
        text = "".join(page.extract_text() for page in PdfReader(sheet_path).pages)
    else:
        text = "\n".join(str(cell.value) for row in load_workbook(sheet_path).active.iter_rows()
                         for cell in row if cell.value is not None)
    return re.search(r"审计校验码：([0-9a-f ]+)", text).group(1).strip()


def raw(path) -> sqlite3.Connection:
    """The file opened the way an insider would: no app functions, no guards of ours."""
    return sqlite3.connect(path, isolation_level=None)


def drop_triggers(conn) -> list[tuple[str, str]]:
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in found:
        conn.execute(f"DROP TRIGGER {name}")
    return found


def rechain(conn, *, renumber: bool = False) -> None:
    """Recompute every audit hash (the chain is unkeyed); optionally close id gaps
    and set sqlite_sequence, as a thorough insider would."""
    if renumber:
        ids = [r[0] for r in conn.execute("SELECT id FROM audit_log ORDER BY id")]
        for new, old in enumerate(ids, start=1):
            conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (new, old))
        conn.execute("UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM audit_log)"
                     " WHERE name = 'audit_log'")
    prev = ""
    rows = conn.execute("SELECT id, at, operator, table_name, row_id, action, before_json,"
                        " after_json FROM audit_log ORDER BY id").fetchall()
    for row in rows:
        text = "|".join([prev, *row[1:6], row[6] or "", row[7] or ""])
        digest = hashlib.sha256(text.encode()).hexdigest()
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, row[0]))
        prev = digest


def raise_and_reseal(conn, run_id: str) -> None:
    """+1,000 yuan on the run's first line, the total and the seal made to match."""
    conn.execute("UPDATE payment_line SET amount_fen = amount_fen + 100000"
                 " WHERE run_id = ? AND seq = 1", (run_id,))
    conn.execute("UPDATE payment_run SET total_fen = total_fen + 100000, lines_sha256 = ?"
                 " WHERE id = ?", (payruns.stored_lines_digest(conn, run_id), run_id))


# ---------------------------------------------------------------- (a) triggers disabled

@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 shell")
def test_line_raised_with_triggers_disabled_in_the_shell(county, capsys):
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    conn = raw(path)
    digest_before = payruns.stored_lines_digest(conn, run_id)
    conn.close()
    script = (".dbconfig enable_trigger off\n"
              f"UPDATE payment_line SET amount_fen = amount_fen + 100000"
              f" WHERE run_id = '{run_id}' AND seq = 1;\n")
    subprocess.run(["sqlite3", str(path)], input=script, text=True, check=True,
                   capture_output=True)
    conn = raw(path)
    digest = payruns.stored_lines_digest(conn, run_id)
    conn.close()
    assert digest != digest_before
    subprocess.run(["sqlite3", str(path)], text=True, check=True, capture_output=True,
                   input=(".dbconfig enable_trigger off\n"
                          f"UPDATE payment_run SET total_fen = total_fen + 100000,"
                          f" lines_sha256 = '{digest}' WHERE id = '{run_id}';\n"))
    code, _, err = cli(path, capsys, "check")
    assert code == 1 and "Traceback" not in err
    assert f"发放批次有 1 条记录与审计日志的最后记录不符（在审计日志之外被改动）：{run_id}" in err


def test_line_raised_with_triggers_dropped_and_recreated(county, capsys):
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    conn = raw(path)
    saved = drop_triggers(conn)
    raise_and_reseal(conn, run_id)
    for _, sql in saved:
        conn.execute(sql)
    conn.close()
    code, _, err = cli(path, capsys, "check")
    assert code == 1 and "发放批次有 1 条记录与审计日志的最后记录不符" in err
    assert "保护触发器" not in err  # they are back as they were


def test_forged_audit_row_still_fails_the_printed_code(county, capsys):
    """The insider also writes a well-chained audit row for the reseal: the database
    agrees with itself, but not with the code on the sheet printed at locking."""
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    code_on_paper = printed_code(county["sheets"]["2025-Q1"])
    conn = raw(path)
    saved = drop_triggers(conn)
    before = conn.execute("SELECT after_json FROM audit_log WHERE row_id = ?"
                          " ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()[0]
    raise_and_reseal(conn, run_id)
    after = conn.execute("SELECT json_object(" + ", ".join(
        f"'{c[1]}', {c[1]}" for c in conn.execute("PRAGMA table_info(payment_run)"))
        + ") FROM payment_run WHERE id = ?", (run_id,)).fetchone()[0]
    conn.execute("INSERT INTO audit_log (at, operator, table_name, row_id, action, before_json,"
                 " after_json, prev_hash, hash) VALUES ('2025-07-01T00:00:00.000Z', '测试员',"
                 " 'payment_run', ?, 'update', ?, ?, '', '')", (run_id, before, after))
    rechain(conn)
    for _, sql in saved:
        conn.execute(sql)
    conn.close()
    code, _, err = cli(path, capsys, "check")
    assert code == 1 and "锁定后仍有 1 条修改记录" in err
    code, out, err = cli(path, capsys, "check", "--code", code_on_paper)
    assert code == 1
    assert f"校验码 {code_on_paper}：该发放批次的合计与锁定时不符" in err
    assert "明细与锁定时的校验值不符" in err


# ---------------------------------------------------------------- (b) triggers dropped

def _delete_run_with_its_audit_rows(conn, run_id: str) -> None:
    conn.execute("DELETE FROM payment_line WHERE run_id = ?", (run_id,))
    conn.execute("DELETE FROM payment_run WHERE id = ?", (run_id,))
    conn.execute("DELETE FROM audit_log WHERE table_name = 'payment_run' AND row_id = ?",
                 (run_id,))


def test_last_run_and_its_audit_rows_deleted(county, capsys):
    path, run_id = county["path"], county["runs"]["2025-Q2"]  # the last thing done
    code_on_paper = printed_code(county["sheets"]["2025-Q2"])
    conn = raw(path)
    dropped = drop_triggers(conn)
    _delete_run_with_its_audit_rows(conn, run_id)
    rechain(conn)
    conn.close()
    code, _, err = cli(path, capsys, "check")
    assert code == 1 and "Traceback" not in err
    assert len(dropped) == len(guards.expected_triggers())  # all of them were dropped
    assert f"保护触发器缺失 {len(dropped)} 个" in err and "已恢复" in err
    assert "审计日志末尾的 2 条记录已被删除" in err
    code, _, err = cli(path, capsys, "check", "--code", code_on_paper)
    assert code == 1 and "不是本数据库审计日志中的校验码" in err
    assert "保护触发器" not in err  # put back by the first check


def test_thorough_rewrite_is_exposed_by_every_later_sheet(county, capsys):
    """Triggers recreated, ids renumbered, sqlite_sequence fixed: nothing in the file
    gives the deleted run away, but the codes printed since no longer are links."""
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    codes = {period: printed_code(county["sheets"][period]) for period in QUARTERS}
    assert cli(path, capsys, "check", "--code", codes["2025-Q1"], "--code", codes["2025-Q2"])[0] == 0
    conn = raw(path)
    saved = drop_triggers(conn)
    _delete_run_with_its_audit_rows(conn, run_id)
    rechain(conn, renumber=True)
    for _, sql in saved:
        conn.execute(sql)
    conn.close()
    for period in QUARTERS:
        code, _, err = cli(path, capsys, "check", "--code", codes[period])
        assert code == 1 and f"校验码 {codes[period]}：不是本数据库审计日志中的校验码" in err


# ---------------------------------------------------------------- triggers put back

def test_missing_altered_and_foreign_triggers_are_put_right(county, capsys):
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    conn = raw(path)
    conn.execute("DROP TRIGGER payment_line_locked_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DROP TRIGGER payment_run_locked_delete")
    conn.execute("CREATE TRIGGER payment_run_locked_delete BEFORE DELETE ON payment_run"
                 " WHEN 0 BEGIN SELECT 1; END")
    conn.execute("CREATE TRIGGER helper AFTER INSERT ON area BEGIN SELECT 1; END")
    conn.close()
    code, _, err = cli(path, capsys, "check")
    assert code == 1
    assert "保护触发器缺失 2 个（audit_log_no_delete、payment_line_locked_update），已恢复" in err
    assert "保护触发器被改动 1 个（payment_run_locked_delete），已恢复" in err
    assert "发现不属于本软件的触发器 1 个（helper），已删除" in err
    assert cli(path, capsys, "check") == (0, "检查完成：未发现问题\n", "")
    conn = open_database(path)
    with pytest.raises(sqlite3.IntegrityError, match="不能修改明细"):
        conn.execute("UPDATE payment_line SET amount_fen = 0 WHERE run_id = ?", (run_id,))
    with pytest.raises(sqlite3.IntegrityError, match="不能删除"):
        conn.execute("DELETE FROM payment_run WHERE id = ?", (run_id,))
    conn.close()


def test_unaudited_insert_edit_and_delete_of_registry_rows(county, capsys):
    path = county["path"]
    conn = raw(path)
    saved = drop_triggers(conn)
    org, area = conn.execute("SELECT id, area_id FROM organization").fetchone()
    conn.execute("UPDATE organization SET name = '改过的名称' WHERE id = ?", (org,))
    conn.execute("INSERT INTO organization (id, name, kind, area_id, created_at, updated_at)"
                 " VALUES ('ghost', '幽灵公司', 'enterprise', ?, 'x', 'x')", (area,))
    posting = conn.execute("SELECT id FROM posting LIMIT 1").fetchone()[0]
    conn.execute("DELETE FROM posting WHERE id = ?", (posting,))
    for _, sql in saved:
        conn.execute(sql)
    conn.close()
    code, _, err = cli(path, capsys, "check")
    assert code == 1
    assert f"组织有 1 条记录与审计日志的最后记录不符（在审计日志之外被改动）：{org}" in err
    assert "组织有 1 条记录在审计日志之外写入（没有对应的审计记录）：ghost" in err
    assert f"派驻有 1 条记录已不在数据库中，但审计日志没有删除记录（在审计日志之外被删除）：{posting}" in err


def test_a_migrated_database_is_clean(tmp_path, capsys):
    """Audit rows written before a column was added lack it: not an edit."""
    path = tmp_path / "old.sqlite3"
    conn = open_database(path, migrate=False)
    conn.execute("BEGIN")
    for step in migrations.MIGRATIONS[:4]:  # schema v4: no payment_run.adjusts yet
        step(conn)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("COMMIT")
    conn.execute("INSERT INTO payment_run (id, kind, period, period_start, period_end,"
                 " policy_json, created_at, updated_at) VALUES ('r', 'stipend', '2025-01',"
                 " '2025-01-01', '2025-01-31', '{}', 'x', 'x')")
    conn.close()
    open_database(path).close()  # migrates to the current schema
    from desktop.db import guards  # new with this test

    assert guards.unlogged_problems(open_database(path)) == []


# ---------------------------------------------------------------- the printed code

def test_printed_code_checks_out_on_xlsx_and_pdf(county, capsys, tmp_path):
    path, run_id = county["path"], county["runs"]["2025-Q2"]
    pdf = tmp_path / "q2.pdf"
    assert cli(path, capsys, "payrun", "export", run_id, str(pdf))[0] == 0
    code_on_paper = printed_code(county["sheets"]["2025-Q2"])
    assert re.fullmatch(r"[0-9a-f]{4}( [0-9a-f]{4}){3}", code_on_paper)
    assert printed_code(pdf) == code_on_paper
    code, out, err = cli(path, capsys, "check", "--code", code_on_paper.replace(" ", "-").upper())
    assert code == 0, err
    assert f"校验码 {code_on_paper} 有效：2025年第二季度的发放批次（3 人，合计" in out
    assert out.endswith("检查完成：未发现问题\n")


def test_an_older_sheets_code_is_accepted(county, capsys):
    """Sheets printed before printed the chain's hash at locking (run.audit_hash)."""
    path, run_id = county["path"], county["runs"]["2025-Q1"]
    conn = open_database(path)
    old_code = conn.execute("SELECT audit_hash FROM payment_run WHERE id = ?", (run_id,)).fetchone()[0]
    conn.close()
    code, out, err = cli(path, capsys, "check", "--code", old_code)
    assert code == 0, err
    assert "2025年第一季度的发放批次" in out


def test_codes_that_name_no_run(county, capsys):
    path = county["path"]
    conn = open_database(path)
    first = conn.execute("SELECT hash FROM audit_log ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    code, _, err = cli(path, capsys, "check", "--code", first[:16])
    assert code == 1 and "是审计日志中的记录，但不是发放表的校验码" in err
    code, _, err = cli(path, capsys, "check", "--code", "0000 0000 0000 000g")
    assert code == 1 and "校验码应为发放表上印的 16 位数字和字母" in err and "Traceback" not in err
    code, _, err = cli(path, capsys, "check", "--code", "abc")
    assert code == 1 and "校验码应为" in err
