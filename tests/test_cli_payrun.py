"""`liangxin-cli policy …` and `payrun …` (CLI.md): output, JSON shape, exit codes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.cli import main
from desktop.db.database import open_database
from desktop.domain.registry import Area, LiaisonOfficer, Organization, Posting
from desktop.services import registry
from factories import id_number, run_cli as run


@pytest.fixture
def db_path(tmp_path):
    """A database with the POLICY.md example officer, a year earlier (2025) so it is past."""
    path = tmp_path / "cli.sqlite3"
    conn = open_database(path, operator="测试员")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    town = registry.create(conn, Area(name="城关镇", kind="township", parent_id=county))
    officer = registry.create(conn, LiaisonOfficer(name="张三", id_number=id_number(1),
                                                   bank_account="6217000000000000001"))
    org = registry.create(conn, Organization(name="示范科技有限公司", area_id=town))
    registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                  start_on=date(2025, 3, 10), end_on=date(2025, 5, 20)))
    conn.close()
    return path


def test_policy_set_and_show(db_path, capsys):
    code, out, _ = run(db_path, capsys, "policy", "set", "--year", "2025", "--monthly", "2,100",
                       "--good", "5500.5", "--proration", "half_month", "--bonus-min-days",
                       "30", "--prorate-bonus")
    assert code == 0 and "每月工作补贴：2,100.00 元" in out
    code, out, _ = run(db_path, capsys, "policy", "show", "--year", "2025", "--json")
    assert code == 0
    assert json.loads(out) == {
        "year": 2025, "monthly_stipend_fen": 210000,
        "bonus_fen": {"excellent": 1000000, "good": 550050, "competent": 300000,
                      "incompetent": 0},
        "proration": "half_month", "bonus_min_posted_days": 30, "prorate_bonus": True}
    run(db_path, capsys, "policy", "set", "--year", "2025", "--no-prorate-bonus")
    code, out, _ = run(db_path, capsys, "policy", "show", "--year", "2025")
    assert "绩效补贴按驻企天数折算：否" in out and "按半月计" in out


def test_policy_refusals(db_path, capsys):
    code, out, err = run(db_path, capsys, "policy", "show", "--year", "2025")
    assert code == 1 and "2025年度尚未设置补贴标准" in err and "Traceback" not in err
    code, _, err = run(db_path, capsys, "policy", "set", "--year", "2025", "--monthly", "-5")
    assert code == 1 and "不能为负数" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "policy", "set", "--year", "2025", "--proration", "weekly"])
    assert exit_info.value.code == 2


def test_payrun_without_policy_refused(db_path, capsys):
    code, out, err = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                         "--period", "2025-Q2")
    assert code == 1 and out == "" and "2025年度尚未设置补贴标准" in err


def test_create_show_lock_export(db_path, capsys, tmp_path):
    run(db_path, capsys, "policy", "set", "--year", "2025")
    code, out, _ = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                       "--period", "2025-Q2")
    run_id = out.strip()
    assert code == 0 and len(run_id) == 36
    code, out, _ = run(db_path, capsys, "payrun", "show", run_id, "--json")
    assert json.loads(out) == {
        "id": run_id, "kind": "stipend", "period": "2025-Q2", "status": "draft",
        "total_fen": 329032,
        "lines": [{"name": "张三", "id_number": id_number(1), "amount_fen": 329032,
                   "grade": None, "note": "",
                   "months": [
                       {"month": "2025-04", "posted_days": 30, "amount_fen": 200000, "note": ""},
                       {"month": "2025-05", "posted_days": 20, "amount_fen": 129032, "note": ""},
                       {"month": "2025-06", "posted_days": 0, "amount_fen": 0, "note": ""}]}]}
    code, out, _ = run(db_path, capsys, "payrun", "show", run_id)
    assert "3,290.32" in out and "人民币叁仟贰佰玖拾元叁角贰分" in out
    assert id_number(1) not in out  # the terminal listing masks ID numbers
    assert run(db_path, capsys, "payrun", "lock", run_id)[0] == 0
    code, out, _ = run(db_path, capsys, "payrun", "show", run_id, "--json")
    assert json.loads(out)["status"] == "locked"
    code, _, err = run(db_path, capsys, "payrun", "delete", run_id)
    assert code == 1 and "不能删除" in err
    xlsx, pdf = tmp_path / "q2.xlsx", tmp_path / "q2.pdf"
    assert run(db_path, capsys, "payrun", "export", run_id, str(xlsx))[0] == 0
    assert run(db_path, capsys, "payrun", "export", run_id, str(pdf))[0] == 0
    ws = load_workbook(xlsx).active
    assert ws["C4"].value == id_number(1) and ws["I4"].value == 3290.32
    assert "审计校验码" in PdfReader(pdf).pages[0].extract_text()


def test_second_run_pays_nothing_twice(db_path, capsys):
    run(db_path, capsys, "policy", "set", "--year", "2025")
    first = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                "--period", "2025-04")[1].strip()
    run(db_path, capsys, "payrun", "lock", first)
    second = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                 "--period", "2025-Q2")[1].strip()
    data = json.loads(run(db_path, capsys, "payrun", "show", second, "--json")[1])
    assert data["total_fen"] == 129032
    assert data["lines"][0]["months"][0]["note"] == "已发放"
    code, out, _ = run(db_path, capsys, "payrun", "list")
    assert code == 0 and out.count("\n") == 2 and "草稿" in out and "已锁定" in out
    assert run(db_path, capsys, "payrun", "recompute", second)[0] == 0
    assert run(db_path, capsys, "payrun", "delete", second)[0] == 0
    assert run(db_path, capsys, "payrun", "list")[1].count("\n") == 1


def test_unknown_run_and_bad_output(db_path, capsys, tmp_path):
    code, _, err = run(db_path, capsys, "payrun", "show", "no-such-run")
    assert code == 1 and "发放批次不存在" in err
    code, _, err = run(db_path, capsys, "payrun", "export", "no-such-run",
                       str(tmp_path / "x.xlsx"))
    assert code == 1 and "发放批次不存在" in err
    run(db_path, capsys, "policy", "set", "--year", "2025")
    run_id = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                 "--period", "2025-Q2")[1].strip()
    code, _, err = run(db_path, capsys, "payrun", "export", run_id, str(tmp_path / "x.docx"))
    assert code == 1 and ".xlsx 或 .pdf" in err


def test_export_to_a_missing_folder_or_with_a_weak_font(db_path, capsys, tmp_path, monkeypatch):
    run(db_path, capsys, "policy", "set", "--year", "2025")
    run_id = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                 "--period", "2025-Q2")[1].strip()
    code, _, err = run(db_path, capsys, "payrun", "export", run_id,
                       str(tmp_path / "没有这个文件夹" / "q2.xlsx"))
    assert code == 1 and "文件夹不存在" in err and "Traceback" not in err
    monkeypatch.setenv("LIANGXIN_FORCE_FALLBACK_FONT", "1")
    code, _, err = run(db_path, capsys, "payrun", "export", run_id, str(tmp_path / "q2.pdf"))
    assert code == 0 and err.startswith("注意：")
    code, _, err = run(db_path, capsys, "payrun", "export", run_id, str(tmp_path / "q2.xlsx"))
    assert code == 0 and err == ""  # the font only matters to the PDF


def test_adjustment_run(db_path, capsys):
    run(db_path, capsys, "policy", "set", "--year", "2025")
    q2 = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
             "--period", "2025-Q2")[1].strip()
    code, _, err = run(db_path, capsys, "payrun", "create", "--kind", "adjustment",
                       "--period", "2025-Q2")
    assert code == 1 and "还没有已锁定的工作补贴批次" in err
    run(db_path, capsys, "payrun", "lock", q2)
    run(db_path, capsys, "policy", "set", "--year", "2025", "--monthly", "2100")
    code, out, _ = run(db_path, capsys, "payrun", "create", "--kind", "adjustment",
                       "--period", "2025-Q2")
    assert code == 0
    data = json.loads(run(db_path, capsys, "payrun", "show", out.strip(), "--json")[1])
    # April: 2,100.00 - 2,000.00; May: 20/31 of 2,100.00 = 1,354.84 - 1,290.32.
    assert (data["kind"], data["total_fen"]) == ("adjustment", 10000 + 6452)
    listed = run(db_path, capsys, "payrun", "list", "--kind", "adjustment")[1]
    assert listed.count("\n") == 1 and "工作补贴调整" in listed


def test_bonus_adjustment_run(db_path, capsys):
    import dataclasses

    from desktop.db.database import open_database
    from desktop.domain.registry import Assessment

    run(db_path, capsys, "policy", "set", "--year", "2025")
    conn = open_database(db_path)
    officer = conn.execute("select id from liaison_officer").fetchone()[0]
    grade = registry.create(conn, Assessment(officer_id=officer, year=2025, grade="competent"))
    conn.close()
    bonus = run(db_path, capsys, "payrun", "create", "--kind", "bonus", "--period", "2025")[1]
    run(db_path, capsys, "payrun", "lock", bonus.strip())
    conn = open_database(db_path)
    registry.update(conn, dataclasses.replace(registry.get(conn, Assessment, grade),
                                              grade="excellent"))  # corrected after payment
    conn.close()
    code, out, _ = run(db_path, capsys, "payrun", "create", "--kind", "bonus_adjustment",
                       "--period", "2025")
    data = json.loads(run(db_path, capsys, "payrun", "show", out.strip(), "--json")[1])
    assert code == 0 and data["kind"] == "bonus_adjustment"
    assert data["total_fen"] == 1000000 - 300000 and data["lines"][0]["grade"] == "优秀"


def test_export_pdf_names_characters_no_font_prints(db_path, capsys, tmp_path):
    from desktop.reports import glyphs
    rare = "\U00020000"  # 𠀀, CJK Extension B
    if glyphs.printable(rare):
        pytest.skip("an installed font has U+20000")
    conn = open_database(db_path, operator="测试员")
    officer = registry.list_officers(conn).rows[0][0]
    registry.update(conn, replace(officer, name=f"张{rare}"))
    conn.close()
    run(db_path, capsys, "policy", "set", "--year", "2025")
    run_id = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                 "--period", "2025-Q2")[1].strip()
    code, out, err = run(db_path, capsys, "payrun", "export", run_id, str(tmp_path / "q2.pdf"))
    assert code == 0 and "已导出" in out
    assert f"注意：第1行（张{rare}）姓名含有字体中没有的字符 {rare}（U+20000）" in err


def test_short_batch_id_from_the_sheet_is_accepted(db_path, capsys, tmp_path):
    """Issue 14 §2: 批次 63accd96 as printed on sheets names the run everywhere."""
    run(db_path, capsys, "policy", "set", "--year", "2025")
    run_id = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                 "--period", "2025-Q2")[1].strip()
    short = run_id[:8]
    code, out, _ = run(db_path, capsys, "payrun", "show", short, "--json")
    assert code == 0 and json.loads(out)["id"] == run_id
    assert run(db_path, capsys, "payrun", "show", f"批次 {short.upper()}")[0] == 0
    assert run(db_path, capsys, "payrun", "recompute", short)[0] == 0
    code, out, _ = run(db_path, capsys, "payrun", "lock", short)
    assert code == 0 and out.strip() == f"已锁定批次 {run_id}"
    assert run(db_path, capsys, "payrun", "export", short, str(tmp_path / "s.xlsx"))[0] == 0
    code, _, err = run(db_path, capsys, "payrun", "delete", short)
    assert code == 1 and "不能删除" in err
    code, _, err = run(db_path, capsys, "payrun", "show", "abc")
    assert code == 1 and "发放批次号太短：abc" in err
    code, _, err = run(db_path, capsys, "payrun", "show", "ffffffff")
    assert code == 1 and "发放批次不存在或已被删除：ffffffff" in err


def test_ambiguous_batch_prefix_is_refused_listing_the_runs(db_path, capsys, monkeypatch):
    from desktop.db import payruns as store

    ids = iter(["63accd96-0000-4000-8000-000000000001", "63accd96-1111-4000-8000-000000000002"])
    monkeypatch.setattr(store, "new_id", lambda: next(ids))
    run(db_path, capsys, "policy", "set", "--year", "2025")
    for period in ("2025-04", "2025-05"):
        assert run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                   "--period", period)[0] == 0
    code, out, err = run(db_path, capsys, "payrun", "lock", "63accd96")
    assert code == 1 and out == ""
    assert err.strip() == (
        "错误：批次号 63accd96 对应多个发放批次，请多输入几位以区分："
        "63accd96-1111-4000-8000-000000000002（2025年5月 工作补贴，草稿）；"
        "63accd96-0000-4000-8000-000000000001（2025年4月 工作补贴，草稿）")
    assert run(db_path, capsys, "payrun", "lock", "63accd96-1")[0] == 0  # a longer prefix


def test_overlapping_draft_warns_on_stderr_and_a_paid_period_is_refused(db_path, capsys):
    run(db_path, capsys, "policy", "set", "--year", "2025")
    quarter = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                  "--period", "2025-Q2")[1].strip()
    code, out, err = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                         "--period", "2025-04")
    assert code == 0 and len(out.strip()) == 36  # stdout: the id alone, for scripts
    assert err.startswith(f"注意：另有期间重叠的工作补贴草稿批次：2025年第二季度（批次 {quarter[:8]}）")
    run(db_path, capsys, "payrun", "delete", out.strip())
    run(db_path, capsys, "payrun", "lock", quarter)
    code, out, err = run(db_path, capsys, "payrun", "create", "--kind", "stipend",
                         "--period", "2025-Q2")
    assert code == 1 and out == ""
    assert f"已由已锁定的批次 {quarter[:8]}全部发放" in err
