"""`liangxin-cli stats` and `report quarterly` (CLI.md)."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from desktop.cli import main
from desktop.db.connection import transaction
from desktop.db.database import open_database
from desktop.domain.registry import Area, Organization
from desktop.services import registry


@pytest.fixture
def db_path(tmp_path):
    """A database file with one zone of 10 organizations, 3 with a Party organization."""
    path = tmp_path / "cli.sqlite3"
    conn = open_database(path, operator="测试员")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    zone = registry.create(conn, Area(name="经开区", kind="zone", parent_id=county, sort_order=2))
    registry.create(conn, Area(name="城关镇", kind="township", parent_id=county, sort_order=1))
    with transaction(conn):
        for k in range(10):
            registry.create(conn, Organization(
                name=f"企业{k}", area_id=zone, has_union=k >= 3,
                party_org_form="standalone" if k < 3 else "none",
                party_org_established_on=date(2026, 5, 1) if k == 0 else None))
    conn.close()
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_shape(db_path, capsys):
    code, out, err = run(capsys, "--db", db_path, "stats", "--as-of", "2026-06-30", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["as_of", "townships", "total"]
    assert doc["as_of"] == "2026-06-30"
    assert [r["township"] for r in doc["townships"]] == ["城关镇", "经开区"]
    assert doc["townships"][1] == {
        "township": "经开区", "organizations": 10, "with_party_org": 3,
        "org_coverage_rate": "30.0%", "without_party_org": 7, "with_mass_org_among_without": 7,
        "mass_org_coverage_rate": "100.0%", "work_coverage_rate": "100.0%", "party_members": 0,
        "new_party_orgs_in_quarter": 1}
    assert doc["townships"][0]["org_coverage_rate"] == "—"
    assert doc["total"]["township"] == "合计"


def test_stats_table(db_path, capsys):
    code, out, _ = run(capsys, "--db", db_path, "stats", "--as-of", "2026-04-30")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "“两个覆盖”统计（截至2026年4月30日）"
    assert lines[1].split()[:3] == ["乡镇（街道、园区）", "组织数", "已建党组织"]
    assert lines[3].split() == ["城关镇", "0", "0", "—", "0", "0", "—", "—", "0", "0"]
    # Before 1 May the newest Party organization does not exist yet.
    assert lines[4].split() == ["经开区", "10", "2", "20.0%", "8", "7", "87.5%", "87.5%", "0", "0"]
    assert lines[5].split()[0] == "合计"


def test_stats_bad_date_is_refused_in_chinese(db_path, capsys):
    code, _, err = run(capsys, "--db", db_path, "stats", "--as-of", "2026-02-30")
    assert code == 1
    assert "日期格式不正确" in err and "Traceback" not in err


def test_report_quarterly_writes_pdf_and_workbook(db_path, tmp_path, capsys):
    pdf, xlsx = tmp_path / "q2.pdf", tmp_path / "q2.xlsx"
    code, out, err = run(capsys, "--db", db_path, "report", "quarterly", "--quarter", "2026-Q2",
                         pdf, "--xlsx", xlsx)
    assert code == 0, err
    assert "已生成季度统计报表" in out
    text = PdfReader(pdf).pages[0].extract_text()
    assert "示范县两新组织党建工作季度统计报表（2026年第二季度）" in text
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[:3] == ["概况", "表1", "表2"]
    rows = list(wb["表1"].iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == ("城关镇", 0, 0, "—")
    assert rows[1][:4] == ("经开区", 10, 3, "30.0%")
    assert rows[-1][:4] == ("合计", 10, 3, "30.0%")
    assert wb["表2"]["C5"].value == "0" and wb["表2"]["E6"].value == "+1"
    assert wb["表2"]["E6"].data_type == "s"  # "+1" stays text, never a formula


def test_report_quarterly_refuses_a_month(db_path, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db_path, "report", "quarterly", "--quarter", "2026-05",
                       tmp_path / "x.pdf")
    assert code == 1 and "季度" in err
    assert not (tmp_path / "x.pdf").exists()
