"""`liangxin-cli registry list/delete` (CLI.md): table, JSON shape, masking, keys, exit codes."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest

from desktop.cli import main
from desktop.db.database import open_database
from desktop.domain.registry import (
    Area, Instructor, LiaisonOfficer, Organization, PersonFilter, Posting,
)
from desktop.services import registry
from factories import id_number, run_cli as run, uscc

ORG_USCC = uscc(7)
OFFICER_ID = id_number(11)
INSTRUCTOR_ID = id_number(12)


@pytest.fixture
def db_path(tmp_path):
    """Two organizations, an officer posted to the first, an instructor."""
    path = tmp_path / "cli.sqlite3"
    conn = open_database(path, operator="测试员")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    town = registry.create(conn, Area(name="城关镇", kind="township", parent_id=county))
    org = registry.create(conn, Organization(
        name="示范科技有限公司", area_id=town, uscc=ORG_USCC, contact_phone="13800138000",
        party_org_form="standalone", party_org_established_on=date(2024, 7, 1)))
    registry.create(conn, Organization(name="城关物业服务中心", area_id=town))
    officer = registry.create(conn, LiaisonOfficer(
        name="张三", id_number=OFFICER_ID, phone="13900139000", home_unit="县财政局",
        bank_name="县农商行", bank_account="6217000000000000001"))
    registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                  start_on=date.today() - timedelta(days=30)))
    registry.create(conn, Instructor(name="李四", id_number=INSTRUCTOR_ID, area_id=town,
                                     work_unit="城关镇党委"))
    conn.close()
    return path


def live(db_path, cls) -> list[str]:
    conn = open_database(db_path)
    try:
        return [record.name for record, _ in registry.list_all(conn, cls)]
    finally:
        conn.close()


def test_list_shows_a_chinese_table_masked(db_path, capsys):
    code, out, err = run(db_path, capsys, "registry", "list", "organizations")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split("\t")[:3] == ["名称", "统一社会信用代码", "所属乡镇"]
    assert len(lines) == 4 and "共 2 条" in lines[-1]
    row = next(line for line in lines if "示范科技" in line).split("\t")
    assert row[1:5] == [ORG_USCC, "城关镇", "非公企业", "单独组建"] and row[5] == "138****8000"
    code, out, _ = run(db_path, capsys, "registry", "list", "officers")
    assert "340801********" in out and OFFICER_ID not in out and "6217000000000000001" not in out
    assert "示范科技有限公司" in out  # the posting shown, as the officer list does


def test_list_search(db_path, capsys):
    code, out, _ = run(db_path, capsys, "registry", "list", "organizations", "--search", "物业")
    assert code == 0 and "城关物业服务中心" in out and "示范科技" not in out and "共 1 条" in out
    code, out, _ = run(db_path, capsys, "registry", "list", "organizations", "--search", "没有这个")
    assert code == 0 and out.strip() == "没有符合条件的两新组织"
    code, out, _ = run(db_path, capsys, "registry", "list", "instructors", "--search", "城关镇党委",
                       "--json")
    assert [row["name"] for row in json.loads(out)] == ["李四"]


def test_json_has_every_glossary_field_masked(db_path, capsys):
    code, out, _ = run(db_path, capsys, "registry", "list", "organizations", "--json")
    rows = json.loads(out)
    org = next(row for row in rows if row["name"] == "示范科技有限公司")
    fields = [f.name for f in dataclasses.fields(Organization)]
    assert list(org) == [*fields, "township"]
    assert org["uscc"] == ORG_USCC and org["contact_phone"] == "138****8000"
    assert org["party_org_established_on"] == "2024-07-01" and org["township"] == "城关镇"
    assert org["has_union"] is False and len(org["id"]) == 36
    code, out, _ = run(db_path, capsys, "registry", "list", "officers", "--json")
    [officer] = json.loads(out)
    assert list(officer) == [f.name for f in dataclasses.fields(LiaisonOfficer)]
    assert officer["id_number"] == "340801********" + OFFICER_ID[-4:]
    assert officer["phone"] == "139****9000" and officer["bank_account"] == "*" * 15 + "0001"
    code, out, _ = run(db_path, capsys, "registry", "list", "instructors", "--json")
    [instructor] = json.loads(out)
    assert list(instructor) == [*(f.name for f in dataclasses.fields(Instructor)), "township"]
    assert instructor["township"] == "城关镇" and instructor["phone"] is None


def test_unmasked_json_and_table(db_path, capsys):
    code, out, _ = run(db_path, capsys, "registry", "list", "officers", "--json", "--unmasked")
    [officer] = json.loads(out)
    assert officer["id_number"] == OFFICER_ID and officer["phone"] == "13900139000"
    assert officer["bank_account"] == "6217000000000000001"
    code, out, _ = run(db_path, capsys, "registry", "list", "officers", "--unmasked")
    assert OFFICER_ID in out and "6217000000000000001" in out and "已部分隐藏" not in out


def test_delete_by_uscc_warns_about_posted_officers(db_path, capsys):
    typed = " " + ORG_USCC.lower() + " "  # normalized as the registry normalizes
    code, out, err = run(db_path, capsys, "registry", "delete", "organizations", typed)
    assert code == 0 and "已删除两新组织“示范科技有限公司”" in out
    assert "仍有 1 名驻企联络员在派驻" in err  # what the GUI's delete question says
    assert live(db_path, Organization) == ["城关物业服务中心"]
    code, _, err = run(db_path, capsys, "registry", "delete", "organizations", ORG_USCC)
    assert code == 1 and "没有找到" in err and ORG_USCC in err and "Traceback" not in err


def test_delete_by_id_number_is_a_soft_delete(db_path, capsys):
    typed = OFFICER_ID[:6] + " " + OFFICER_ID[6:].lower()
    code, out, err = run(db_path, capsys, "registry", "delete", "officers", typed)
    assert code == 0 and "张三" in out and OFFICER_ID not in out and err == ""
    assert live(db_path, LiaisonOfficer) == []
    conn = open_database(db_path)
    try:  # a tombstone stays for merging, as after the GUI's delete
        row = conn.execute("SELECT deleted_at FROM liaison_officer WHERE id_number = ?",
                           (OFFICER_ID,)).fetchone()
    finally:
        conn.close()
    assert row["deleted_at"]
    code, _, err = run(db_path, capsys, "registry", "delete", "instructors", OFFICER_ID)
    assert code == 1 and "没有找到公民身份号码为" in err and "党建工作指导员" in err


def test_delete_by_record_id(db_path, capsys):
    code, out, _ = run(db_path, capsys, "registry", "list", "instructors", "--json")
    record_id = json.loads(out)[0]["id"]
    code, out, _ = run(db_path, capsys, "registry", "delete", "instructors", record_id)
    assert code == 0 and record_id in out and live(db_path, Instructor) == []
    code, _, err = run(db_path, capsys, "registry", "delete", "instructors", record_id)
    assert code == 1 and f"没有找到编号为 {record_id} 的党建工作指导员" in err


def test_delete_of_an_unknown_key(db_path, capsys):
    code, out, err = run(db_path, capsys, "registry", "delete", "organizations", "no-such-id")
    assert code == 1 and out == "" and "没有找到" in err and "Traceback" not in err
    assert len(live(db_path, Organization)) == 2


@pytest.mark.parametrize("command", [("list", "organizations"), ("delete", "officers", OFFICER_ID)])
def test_a_missing_database_is_refused_not_created(tmp_path, capsys, command):
    typo = tmp_path / "typo.sqlite3"
    code, _, err = run(typo, capsys, "registry", *command)
    assert code == 1 and "数据库文件不存在" in err and not typo.exists()


@pytest.mark.parametrize("command", [("list", "areas"), ("delete", "postings", "x"),
                                     ("delete", "officers"), ()])
def test_bad_usage_exits_2(db_path, capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "registry", *command])
    assert exit_info.value.code == 2
    assert "用法" in capsys.readouterr().err


def test_list_all_reads_past_a_gui_page(db):
    """The service returns every match, not one page of the GUI's list."""
    for serial in range(PersonFilter().limit + 5):
        registry.create(db, LiaisonOfficer(name=f"联络员{serial:03d}", id_number=id_number(serial)))
    assert len(registry.list_all(db, LiaisonOfficer)) == PersonFilter().limit + 5
    assert [r.name for r, _ in registry.list_all(db, LiaisonOfficer, "联络员10")] == [
        f"联络员{n}" for n in range(100, 105)]
