"""clean_row / find_duplicates: every cell type, every reason, and no exception on junk."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.identifiers import id_check_char, uscc_check_char
from desktop.domain.import_rules import (
    ID_AS_NUMBER,
    Problem,
    clean_row,
    field_problem,
    find_duplicates,
    identity_of,
)
from desktop.sheets.formats import (
    ASSESSMENTS,
    INSTRUCTORS,
    OFFICERS,
    ORGANIZATIONS,
    POSTINGS,
    SHEETS,
)
from desktop.sheets.reader import RawRow

USCC = "91340881MA2N0B7K1" + uscc_check_char("91340881MA2N0B7K1")
ID_X = "11010519491231002X"  # GB 11643-1999's own example, check character X
ID_OK = "34088119850315001" + id_check_char("34088119850315001")


def raw(sheet: str = "组织", row: int = 5, **values) -> RawRow:
    cells = {k: str(v) for k, v in values.items()}
    return RawRow(sheet, row, values, cells)


def org(**extra) -> RawRow:
    values = {"name": "甲公司", "kind": "非公企业", "township": "龙眠街道", **extra}
    return raw(**values)


def reasons(problems: list[Problem]) -> dict[str, str]:
    return {p.column_header: p.reason for p in problems}


def test_valid_organization_becomes_codes_dates_and_ints():
    record, problems = clean_row(ORGANIZATIONS, org(
        uscc=USCC.lower(), industry="外卖送餐", is_new_business_form="是", employee_count=120,
        party_member_count="５", party_org_form="联合组建", party_org_established_on="2024年7月1日",
        has_union=True, registered_on=datetime(2018, 5, 20), contact_phone=13800138000,
        note="  备注  "))
    assert problems == []
    assert record["uscc"] == USCC
    assert (record["kind"], record["industry"], record["party_org_form"]) == (
        "enterprise", "food_delivery", "joint")
    assert record["is_new_business_form"] is True and record["has_union"] is True
    assert record["has_youth_league"] is None  # empty means unknown
    assert (record["employee_count"], record["party_member_count"]) == (120, 5)
    assert record["party_org_established_on"] == date(2024, 7, 1)
    assert record["registered_on"] == date(2018, 5, 20)
    assert record["contact_phone"] == "13800138000"
    assert record["note"] == "备注"
    assert set(record) == set(ORGANIZATIONS.fields)


def test_required_cells_reported_with_sheet_row_and_header():
    _, problems = clean_row(ORGANIZATIONS, raw(row=7, note="x"))
    assert problems == [
        Problem("组织", 7, "名称", "", "必填项不能为空"),
        Problem("组织", 7, "类型", "", "必填项不能为空"),
        Problem("组织", 7, "所属乡镇", "", "必填项不能为空"),
    ]


@pytest.mark.parametrize("field, value, header, reason", [
    ("kind", "企业", "类型", "应为以下之一：非公企业、社会组织"),
    ("industry", "餐饮", "行业",
     "应为以下之一：快递、外卖送餐、网约车、道路货运、互联网、物业、制造业、其他"),
    ("party_org_form", "已建", "党组织组建方式", "应为以下之一：单独组建、联合组建、区域联建、未建"),
    ("is_new_business_form", "Y", "新业态", "应填写“是”或“否”"),
    ("employee_count", -1, "从业人员数", "应为不小于0的整数"),
    ("employee_count", 2.5, "从业人员数", "应为不小于0的整数"),
    ("party_member_count", "五人", "党员数", "应为不小于0的整数"),
    ("registered_on", "2026-02-30", "登记日期", "日期格式不正确：2026-02-30（该日期不存在）"),
    ("registered_on", "明年", "登记日期", "日期格式不正确：明年"),
    ("registered_on", time(8, 30), "登记日期", "日期格式不正确：08:30:00"),
    ("registered_on", date(1850, 1, 1), "登记日期", "日期超出合理范围（1900年至2100年）"),
    ("uscc", "91340881MA2N0B7K1A", "统一社会信用代码",
     f"统一社会信用代码校验位错误，应为{USCC[-1]}"),
    ("uscc", 913408810000000000, "统一社会信用代码",
     "统一社会信用代码以数字格式保存，可能已丢失数字，请将单元格设为文本后重新填写"),
    ("contact_phone", "12345", "联系电话",
     "联系电话格式不正确，应为11位手机号码或带区号的固定电话（如0556-1234567）"),
    ("name", "名" * 101, "名称", "内容过长（101字），最多100字"),
])
def test_each_bad_cell_gives_its_reason(field, value, header, reason):
    record, problems = clean_row(ORGANIZATIONS, org(**{field: value}))
    assert reasons(problems) == {header: reason}
    assert problems[0].value == str(value)
    assert record[field] is None


@pytest.mark.parametrize("value, expected", [
    ("2026-03-10", date(2026, 3, 10)), ("2026/3/10", date(2026, 3, 10)),
    ("2026年3月10日", date(2026, 3, 10)), ("２０２６－０３－１０", date(2026, 3, 10)),
    (46091, date(2026, 3, 10)), (46091.0, date(2026, 3, 10)), ("46091", date(2026, 3, 10)),
    (datetime(2026, 3, 10, 0, 0), date(2026, 3, 10)),
])
def test_date_forms(value, expected):
    record, problems = clean_row(POSTINGS, raw("派驻", officer_id_number=ID_OK,
                                                organization_name="甲", start_on=value))
    assert problems == []
    assert record["start_on"] == expected


def test_id_number_cells():
    def check(value):
        record, problems = clean_row(INSTRUCTORS, raw("指导员", name="王某", id_number=value))
        return record["id_number"], [p.reason for p in problems]

    assert check(ID_X.lower()) == (ID_X, [])
    assert check(" ３４０８８１" + ID_OK[6:] + " ") == (ID_OK, [])
    assert check(11010519491231002) == (None, [ID_AS_NUMBER])
    assert check(1.10105194912310e17) == (None, [ID_AS_NUMBER])
    # A text cell that lost its final X (copied from a number cell).
    assert check(ID_X[:17]) == (None, ["公民身份号码只有17位，缺少末位校验位（应为X）"])
    assert check(ID_X[:17] + "0") == (None, ["公民身份号码校验位错误，应为X"])


def test_officer_bank_account():
    def check(value):
        record, problems = clean_row(OFFICERS, raw("联络员", name="李某", id_number=ID_OK,
                                                    bank_account=value))
        return record["bank_account"], [p.reason for p in problems]

    assert check("6228 4800 1234 5678 901") == ("6228480012345678901", [])
    assert check(622848001234) == ("622848001234", [])  # 12 digits survive a number cell
    assert check(6228480012345678901) == (
        None, ["银行卡号以数字格式保存，超过15位的数字已丢失，请将单元格设为文本后重新填写"])
    assert check("6228-48") == (None, ["银行卡号只能包含数字"])


def test_assessment_year_and_grade():
    record, problems = clean_row(ASSESSMENTS, raw("考核", officer_id_number=ID_OK,
                                                   year="2025年", grade="称职"))
    assert problems == [] and record["year"] == 2025 and record["grade"] == "competent"
    _, problems = clean_row(ASSESSMENTS, raw("考核", officer_id_number=ID_OK, year=1999,
                                              grade="合格"))
    assert reasons(problems) == {"年度": "年度应为2000至2100之间的四位年份",
                                 "考核等次": "应为以下之一：优秀、良好、称职、不称职"}


def test_end_date_before_start_date():
    _, problems = clean_row(POSTINGS, raw("派驻", 9, officer_id_number=ID_OK,
                                           organization_name="甲", start_on="2026-03-10",
                                           end_on="2026-03-09"))
    assert problems == [Problem("派驻", 9, "结束日期", "2026-03-09", "结束日期早于开始日期")]
    _, problems = clean_row(POSTINGS, raw("派驻", 9, officer_id_number=ID_OK,
                                           organization_name="甲", start_on="2026-03-10",
                                           end_on="2026-03-10"))
    assert problems == []


def test_find_duplicates_by_identity():
    rows = [org(uscc=USCC), org(name="乙", uscc=USCC.lower()), org(), org(township="孔城镇"),
            org(note="again")]
    pairs = []
    for number, row in enumerate(rows, start=2):
        row = RawRow(row.sheet, number, row.values, row.cells)
        pairs.append((row, clean_row(ORGANIZATIONS, row)[0]))
    problems = find_duplicates(ORGANIZATIONS, pairs)
    assert problems == [
        Problem("组织", 3, "统一社会信用代码", USCC, "与第2行重复（统一社会信用代码相同）"),
        Problem("组织", 6, "名称", "甲公司，龙眠街道", "与第4行重复（名称、所属乡镇相同）"),
    ]
    assert find_duplicates(ORGANIZATIONS, pairs, ["township"])[0].reason == \
        "与第2行重复（所属乡镇相同）"
    assert identity_of(ORGANIZATIONS, pairs[0][1]) == ("uscc",)


def test_field_problem_maps_field_to_header_and_cell():
    row = org(uscc=USCC)
    assert field_problem(ORGANIZATIONS, row, "uscc", "数据库中已注销") == Problem(
        "组织", 5, "统一社会信用代码", USCC, "数据库中已注销")
    assert Problem("组织", 5, "名称", "甲", "错").describe() == "组织 第5行 名称「甲」：错"


cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(max_value=timedelta(days=9999)),
    st.sampled_from(["是", "否", "２０２６年３月１日", "46091", "非公企业", "称职", ID_X,
                     USCC, "=1+1", "0556-1234567", "\u3000", "1e400", "-0"]),
)


@settings(max_examples=200, deadline=None)
@given(sheet=st.sampled_from(SHEETS), data=st.data())
def test_random_cells_only_ever_give_problems(sheet, data):
    values = {col.field: data.draw(cell_values) for col in sheet.columns}
    row = RawRow(sheet.name, 3, values, {k: str(v) for k, v in values.items()})
    record, problems = clean_row(sheet, row)
    assert set(record) == set(sheet.fields)
    for problem in problems:
        assert problem.sheet == sheet.name and problem.row == 3 and problem.reason
    find_duplicates(sheet, [(row, record), (row, record)])
