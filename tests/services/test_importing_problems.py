"""The 问题 and 走访 sheets of the import workbook: a township's own spreadsheet of
about 300 problems comes in whole and gives the figures it gives by hand; a
problem in any state gets the timeline the loop would have; every bad row is
refused with its sheet, row and column, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.db import people
from desktop.db.connection import query, transaction
from desktop.domain import access
from desktop.domain import problems as rules
from desktop.domain.identifiers import id_check_char
from desktop.domain.import_rules import NO_RESULT
from desktop.domain.registry import Instructor, LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import importing, registry
from desktop.services import problems as service
from factories import build_workbook, id_number, uscc
from tests.services.township_problem_book import (
    KNOWN_ORGS, build_township_book, expected_counts,
)

PROBLEM_HEAD = ["组织名称*", "统一社会信用代码", "发现日期*", "问题类别*", "问题描述*", "责任单位*",
                "责任人", "办结时限*", "状态", "办结日期", "办理情况", "评价"]
VISIT_HEAD = ["组织名称*", "统一社会信用代码", "走访日期*", "走访人身份号码", "走访方式", "发现情况"]
INSTRUCTOR_ID, OFFICER_ID = id_number(2), id_number(3)
TABLES = ("problem", "problem_step", "visit", "audit_log")


def counts(db) -> dict[str, int]:
    return {t: query(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def refused(db, path) -> list[str]:
    with pytest.raises(UserError) as caught:
        importing.import_workbook(db, path)
    return [p.describe() for p in caught.value.problems]


def problem_row(org="甲公司", found="2025-03-01", description="缺少普工", status=None,
                closed=None, outcome=None, evaluation=None, deadline="2025-04-01", code=None):
    return [org, code, found, "招聘用工", description, "县人社局", "张科长", deadline, status,
            closed, outcome, evaluation]


@pytest.fixture
def org_ids(db, township_id):
    """甲公司 (with a code) and 乙公司 in 城关镇, an instructor and an officer."""
    first = registry.create(db, Organization(name="甲公司", area_id=township_id, uscc=uscc(1)))
    second = registry.create(db, Organization(name="乙公司", area_id=township_id))
    registry.create(db, Instructor(name="王五", id_number=INSTRUCTOR_ID))
    registry.create(db, LiaisonOfficer(name="李四", id_number=OFFICER_ID))
    return first, second


def _known_orgs(db) -> None:
    towns = {a.name: a.id for a in registry.townships(db)}
    for name, town, code in KNOWN_ORGS:
        registry.create(db, Organization(name=name, area_id=towns[town], uscc=code))


def _replays_through_the_rules(steps: list) -> str:
    """Each step after 受理 is the one next_step gives; returns the status reached."""
    assert [s.seq for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].action == "accept" and all(s.note.startswith("导入") for s in steps)
    status, rating = rules.ACCEPTED, None
    for before, step in zip(steps, steps[1:]):
        assert step.taken_on >= before.taken_on
        target = step.evaluation or step.status_after
        assert rules.next_step(status, rating, target) == rules.Step(
            step.action, step.status_after, step.evaluation)
        status = step.status_after
        rating = step.evaluation if step.evaluation != rules.DISSATISFIED else None
    return status


def test_a_townships_spreadsheet_comes_in_whole_with_its_figures(db, tmp_path):
    _known_orgs(db)
    path, rows = build_township_book(tmp_path / "城关镇问题清单.xlsx")
    assert len(rows) == 300 and {r.status for r in rows} == {"已受理", "督办中", "已办结", "未能解决"}
    result = importing.import_workbook(db, path)
    assert result.sheets["问题"].created == 300 and result.sheets["组织"].created == 2
    assert result.backup_path is not None  # 302 rows: backed up first
    assert "问题：新增 300 条" in result.describe()
    (ignored,) = result.ignored_columns  # the title above them is read as their group
    assert ignored.startswith("问题：") and ignored.endswith("/备注") and "/序号、" in ignored
    for as_of in (date(2025, 12, 31), date(2025, 6, 30), date(2025, 3, 15)):
        stats = service.problem_stats(db, as_of)
        total = stats.total
        got = {k: getattr(total, k) for k in ("found", "open", "overdue", "resolved",
                                             "unresolved", "evaluated", "solve_rate",
                                             "satisfaction_rate")}
        assert got == expected_counts(rows, as_of), as_of
        for line in stats.rows:
            mine = [r for r in rows if r.township == line.name]
            assert line.to_json()["found"] == expected_counts(mine, as_of)["found"]
            assert line.open == expected_counts(mine, as_of)["open"], (as_of, line.name)
            assert line.solve_rate == expected_counts(mine, as_of)["solve_rate"]
    by_category = service.problem_stats(db, date(2025, 12, 31), by="category")
    for line in by_category.rows:
        mine = [r for r in rows if r.category == line.name]
        assert line.overdue == expected_counts(mine, date(2025, 12, 31))["overdue"], line.name
    # Every timeline is one the loop could have produced, ending where the sheet says.
    for (problem_id,) in query(db, "SELECT id FROM problem"):
        problem = service.get_problem(db, problem_id)
        assert _replays_through_the_rules(service.timeline(db, problem_id)) == problem.status


def test_importing_the_same_spreadsheet_again_adds_nothing(db, tmp_path):
    _known_orgs(db)
    path, _ = build_township_book(tmp_path / "book.xlsx", count=120)
    importing.import_workbook(db, path)
    before = counts(db)
    again = importing.import_workbook(db, path)
    assert (again.sheets["问题"].created, again.sheets["问题"].unchanged) == (0, 120)
    assert not again.changes_anything and again.backup_path is None
    assert "问题：新增 0 条，数据库中已有 120 条（不重复导入）" in again.describe()
    assert counts(db) == before


def test_a_cancel_while_writing_problems_leaves_nothing(db, tmp_path):
    _known_orgs(db)
    path, _ = build_township_book(tmp_path / "book.xlsx")
    before = counts(db)

    def progress(done, total, text):
        if text.startswith("正在写入"):  # after 250 of the 302 writes
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importing.import_workbook(db, path, progress=progress)
    assert counts(db) == before and not db.in_transaction
    assert registry.list_organizations(db).total == len(KNOWN_ORGS)


def test_each_state_gets_its_steps_and_record(db, tmp_path, org_ids):
    sheets = {"问题": [PROBLEM_HEAD,
                      problem_row(description="一", outcome="正在对接"),
                      problem_row(description="二", status="督办中"),
                      problem_row(description="三", status="已办结", closed="2025-03-20",
                                  outcome="已招聘20人", evaluation="基本满意"),
                      problem_row(description="四", status="未能解决", closed="2025/3/25",
                                  outcome="政策不允许"),
                      problem_row(org="乙公司", description="五", status="督办中",
                                  closed="2025-03-22", outcome="只招到5人", evaluation="不满意")]}
    importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    found = {p.description: p for p in (service.get_problem(db, i) for (i,) in
                                        query(db, "SELECT id FROM problem"))}
    assert {d: (p.status, p.closed_on, p.outcome, p.evaluation) for d, p in found.items()} == {
        "一": ("accepted", None, None, None),
        "二": ("supervising", None, None, None),
        "三": ("resolved", date(2025, 3, 20), "已招聘20人", "basically_satisfied"),
        "四": ("unresolved", date(2025, 3, 25), "政策不允许", None),
        "五": ("supervising", None, None, None),  # the rejected report stays in its steps
    }
    steps = {d: [(s.taken_on.isoformat(), s.action, s.status_after, s.evaluation, s.note)
                 for s in service.timeline(db, p.id)] for d, p in found.items()}
    assert steps["一"] == [("2025-03-01", "accept", "accepted", None, "导入：正在对接")]
    assert steps["二"] == [("2025-03-01", "accept", "accepted", None, "导入"),
                          ("2025-03-01", "supervise", "supervising", None, "导入")]
    assert steps["三"][1:] == [("2025-03-20", "resolve", "resolved", None, "导入：已招聘20人"),
                              ("2025-03-20", "evaluate", "resolved", "basically_satisfied", "导入")]
    assert steps["五"][1:] == [("2025-03-22", "resolve", "resolved", None, "导入：只招到5人"),
                              ("2025-03-22", "evaluate", "supervising", "dissatisfied", "导入")]
    assert {s.taken_by for p in found.values() for s in service.timeline(db, p.id)} == {"测试员"}
    # A problem that came in goes on like one entered by hand.
    service.advance(db, found["一"].id, rules.RESOLVED, note="已解决", on=date(2025, 4, 1))
    assert service.get_problem(db, found["一"].id).status == rules.RESOLVED


def test_visits_name_their_visitor_by_id_number(db, tmp_path, org_ids):
    new_instructor = id_number(4)
    sheets = {"指导员": [["姓名*", "公民身份号码*"], ["赵六", new_instructor]],
              "走访": [VISIT_HEAD,
                      ["甲公司", None, "2025-03-01", INSTRUCTOR_ID, "座谈", "反映用工紧张"],
                      ["乙公司 ", None, "2025年3月2日", OFFICER_ID, None, None],
                      ["甲 公司", uscc(1), "2025-03-03", new_instructor, "电话", "询问政策"]]}
    result = importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    assert result.sheets["走访"].created == 3 and "走访：新增 3 条" in result.describe()
    first, second = org_ids
    one, = service.visits_of(db, first)[-1:]
    assert (one.kind, one.findings, one.officer_id) == ("meeting", "反映用工紧张", None)
    assert one.instructor_id == people.find_instructor(db, INSTRUCTOR_ID).id
    two, = service.visits_of(db, second)
    assert (two.kind, two.visited_on, two.instructor_id) == ("visit", date(2025, 3, 2), None)
    assert two.officer_id is not None
    again = importing.import_workbook(db, build_workbook(tmp_path / "again.xlsx", sheets))
    assert again.sheets["走访"].unchanged == 3 and counts(db)["visit"] == 3


def test_every_bad_row_is_named_and_nothing_is_written(db, tmp_path, org_ids):
    body = id_number(5)[:-1]
    wrong_check = body + ("0" if id_check_char(body) != "0" else "1")
    sheets = {
        "问题": [PROBLEM_HEAD,
                problem_row(description="状态错", status="已解决"),
                problem_row(description="缺日期", status="已办结"),
                problem_row(description="先评价", evaluation="满意"),
                problem_row(org="不存在公司", description="无此组织"),
                problem_row(description="公式"),
                problem_row(description="早办结", status="已办结", closed="2025-02-01"),
                problem_row(description="未来", status="未能解决", closed="2099-01-01"),
                problem_row(description="不满意", status="已办结", closed="2025-03-05",
                            evaluation="不满意"),
                problem_row(description="缺工"),
                problem_row(description="缺工", code=uscc(1))],
        "走访": [VISIT_HEAD,
                ["甲公司", None, "2025-03-01", wrong_check, None, None],
                ["甲公司", None, "2025-03-01", id_number(6), None, None],
                ["甲公司", None, "2025-03-01", INSTRUCTOR_ID, "上门", None]],
    }
    path = build_workbook(tmp_path / "bad.xlsx", sheets)
    wb = load_workbook(path)
    wb["问题"]["E6"] = '=CONCAT("缺","人")'  # a formula Excel never calculated
    wb.save(path)
    before = counts(db)
    check = id_check_char(body)
    assert refused(db, path) == [
        "问题 第2行 状态「已解决」：应为以下之一：已受理、督办中、已办结、未能解决",
        "问题 第3行 办结日期：已办结的问题须填写办结日期",
        "问题 第4行 评价「满意」：只有已办结或未能解决的问题才能评价",
        "问题 第5行 组织名称「不存在公司」：找不到该组织：工作簿的组织表和数据库中都没有这个名称",
        f"问题 第6行 问题描述：{NO_RESULT}",
        "问题 第7行 办结日期「2025-02-01」：办结日期早于发现日期",
        "问题 第8行 办结日期「2099-01-01」：办结日期 2099-01-01 晚于今天",
        "问题 第9行 评价「不满意」：评价为不满意的问题要重新督办：状态请填“督办中”，"
        "办结日期保留被评价那次的日期",
        "问题 第11行 问题描述「缺工」：与第10行重复（组织名称、发现日期、问题描述相同）",
        f"走访 第2行 走访人身份号码「{wrong_check}」：公民身份号码校验位错误，应为{check}",
        f"走访 第3行 走访人身份号码「{id_number(6)}」：找不到该走访人：工作簿的指导员、联络员表和数据库中都没有这个身份号码",
        "走访 第4行 走访方式「上门」：应为以下之一：走访、座谈、电话、企业来访",
    ]
    assert counts(db) == before


def test_markup_and_formula_like_text_is_stored_as_typed(db, tmp_path, org_ids):
    text = "<b>用工</b> & <script>x</script> =SUM(A1)"
    sheets = {"问题": [PROBLEM_HEAD, problem_row(description=text, outcome="@发文")]}
    importing.import_workbook(db, build_workbook(tmp_path / "in.xlsx", sheets))
    (problem_id,) = query(db, "SELECT id FROM problem")[0]
    assert service.get_problem(db, problem_id).description == text
    assert service.timeline(db, problem_id)[0].note == "导入：@发文"


def test_the_error_workbook_marks_a_problem_cell(db, tmp_path, org_ids):
    sheets = {"问题": [PROBLEM_HEAD, problem_row(status="已解决")]}
    source = build_workbook(tmp_path / "in.xlsx", sheets)
    with pytest.raises(UserError) as caught:
        importing.import_workbook(db, source)
    wb = load_workbook(importing.write_error_workbook(source, caught.value.problems,
                                                      tmp_path / "err.xlsx"))
    assert wb["问题"]["I2"].value == "已解决" and wb["问题"]["I2"].fill.fgColor.rgb.endswith("FFC7CE")


def test_problem_rows_need_the_problem_list_right_too(db, tmp_path, org_ids, monkeypatch):
    from desktop.services import accounts, users
    from desktop.services.users import passwords

    monkeypatch.setattr(passwords, "N", 2**8)
    accounts.create_first_admin(db, "admin", "王管理", "secret2026")
    users.sign_in(db, "admin", "secret2026")
    accounts.add_user(db, "clerk", [access.CLERK], password="secret2026", must_change=False)
    users.sign_out(db)
    users.sign_in(db, "clerk", "secret2026")
    monkeypatch.setitem(access.ROLE_ACTIONS, access.CLERK,
                        access.ROLE_ACTIONS[access.CLERK] - {access.EDIT_PROBLEMS})
    sheets = {"问题": [PROBLEM_HEAD, problem_row()]}
    with pytest.raises(UserError, match="无权修改问题清单"):
        importing.import_workbook(db, build_workbook(tmp_path / "p.xlsx", sheets))
    assert counts(db)["problem"] == 0
    org_only = {"组织": [["名称*", "类型*", "所属乡镇*"], ["丙公司", "非公企业", "城关镇"]]}
    assert importing.import_workbook(db, build_workbook(tmp_path / "o.xlsx", org_only)).created == 1


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_other_workbook_formats_take_the_same_path(db, tmp_path, org_ids, suffix):
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    sheets = {"问题": [PROBLEM_HEAD, problem_row(status="已办结", closed="2025-03-10",
                                               evaluation="满意")],
              "走访": [VISIT_HEAD, ["甲公司", None, "2025-03-01", INSTRUCTOR_ID, "走访", None]]}
    source = build_workbook(tmp_path / "in.xlsx", sheets)
    kind = {".xls": "xls:MS Excel 97", ".ods": "ods"}[suffix]
    subprocess.run([office, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", kind, "--outdir", str(tmp_path / "out"), str(source)],
                   check=True, capture_output=True, timeout=120)
    result = importing.import_workbook(db, tmp_path / "out" / f"in{suffix}")
    assert (result.sheets["问题"].created, result.sheets["走访"].created) == (1, 1)
    stats = service.problem_stats(db, date(2025, 12, 31)).total
    assert (stats.resolved, stats.satisfaction_rate) == (1, "100.0%")


def test_a_township_office_enters_problems_of_its_own_organizations_only(tmp_path):
    from desktop.db import records
    from tests.exchange.offices import add_org, area_id, county_office, send, township_office

    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    try:
        send(county, town, tmp_path)  # the area tree
        add_org(town, "白沙镇", "白沙快递")
        # Another township's organization in this database (an old restore, say).
        with transaction(town):
            records.insert(town, "organization",
                           Organization(name="青山厂", area_id=area_id(town, "青山乡")))
        sheets = {"问题": [PROBLEM_HEAD, problem_row(org="白沙快递"), problem_row(org="青山厂")],
                  "走访": [VISIT_HEAD, ["青山厂", None, "2025-03-01", None, None, None]]}
        found = refused(town, build_workbook(tmp_path / "in.xlsx", sheets))
        assert [line.split("：")[0] for line in found] == [
            "问题 第3行 组织名称「青山厂」", "走访 第2行 组织名称「青山厂」"]
        assert all("只能录入本乡镇" in line for line in found)
        assert counts(town)["problem"] == 0
    finally:
        county.close()
        town.close()


def test_the_template_offers_both_sheets_with_drop_downs(tmp_path):
    from desktop.sheets.template import write_template

    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    lists = {name: {str(dv.sqref): dv.formula1 for dv in wb[name].data_validations.dataValidation
                    if dv.type == "list"} for name in ("问题", "走访")}
    assert lists["问题"] == {"D2:D1048576": '"招聘用工,政策兑现,融资,用地与审批,权益保障,党建工作,其他"',
                            "I2:I1048576": '"已受理,督办中,已办结,未能解决"',
                            "L2:L1048576": '"满意,基本满意,不满意"'}
    assert lists["走访"] == {"E2:E1048576": '"走访,座谈,电话,企业来访"'}
    prompts = {str(dv.sqref): dv.prompt for dv in wb["问题"].data_validations.dataValidation}
    assert prompts["C2:C1048576"] == "如 2026-03-10" and "空白为已受理" in prompts["I2:I1048576"]
    assert "已办结、未能解决必填" in prompts["J2:J1048576"]
    assert [c.value for c in wb["问题"][1]][:3] == ["组织名称*", "统一社会信用代码", "发现日期*"]
