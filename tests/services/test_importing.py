"""The import service: all or nothing, every problem at once, identity updates,
normalization, references across sheets and into the database, the error workbook."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from desktop.db import backup as backup_store
from desktop.db.connection import query
from desktop.domain.identifiers import id_check_char
from desktop.domain.import_rules import NO_RESULT, Problem
from desktop.domain.registry import LiaisonOfficer, Organization, OrganizationFilter, PersonFilter
from desktop.errors import UserError
from desktop.paths import backups_dir
from desktop.services import importing, registry
from desktop.services.workspace import database_path
from factories import build_workbook, id_number, uscc

ORG_HEAD = ["名称*", "统一社会信用代码", "类型*", "行业", "所属乡镇*", "从业人员数", "党员数",
            "党组织组建方式", "工会", "登记日期", "联系电话"]
OFFICER_HEAD = ["姓名*", "公民身份号码*", "联系电话", "派出单位", "开户银行", "银行卡号"]
POSTING_HEAD = ["联络员身份号码*", "组织名称*", "统一社会信用代码", "开始日期*", "结束日期"]
INSTRUCTOR_HEAD = ["姓名*", "公民身份号码*", "指导站", "所属乡镇"]
ASSIGNMENT_HEAD = ["指导员身份号码*", "组织名称*", "开始日期*", "结束日期"]
ASSESSMENT_HEAD = ["联络员身份号码*", "年度*", "考核等次*"]
OFFICER_ID, INSTRUCTOR_ID = id_number(1), id_number(2)


def good_sheets() -> dict[str, list[list]]:
    return {
        "组织": [ORG_HEAD,
                 ["甲快递有限公司", uscc(1), "非公企业", "快递", "城关镇", 120, 5, "单独组建", "是",
                  "2018-05-20", "13800138000"],
                 ["乙物业服务中心", None, "社会组织", "物业", "新河镇", 30, 0, "未建", "否",
                  date(2020, 1, 2), None]],
        "联络员": [OFFICER_HEAD, ["李四", OFFICER_ID, "13900139000", "发改委", "农业银行",
                               "6228480012345678901"]],
        "派驻": [POSTING_HEAD, [OFFICER_ID, "甲快递有限公司", uscc(1), "2026-03-10", "2026-05-20"]],
        "指导员": [INSTRUCTOR_HEAD, ["王五", INSTRUCTOR_ID, "城关镇党建工作指导站", "城关镇"]],
        "挂钩": [ASSIGNMENT_HEAD, [INSTRUCTOR_ID, "乙物业服务中心", "2026-01-01", None]],
        "考核": [ASSESSMENT_HEAD, [OFFICER_ID, 2025, "优秀"]],
    }


def audit_rows(db) -> int:
    return query(db, "SELECT count(*) FROM audit_log")[0][0]


def orgs(db) -> dict[str, tuple[Organization, str]]:
    page = registry.list_organizations(db, OrganizationFilter(limit=1000))
    return {o.name: (o, township) for o, township in page.rows}


def problems_of(db, path) -> list[str]:
    with pytest.raises(UserError) as caught:
        importing.import_workbook(db, path)
    return [p.describe() for p in caught.value.problems]


def test_good_workbook_writes_every_sheet_and_links_them(db, tmp_path):
    path = build_workbook(tmp_path / "in.xlsx", good_sheets())
    result = importing.import_workbook(db, path)
    assert {name: (c.created, c.updated, c.unchanged) for name, c in result.sheets.items()} == {
        "组织": (2, 0, 0), "指导员": (1, 0, 0), "联络员": (1, 0, 0), "挂钩": (1, 0, 0),
        "派驻": (1, 0, 0), "考核": (1, 0, 0)}
    assert result.new_areas == ("新河镇",) and result.new_stations == ("城关镇党建工作指导站",)
    assert "新建乡镇（街道、园区）：新河镇" in result.describe()
    found = orgs(db)
    express, township = found["甲快递有限公司"]
    assert township == "城关镇" and express.uscc == uscc(1) and express.industry == "express"
    assert express.is_new_business_form is True  # derived from 快递 when the cell is empty
    assert (express.employee_count, express.party_org_form, express.has_union) == (120, "standalone", True)
    assert express.registered_on == date(2018, 5, 20) and express.contact_phone == "13800138000"
    assert found["乙物业服务中心"][1] == "新河镇"
    officer, _ = registry.list_officers(db, PersonFilter()).rows[0]
    postings = registry.postings_of(db, officer.id)
    assert [(p.start_on, p.end_on, name) for p, name in postings] == [
        (date(2026, 3, 10), date(2026, 5, 20), "甲快递有限公司")]
    assert [a.grade for a in registry.assessments_of(db, officer.id)] == ["excellent"]
    instructor, guided = registry.list_instructors(db, PersonFilter()).rows[0]
    assert [name for _, name in registry.assignments_of(db, instructor.id)] == ["乙物业服务中心"]
    assert registry.stations(db)[0].name == "城关镇党建工作指导站"


def test_reimport_is_unchanged_and_an_edit_updates_without_erasing(db, tmp_path):
    sheets = good_sheets()
    importing.import_workbook(db, build_workbook(tmp_path / "a.xlsx", sheets))
    again = importing.import_workbook(db, build_workbook(tmp_path / "b.xlsx", sheets))
    assert again.created == again.updated == 0
    before = audit_rows(db)
    # Only two columns this time: 员工数 changes, everything else must stay as it was.
    edit = {"组织": [["名称*", "类型*", "所属乡镇*", "从业人员数", "联系电话"],
                     ["甲快递有限公司", "非公企业", "城关镇", 150, None]]}
    result = importing.import_workbook(db, build_workbook(tmp_path / "c.xlsx", edit))
    assert (result.sheets["组织"].updated, result.sheets["组织"].created) == (1, 0)
    express = orgs(db)["甲快递有限公司"][0]
    assert express.employee_count == 150
    assert express.uscc == uscc(1) and express.contact_phone == "13800138000"
    assert audit_rows(db) == before + 1


def test_uscc_identity_and_code_added_to_an_organization_entered_without_one(db, tmp_path,
                                                                            township_id):
    registry.create(db, Organization(name="丙网络科技有限公司", area_id=township_id))
    registry.create(db, Organization(name="旧名称有限公司", area_id=township_id, uscc=uscc(7)))
    sheets = {"组织": [ORG_HEAD[:5],
                       ["丙网络科技有限公司", uscc(6), "非公企业", "互联网", "城关镇"],
                       ["新名称有限公司", uscc(7), "非公企业", "其他", "城关镇"]]}
    result = importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    assert (result.sheets["组织"].created, result.sheets["组织"].updated) == (0, 2)
    found = orgs(db)
    assert found["丙网络科技有限公司"][0].uscc == uscc(6)
    assert "旧名称有限公司" not in found and found["新名称有限公司"][0].uscc == uscc(7)


def test_every_problem_of_every_sheet_at_once_and_nothing_written(db, tmp_path):
    bad_birth = "34080119990230" + "001"
    sheets = good_sheets()
    sheets["组织"].append(["丁公司", uscc(3)[:-1] + ("0" if uscc(3)[-1] != "0" else "1"),
                           "国有企业", "快递", "城关镇", -3, None, None, None, "2026-02-30", None])
    sheets["组织"].append(["甲快递有限公司", uscc(1), "非公企业", None, "城关镇"])
    sheets["联络员"].append(["赵六", bad_birth + id_check_char(bad_birth), None, None, None,
                          "6228"])
    sheets["派驻"].append([id_number(99), "甲快递有限公司", None, "2026-06-01", "2026-05-01"])
    sheets["派驻"].append([OFFICER_ID, "不存在的公司", None, "2026-01-01", None])
    sheets["考核"].append([OFFICER_ID, 2025, "合格"])
    path = build_workbook(tmp_path / "in.xlsx", sheets)
    before = audit_rows(db)
    found = problems_of(db, path)
    check = uscc(3)[-1]
    assert found == [
        f"组织 第4行 统一社会信用代码「{sheets['组织'][3][1]}」：统一社会信用代码校验位错误，应为{check}",
        "组织 第4行 类型「国有企业」：应为以下之一：非公企业、社会组织",
        "组织 第4行 从业人员数「-3」：应为不小于0的整数",
        "组织 第4行 登记日期「2026-02-30」：日期格式不正确：2026-02-30（该日期不存在）",
        f"组织 第5行 统一社会信用代码「{uscc(1)}」：与第2行重复（统一社会信用代码相同）",
        f"联络员 第3行 公民身份号码「{sheets['联络员'][2][1]}」：公民身份号码中的出生日期无效（19990230）",
        "联络员 第3行 银行卡号「6228」：银行卡号应为12至19位数字（现为4位）",
        "派驻 第3行 结束日期「2026-05-01」：结束日期早于开始日期",
        f"派驻 第3行 联络员身份号码「{id_number(99)}」：找不到该联络员：工作簿的联络员表和数据库中都没有这个身份号码",
        "派驻 第4行 组织名称「不存在的公司」：找不到该组织：工作簿的组织表和数据库中都没有这个名称",
        "考核 第3行 考核等次「合格」：应为以下之一：优秀、良好、称职、不称职",
        f"考核 第3行 联络员身份号码「{OFFICER_ID}，2025」：与第2行重复（联络员身份号码、年度相同）",
    ]
    assert audit_rows(db) == before
    assert orgs(db) == {}


def test_dry_run_checks_and_writes_nothing(db, tmp_path):
    path = build_workbook(tmp_path / "in.xlsx", good_sheets())
    result = importing.import_workbook(db, path, dry_run=True)
    assert result.dry_run and result.created == 7
    assert result.describe().startswith("试导入：检查通过，未写入任何数据")
    assert orgs(db) == {} and [a.name for a in registry.townships(db)] == ["城关镇", "经开区"]


def test_columns_and_sheets_left_out_are_named_in_the_summary(db, tmp_path):
    sheets = good_sheets()
    sheets["组织"] = [row + [extra] for row, extra in zip(sheets["组织"], ["电话号码", "x", "y"])]
    sheets["说明"] = [["填表说明"], ["请按模板填写"]]
    path = build_workbook(tmp_path / "in.xlsx", sheets)
    for result in (importing.import_workbook(db, path, dry_run=True),
                   importing.import_workbook(db, path)):
        assert result.ignored_columns == ("组织：电话号码",)
        assert result.ignored_sheets == ("说明",)
        text = result.describe()
        assert "未导入的列（表头不认识，请核对拼写）：组织：电话号码" in text
        assert "未导入的工作表：说明" in text


def test_a_workbook_with_nothing_left_out_says_nothing_of_it(db, tmp_path):
    result = importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", good_sheets()),
                                       dry_run=True)
    assert "未导入" not in result.describe()


def test_cells_are_normalized(db, tmp_path):
    body = "34080119850615" + "12"
    lost_x_body = next(body + str(d) for d in range(10) if id_check_char(body + str(d)) == "X")
    sheets = {
        "组织": [ORG_HEAD,
                 ["  甲快递有限公司 ", uscc(1).lower(), "非公企业", "快递", "城关镇", "１２０", 5.0,
                  " 单独组建 ", "是", "2018年5月20日", 13800138000.0],
                 ["乙公司", None, "非公企业", None, "城关镇", None, None, None, None, 43831, None]],
        "联络员": [OFFICER_HEAD, ["李四", lost_x_body + "x", "139 0013 9000", None, None,
                               "6228 4800 1234 5678 901"]],
    }
    importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    express = orgs(db)["甲快递有限公司"][0]
    assert (express.uscc, express.employee_count, express.party_member_count) == (uscc(1), 120, 5)
    assert express.party_org_form == "standalone" and express.contact_phone == "13800138000"
    assert express.registered_on == date(2018, 5, 20)
    assert orgs(db)["乙公司"][0].registered_on == date(2020, 1, 1)  # Excel serial 43831
    officer = registry.list_officers(db, PersonFilter()).rows[0][0]
    assert officer.id_number == lost_x_body + "X" and officer.phone == "13900139000"
    assert officer.bank_account == "6228480012345678901"


def test_id_that_lost_its_x_and_ids_stored_as_numbers(db, tmp_path):
    body = "34080119850615" + "12"
    lost_x_body = next(body + str(d) for d in range(10) if id_check_char(body + str(d)) == "X")
    sheets = {"联络员": [OFFICER_HEAD, ["李四", lost_x_body, None, None, None, None],
                      ["王五", int(id_number(3)[:15]), None, None, None, None]]}
    found = problems_of(db, build_workbook(tmp_path / "in.xlsx", sheets))
    assert found[0] == f"联络员 第2行 公民身份号码「{lost_x_body}」：公民身份号码只有17位，缺少末位校验位（应为X）"
    assert found[1].startswith("联络员 第3行 公民身份号码") and "数字格式" in found[1]


def test_markup_and_formula_like_text_is_stored_as_typed(db, tmp_path):
    sheets = {"组织": [ORG_HEAD[:5], ["<b>R&D</b> =SUM(A1)", None, "非公企业", None, "城关镇"],
                       ["=1+1", None, "非公企业", None, "城关镇"]]}
    importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    assert set(orgs(db)) == {"<b>R&D</b> =SUM(A1)", "=1+1"}


def test_a_formula_cell_without_a_value_is_a_problem(db, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "组织"
    ws.append(ORG_HEAD[:5])
    ws.append(["=CONCAT(\"甲\",\"公司\")", None, "非公企业", None, "城关镇"])
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    # openpyxl, like other generators, saves no calculated value (an empty <v>).
    assert problems_of(db, path) == [f"组织 第2行 名称：{NO_RESULT}"]


def test_link_rows_overlapping_each_other_or_the_database(db, tmp_path):
    sheets = good_sheets()
    sheets["派驻"].append([OFFICER_ID, "甲快递有限公司", None, "2026-05-01", None])
    found = problems_of(db, build_workbook(tmp_path / "in.xlsx", sheets))
    assert found == ["派驻 第3行 开始日期「2026-05-01」：与第2行（同一人员、同一组织）的日期重叠"]
    importing.import_workbook(db, build_workbook(tmp_path / "ok.xlsx", good_sheets()))
    later = {"派驻": [POSTING_HEAD, [OFFICER_ID, "甲快递有限公司", None, "2026-04-01", None]]}
    assert problems_of(db, build_workbook(tmp_path / "later.xlsx", later)) == [
        "派驻 第2行 开始日期「2026-04-01」：与数据库中该人员到同一组织的记录日期重叠"]
    # The same posting (same start) with an end date is an update, not an overlap.
    end = {"派驻": [POSTING_HEAD, [OFFICER_ID, "甲快递有限公司", None, "2026-03-10", "2026-04-30"]]}
    result = importing.import_workbook(db, build_workbook(tmp_path / "end.xlsx", end))
    assert result.sheets["派驻"].updated == 1


def test_organization_named_ambiguously_or_against_its_code(db, tmp_path, township_id):
    zone = next(a.id for a in registry.townships(db) if a.name == "经开区")
    registry.create(db, Organization(name="同名公司", area_id=township_id))
    registry.create(db, Organization(name="同名公司", area_id=zone))
    registry.create(db, Organization(name="有码公司", area_id=zone, uscc=uscc(5)))
    registry.create(db, LiaisonOfficer(name="李四", id_number=OFFICER_ID))
    sheets = {"派驻": [POSTING_HEAD, [OFFICER_ID, "同名公司", None, "2026-01-01", None],
                     [OFFICER_ID, "别的公司", uscc(5), "2026-01-01", None]]}
    assert problems_of(db, build_workbook(tmp_path / "in.xlsx", sheets)) == [
        "派驻 第2行 组织名称「同名公司」：有多家同名组织，请填写统一社会信用代码以区分",
        "派驻 第3行 组织名称「别的公司」：与统一社会信用代码对应的组织名称「有码公司」不一致",
    ]


def test_large_import_is_backed_up_first(db, tmp_path):
    rows = [ORG_HEAD[:5]] + [[f"企业{n}", uscc(n), "非公企业", None, "城关镇"] for n in range(120)]
    result = importing.import_workbook(db, build_workbook(tmp_path / "big.xlsx", {"组织": rows}))
    assert result.backup_path is not None and result.backup_path.exists()
    assert result.backup_path in [b.path for b in backup_store.list_backups(
        backups_dir(database_path(db)))]
    assert result.sheets["组织"].created == 120


def test_cancel_while_writing_leaves_the_database_as_it_was(db, tmp_path):
    rows = [ORG_HEAD[:5]] + [[f"企业{n}", uscc(n), "非公企业", None, "城关镇"] for n in range(600)]
    path = build_workbook(tmp_path / "big.xlsx", {"组织": rows})
    before = audit_rows(db)

    def progress(done, total, text):
        if text.startswith("正在写入"):
            raise KeyboardInterrupt  # what a cancel does: an exception out of progress

    with pytest.raises(KeyboardInterrupt):
        importing.import_workbook(db, path, progress=progress)
    assert audit_rows(db) == before and orgs(db) == {}


def test_error_workbook_marks_the_problem_cells(db, tmp_path):
    sheets = good_sheets()
    sheets["考核"].append([OFFICER_ID, 2024, "合格"])
    source = build_workbook(tmp_path / "in.xlsx", sheets)
    with pytest.raises(UserError) as caught:
        importing.import_workbook(db, source)
    dest = importing.write_error_workbook(source, caught.value.problems, tmp_path / "err.xlsx")
    wb = load_workbook(dest)
    assert wb.sheetnames[0] == "错误汇总"
    assert [c.value for c in wb["错误汇总"][2]] == ["考核", 3, "考核等次", "合格",
                                                 "应为以下之一：优秀、良好、称职、不称职"]
    ws = wb["考核"]
    assert ws["C3"].value == "合格" and ws["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["D3"].value == "考核等次：应为以下之一：优秀、良好、称职、不称职"
    with pytest.raises(UserError, match="不能覆盖原工作簿"):
        importing.write_error_workbook(source, caught.value.problems, source)


def test_error_workbook_of_an_unreadable_sheet_has_the_summary(db, tmp_path):
    source = build_workbook(tmp_path / "in.xlsx", {"组织": [["名称*", "地址"], ["甲", "某路"]]})
    with pytest.raises(UserError) as caught:
        importing.import_workbook(db, source)
    problems = caught.value.problems
    assert [p.describe() for p in problems] == ["组织 第1行 类型：缺少必填列", "组织 第1行 所属乡镇：缺少必填列"]
    wb = load_workbook(importing.write_error_workbook(source, problems, tmp_path / "e.xlsx"))
    assert wb.sheetnames == ["错误汇总"] and wb["错误汇总"].max_row == 3


CELL = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                 st.booleans(), st.dates(), st.text(string.printable + "是否甲乙０１２３—", max_size=24),
                 st.sampled_from(["非公企业", "城关镇", "是", "未建", "2026-03-10", uscc(9),
                                  OFFICER_ID, "优秀", "=1+1", "2025"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=5, max_size=6), min_size=1, max_size=4),
       st.sampled_from(["组织", "联络员", "派驻", "考核", "挂钩", "指导员"]))
def test_random_cells_give_problems_or_an_import_never_a_crash(db, tmp_path, rows, sheet):
    heads = {"组织": ORG_HEAD[:6], "联络员": OFFICER_HEAD, "派驻": POSTING_HEAD,
             "考核": ASSESSMENT_HEAD, "挂钩": ASSIGNMENT_HEAD, "指导员": INSTRUCTOR_HEAD}
    path = build_workbook(tmp_path / "random.xlsx", {sheet: [heads[sheet], *rows]})
    try:
        importing.import_workbook(db, path, dry_run=True)
    except UserError as err:
        assert all(isinstance(p, Problem) for p in err.problems)
        assert str(err)


def test_two_level_header_keeps_party_and_mass_organizations(db, tmp_path):
    """Issue 14: sub-columns under 党组织情况 / 群团组织 were skipped, so every organization
    was stored as 未建 with no mass organization."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "组织"
    ws.append(["桐城市两新组织名册"])
    ws.append(["名称", "类型", "所属乡镇", "党组织情况", None, "群团组织", None, None])
    ws.append([None, None, None, "组建方式", "建立日期", "工会", "共青团", "妇联"])
    ws.append(["甲公司", "非公企业", "城\u200b关镇", "单独组建", "2021-07-01", "是", "否", "是"])
    ws.append(["乙公司", None, "城关镇", "联合组建", "2022-07-01", "否", "是", "否"])
    for cells in ("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:H2", "B4:B5"):
        ws.merge_cells(cells)
    wb.save(tmp_path / "two.xlsx")
    result = importing.import_workbook(db, tmp_path / "two.xlsx")
    assert result.new_areas == ()  # 城\u200b关镇 is 城关镇, not a second township
    found = orgs(db)
    first, second = found["甲公司"][0], found["乙公司"][0]
    assert (first.party_org_form, first.party_org_established_on) == ("standalone", date(2021, 7, 1))
    assert (first.has_union, first.has_youth_league, first.has_women_federation) == (True, False, True)
    assert second.kind == first.kind  # 类型 merged over both rows
    assert second.party_org_form == "joint" and second.has_youth_league is True
