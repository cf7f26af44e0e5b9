"""The 督办通知单 (PROBLEMS.md, issue 17 point 4): one responsible unit's open
problems, soonest deadline first, overdue counted as of the notice's date; the
PDF read back with pdftotext (the unit, every organization, the office, the date,
the 签收 line, typed markup printed literally, the header and page numbers on
every page of a long notice)."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest

from desktop.db import installation
from desktop.domain.problems import Problem
from desktop.domain.registry import Organization
from desktop.errors import UserError
from desktop.services import problem_outputs, problems, registry

TODAY = date(2026, 12, 7)
UNIT = "县金融办"


@pytest.fixture
def orgs(db):
    towns = {a.name: a.id for a in registry.townships(db)}
    return {"a": registry.create(db, Organization(name="城关物流有限公司", area_id=towns["城关镇"])),
            "b": registry.create(db, Organization(name="经开精密制造公司", area_id=towns["经开区"]))}


def add(db, org, description, *, deadline, found=date(2026, 9, 1), unit=UNIT, person=None):
    return problems.add_problem(db, Problem(
        organization_id=org, found_on=found, category="financing", description=description,
        responsible_unit=unit, responsible_person=person, deadline=deadline), today=TODAY)


def pdf_text(path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_only_the_units_open_problems_soonest_deadline_first(db, orgs):
    add(db, orgs["a"], "流动资金贷款难", deadline=date(2026, 12, 30))
    supervising = add(db, orgs["b"], "担保费用高", deadline=date(2026, 11, 20))
    problems.advance(db, supervising, "supervising", note="发督办单", today=TODAY)
    resolved = add(db, orgs["a"], "已放贷", deadline=date(2026, 10, 1))
    problems.advance(db, resolved, "resolved", note="已放贷", today=TODAY)
    add(db, orgs["a"], "招工难", deadline=date(2026, 10, 1), unit="县人社局")
    add(db, orgs["b"], "上周才发现", deadline=date(2026, 12, 31), found=date(2026, 12, 5))

    notice = problem_outputs.supervision_notice(db, UNIT, date(2026, 12, 1), "7")
    assert [line.description for line in notice.lines] == ["担保费用高", "流动资金贷款难"]
    assert [line.township for line in notice.lines] == ["经开区", "城关镇"]
    assert [line.days_overdue for line in notice.lines] == [11, 0]
    assert notice.number_text == "督办〔2026〕7号"
    assert notice.office == "中共示范县委组织部"
    assert "尚有2个未办结，其中已逾期1个" in notice.intro()
    # Found on or before the notice's date only: the 12-05 one joins a later notice.
    assert len(problem_outputs.supervision_notice(db, UNIT, TODAY).lines) == 3


def test_overdue_from_the_day_after_the_deadline(db, orgs):
    add(db, orgs["a"], "贷款难", deadline=date(2026, 11, 30))
    (on_the_day,) = problem_outputs.supervision_notice(db, UNIT, date(2026, 11, 30)).lines
    (day_after,) = problem_outputs.supervision_notice(db, UNIT, date(2026, 12, 1)).lines
    assert (on_the_day.days_overdue, on_the_day.overdue_text) == (0, "未逾期")
    assert (day_after.days_overdue, day_after.overdue_text) == (1, "逾期 1 天")


def test_a_unit_with_no_open_problem_is_refused_and_no_file_is_written(db, orgs, tmp_path):
    done = add(db, orgs["a"], "已办结", deadline=date(2026, 11, 30))
    problems.advance(db, done, "resolved", note="已办", today=TODAY)
    out = tmp_path / "督办.pdf"
    for unit in (UNIT, "县不存在局"):
        with pytest.raises(UserError, match="该责任单位没有未办结的问题"):
            problem_outputs.export_supervision_notice(db, out, unit, TODAY)
    with pytest.raises(UserError, match="请选择责任单位"):
        problem_outputs.supervision_notice(db, "  ", TODAY)
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # no notice, no leftover part file


def test_the_pdf_reads_back_with_the_unit_organizations_office_and_signature_line(db, orgs, tmp_path):
    add(db, orgs["a"], "<b>欠薪</b> & <br/>社保", deadline=date(2026, 11, 1), person="王科长")
    add(db, orgs["b"], "贷款难", deadline=date(2027, 1, 15))
    path, notice, rendered = problem_outputs.export_supervision_notice(
        db, tmp_path / "督办.pdf", UNIT, TODAY, "12")
    assert rendered.page_count == 1 and len(notice.lines) == 2
    text = pdf_text(path)
    flat = "".join(text.split())
    for expected in ("督办通知单", "督办〔2026〕12号", f"{UNIT}：", "城关物流有限公司",
                     "经开精密制造公司", "逾期36天", "未逾期", "王科长", "2026-11-01",
                     "2027-01-15", "中共示范县委组织部", "2026年12月7日", "签收人：", "签收日期：",
                     "示范县委组织部（两新工委）", "第1页共1页"):
        assert "".join(expected.split()) in flat, expected
    # Typed markup prints as typed: neither bold nor a line break nor an error.
    assert "<b>欠薪</b>&<br/>社保" in flat


def test_a_long_notice_repeats_the_header_and_numbers_its_pages(db, orgs, tmp_path):
    for k in range(60):
        add(db, orgs["a" if k % 2 else "b"], f"第{k + 1}号问题：企业流动资金周转困难，希望协调银行续贷",
            deadline=date(2026, 9, 1) + timedelta(days=k))
    path, notice, rendered = problem_outputs.export_supervision_notice(
        db, tmp_path / "long.pdf", UNIT, TODAY)
    assert rendered.page_count >= 2
    for page in range(1, rendered.page_count + 1):
        flat = "".join(pdf_text(path, page).split())
        assert "问题描述" in flat and "办结时限" in flat and "逾期情况" in flat
        assert f"第{page}页共{rendered.page_count}页" in flat
    assert "督办〔2026〕号" in "".join(pdf_text(path, 1).split())  # a blank to write the number in
    last = "".join(pdf_text(path, rendered.page_count).split())
    assert "第60号问题" in last and "签收人：" in last  # the closing stays with the last rows
    assert "签收人：" not in "".join(pdf_text(path, 1).split())


def test_a_township_office_signs_its_own_notices(db, orgs):
    add(db, orgs["a"], "贷款难", deadline=date(2026, 12, 30))
    installation.set_level(db, "township", "城关镇")
    notice = problem_outputs.supervision_notice(db, UNIT, TODAY)
    assert (notice.office, notice.reply_to) == ("中共城关镇委员会", "城关镇党委")
    installation.set_level(db, "township", "经开区")
    assert problem_outputs.issuing_office(db) == ("中共经开区工作委员会", "经开区党工委")
