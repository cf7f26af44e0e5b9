"""`liangxin-cli problem …` (CLI.md): add, list, advance, timeline, export, stats;
the JSON shape of `problem stats --json`, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from desktop.db.database import open_database
from desktop.domain.problems import Visit
from desktop.domain.registry import Area, Organization
from desktop.services import problems, registry
from factories import run_cli as run, uscc

TODAY = date.today()
PAST = (TODAY - timedelta(days=40)).isoformat()
LATE = (TODAY - timedelta(days=10)).isoformat()
LATER = (TODAY + timedelta(days=30)).isoformat()


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "cli.sqlite3"
    conn = open_database(path, operator="测试员")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    for k, name in enumerate(("城关镇", "经开区"), 1):
        town = registry.create(conn, Area(name=name, kind="township", parent_id=county, sort_order=k))
        registry.create(conn, Organization(name=f"{name}物流公司", area_id=town, uscc=uscc(k)))
    conn.close()
    return path


def _add(db_path, capsys, org, deadline, *extra):
    code, out, err = run(db_path, capsys, "problem", "add", "--org", org, "--found-on", PAST,
                         "--category", "融资", "--description", "贷款难", "--unit", "县金融办",
                         "--deadline", deadline, *extra)
    assert code == 0, err
    return out.strip()


def test_add_advance_list_and_timeline(db_path, capsys):
    late = _add(db_path, capsys, uscc(1), LATE)
    on_time = _add(db_path, capsys, "经开区物流公司", LATER, "--person", "王科长")
    code, out, _ = run(db_path, capsys, "problem", "list", "--overdue", "--json")
    (row,) = json.loads(out)
    assert (row["id"], row["township"], row["status"], row["days_overdue"]) == (late, "城关镇", "accepted", 10)
    code, out, _ = run(db_path, capsys, "problem", "advance", late[:8], "--to", "督办中",
                       "--note", "发督办单")
    assert code == 0 and "现为督办中" in out
    code, out, _ = run(db_path, capsys, "problem", "advance", late, "--to", "resolved",
                       "--note", "已放贷")
    assert code == 0 and "现为已办结" in out
    code, out, _ = run(db_path, capsys, "problem", "advance", late, "--to", "满意")
    assert code == 0 and "评价：满意" in out
    code, out, _ = run(db_path, capsys, "problem", "timeline", late)
    assert [line.split("\t")[1] for line in out.splitlines()] == ["受理", "督办", "办结", "评价（满意）"]
    code, out, _ = run(db_path, capsys, "problem", "list", "--township", "经开区")
    assert code == 0 and on_time[:8] in out and late[:8] not in out and "共 1 个问题，其中逾期 0 个" in out
    code, out, _ = run(db_path, capsys, "problem", "list", "--overdue")
    assert out.strip() == "没有符合条件的问题"


def test_refusals_exit_1_in_chinese(db_path, capsys):
    pid = _add(db_path, capsys, uscc(1), LATE)
    for args, message in (
            (("advance", pid, "--to", "accepted"), "已是已受理"),
            (("advance", pid, "--to", "满意"), "尚未办结，不能评价"),
            (("advance", pid, "--to", "closed"), "未知的目标状态"),
            (("advance", "00000000", "--to", "resolved"), "没有找到该问题"),
            (("list", "--township", "白沙镇"), "没有名为“白沙镇”的乡镇"),
            (("list", "--status", "关闭"), "状态应为"),
            (("add", "--org", "无此公司", "--category", "融资", "--description", "x", "--unit", "y",
              "--deadline", LATER), "没有找到"),
            (("add", "--org", uscc(1), "--category", "贷款", "--description", "x", "--unit", "y",
              "--deadline", LATER), "问题类别应为"),
            (("stats", "--as-of", "2026-02-30"), "日期格式不正确")):
        code, _, err = run(db_path, capsys, "problem", *args)
        assert code == 1 and message in err and "Traceback" not in err, (args, err)
    with pytest.raises(SystemExit) as bad:
        run(db_path, capsys, "problem", "advance", pid)  # --to missing
    assert bad.value.code == 2


def test_a_missing_database_is_not_created(tmp_path, capsys):
    code, _, err = run(tmp_path / "none.sqlite3", capsys, "problem", "list")
    assert code == 1 and not (tmp_path / "none.sqlite3").exists()


def test_stats_json_shape(db_path, capsys):
    a = _add(db_path, capsys, uscc(1), LATE)
    _add(db_path, capsys, uscc(2), LATER)
    run(db_path, capsys, "problem", "advance", a, "--to", "unresolved", "--note", "政策不允许")
    code, out, _ = run(db_path, capsys, "problem", "stats", "--as-of", TODAY.isoformat(), "--json")
    assert code == 0
    assert json.loads(out) == {"as_of": TODAY.isoformat(), "townships": [
        {"township": "城关镇", "found": 1, "open": 0, "overdue": 0, "resolved": 0, "unresolved": 1,
         "solve_rate": "0.0%", "evaluated": 0, "satisfaction_rate": "—"},
        {"township": "经开区", "found": 1, "open": 1, "overdue": 0, "resolved": 0, "unresolved": 0,
         "solve_rate": "—", "evaluated": 0, "satisfaction_rate": "—"}],
        "total": {"township": "合计", "found": 2, "open": 1, "overdue": 0, "resolved": 0,
                  "unresolved": 1, "solve_rate": "0.0%", "evaluated": 0, "satisfaction_rate": "—"}}
    code, out, _ = run(db_path, capsys, "problem", "stats", "--as-of", TODAY.isoformat(),
                       "--by", "category")
    assert code == 0 and "问题类别" in out and "融资" in out and "合计" in out


def test_export_is_a_printable_list(db_path, capsys, tmp_path):
    conn = open_database(db_path, operator="测试员")
    org = registry.find(conn, Organization, uscc(1)).id
    visit = problems.record_visit(conn, Visit(organization_id=org, visited_on=TODAY))
    conn.close()
    _add(db_path, capsys, uscc(1), LATE, "--visit", visit)
    _add(db_path, capsys, uscc(2), LATER)
    out = tmp_path / "清单.xlsx"
    code, text, err = run(db_path, capsys, "problem", "export", str(out))
    assert code == 0 and "已导出 2 个问题" in text, err
    ws = load_workbook(out).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$1:$3" and ws.print_area == "'问题、责任、时限清单'!$A$1:$N$5"
    assert ws["A1"].value == "本县两新组织问题、责任、时限清单"
    assert "共 2 个问题，其中逾期 1 个" in ws["A2"].value
    assert [ws.cell(4, c).value for c in (2, 3, 10, 11)] == ["城关镇", "城关镇物流公司", "已受理", 10]
    assert ws.cell(4, 1).font.b and not ws.cell(5, 1).font.b  # the overdue row stands out
    code, _, err = run(db_path, capsys, "problem", "export", str(tmp_path / "x.csv"))
    assert code == 1 and ".xlsx" in err


def test_notice_prints_the_units_open_problems_as_a_pdf(db_path, capsys, tmp_path):
    import subprocess

    late = _add(db_path, capsys, uscc(1), LATE)
    _add(db_path, capsys, uscc(2), LATER, "--person", "王科长")
    out = tmp_path / "督办.pdf"
    code, text, err = run(db_path, capsys, "problem", "notice", "--unit", "县金融办",
                          "--as-of", TODAY.isoformat(), "--number", "3", "--out", str(out))
    assert code == 0 and "2 个问题，其中逾期 1 个" in text and "共 1 页" in text, err
    flat = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for expected in (f"督办〔{TODAY.year}〕3号", "县金融办：", "城关镇物流公司", "经开区物流公司",
                     late[:8], "逾期10天", "王科长", "中共示范县委组织部", "签收人："):
        assert expected in flat, expected
    run(db_path, capsys, "problem", "advance", late, "--to", "resolved", "--note", "已放贷")
    for args, message in ((("--unit", "县人社局"), "该责任单位没有未办结的问题"),
                          (("--unit", "县金融办", "--as-of", "2026-13-01"), "日期格式不正确")):
        code, _, err = run(db_path, capsys, "problem", "notice", *args, "--out",
                           str(tmp_path / "x.pdf"))
        assert code == 1 and message in err and "Traceback" not in err, err
    code, _, err = run(db_path, capsys, "problem", "notice", "--unit", "县金融办", "--out",
                       str(tmp_path / "x.xlsx"))
    assert code == 1 and ".pdf" in err
    assert not (tmp_path / "x.pdf").exists()
