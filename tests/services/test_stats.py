"""Coverage statistics from a real database (POLICY.md §6, CLI.md `stats --json`)."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.db.connection import transaction
from desktop.domain.registry import (Area, Instructor, InstructorAssignment, LiaisonOfficer,
                                     Organization, Posting)
from desktop.errors import UserError
from desktop.services import registry, stats
from factories import id_number

Q2_END = date(2026, 6, 30)


def _area(db, name):
    return next(a.id for a in registry.townships(db) if a.name == name)


def add_orgs(db, area_id, n, **fields):
    """`n` organizations in one transaction (fast), all with the same fields."""
    ids = []
    with transaction(db):
        for k in range(n):
            ids.append(registry.create(db, Organization(name=f"企业{area_id[:4]}{len(ids)}-{k}-"
                                                        f"{fields.get('industry', '')}",
                                                        area_id=area_id, **fields)))
    return ids


@pytest.fixture
def source_db(db):
    """The source bulletin's 经开区: 439 enterprises, 144 with a Party organization,
    361 with a mass organization, among them all 295 without a Party organization."""
    zone = _area(db, "经开区")
    add_orgs(db, zone, 66, party_org_form="standalone", party_org_established_on=date(2020, 5, 1),
             has_union=True)
    add_orgs(db, zone, 12, party_org_form="standalone")
    add_orgs(db, zone, 66, party_org_form="joint", party_org_established_on=date(2021, 3, 1))
    add_orgs(db, zone, 295 - 66, has_union=True)
    add_orgs(db, zone, 66, has_youth_league=True, has_women_federation=True)
    return db


def test_source_figures(source_db):
    result = stats.coverage_stats(source_db, Q2_END)
    doc = stats.stats_as_json(result)
    assert doc["as_of"] == "2026-06-30"
    zone = next(r for r in doc["townships"] if r["township"] == "经开区")
    assert zone == {"township": "经开区", "organizations": 439, "with_party_org": 144,
                    "org_coverage_rate": "32.8%", "without_party_org": 295,
                    "with_mass_org_among_without": 295, "mass_org_coverage_rate": "100.0%",
                    "work_coverage_rate": "100.0%", "party_members": 0,
                    "new_party_orgs_in_quarter": 0}
    assert doc["total"] == {**zone, "township": "合计"}
    assert result.total.with_mass_org == 361
    json.dumps(doc)  # plain JSON types only


def test_townships_in_sort_order_with_empty_ones_as_dashes(source_db):
    doc = stats.stats_as_json(stats.coverage_stats(source_db, Q2_END))
    assert [r["township"] for r in doc["townships"]] == ["城关镇", "经开区"]
    empty = doc["townships"][0]
    assert empty["organizations"] == 0
    assert (empty["org_coverage_rate"], empty["mass_org_coverage_rate"],
            empty["work_coverage_rate"]) == ("—", "—", "—")
    assert set(doc) == {"as_of", "townships", "total"}


def test_summary_of_the_source_figures(source_db, tmp_path):
    result = stats.build_quarterly_report(source_db, "2026-Q2", tmp_path / "r.pdf",
                                          compiled_on=date(2026, 7, 5))
    assert result.report.summary.startswith(
        "目前，全县439家非公企业中，成立党组织144家，群团组织361家，党组织覆盖率32.8%，"
        "未成立党组织的非公企业群团组织覆盖率100.0%")
    assert result.report.title == "示范县两新组织党建工作季度统计报表（2026年第二季度）"
    assert result.report.compiling_unit == "中共示范县委组织部"


def _one(db, as_of, **fields):
    """Stats of a database holding one organization in 城关镇."""
    add_orgs(db, _area(db, "城关镇"), 1, **fields)
    return stats.coverage_stats(db, as_of).total


@pytest.mark.parametrize("registered, counted", [
    (date(2026, 6, 30), True), (date(2026, 7, 1), False), (None, True)])
def test_registration_on_the_edge(db, registered, counted):
    assert _one(db, Q2_END, registered_on=registered).organizations == int(counted)


@pytest.mark.parametrize("closed, counted", [
    (date(2026, 6, 30), True),   # closed on the date: not closed *before* it
    (date(2026, 6, 29), False), (date(2026, 7, 1), True), (None, True)])
def test_closure_on_the_edge(db, closed, counted):
    assert _one(db, Q2_END, closed_on=closed).organizations == int(counted)


@pytest.mark.parametrize("established, has_party, new", [
    (date(2026, 6, 30), 1, 1),   # last day of the quarter: counted and new
    (date(2026, 4, 1), 1, 1),    # first day of the quarter: new
    (date(2026, 3, 31), 1, 0),   # the previous quarter's last day: not new
    (date(2026, 7, 1), 0, 0),    # not yet established on the date
    (None, 1, 0),                # unknown date counts as established, never as new
])
def test_establishment_on_the_quarter_edges(db, established, has_party, new):
    row = _one(db, Q2_END, party_org_form="regional", party_org_established_on=established)
    assert (row.with_party_org, row.new_party_orgs_in_quarter) == (has_party, new)
    assert (row.regional, row.new_regional) == (has_party, new)


def test_stats_mid_quarter_counts_new_up_to_the_date(db):
    add_orgs(db, _area(db, "城关镇"), 1, party_org_form="joint",
             party_org_established_on=date(2026, 5, 10))
    assert stats.coverage_stats(db, date(2026, 5, 10)).total.new_party_orgs_in_quarter == 1
    assert stats.coverage_stats(db, date(2026, 5, 9)).total.with_party_org == 0


def test_deleted_organizations_do_not_count(db):
    ids = add_orgs(db, _area(db, "城关镇"), 3)
    registry.delete(db, Organization, ids[0])
    assert stats.coverage_stats(db, Q2_END).total.organizations == 2


def test_community_organizations_count_in_their_township(db):
    town = _area(db, "城关镇")
    community = registry.create(db, Area(name="东风社区", kind="community", parent_id=town))
    add_orgs(db, community, 2)
    rows = stats.coverage_stats(db, Q2_END).townships
    assert [(r.name, r.organizations) for r in rows] == [("城关镇", 2), ("经开区", 0)]


def _instructor_for(db, org_id, start, end=None, serial=1):
    person = registry.create(db, Instructor(name=f"指导员{serial}", id_number=id_number(serial)))
    registry.create(db, InstructorAssignment(person, org_id, start, end))
    return person


def test_work_coverage_counts_instructors_on_the_date(db):
    town = _area(db, "城关镇")
    guided, lapsed, _bare = add_orgs(db, town, 3)
    _instructor_for(db, guided, date(2026, 1, 1), Q2_END, serial=1)
    _instructor_for(db, lapsed, date(2026, 1, 1), date(2026, 6, 29), serial=2)
    add_orgs(db, town, 1, has_union=True)
    row = stats.coverage_stats(db, Q2_END).total
    assert (row.without_party_org, row.with_mass_org_among_without,
            row.work_covered_among_without) == (4, 1, 2)
    assert (row.mass_org_coverage_rate, row.work_coverage_rate) == ("25.0%", "50.0%")


def test_people_counts(db):
    town = _area(db, "城关镇")
    a, b, closed = add_orgs(db, town, 2) + add_orgs(db, town, 1, closed_on=date(2026, 1, 31))
    person = _instructor_for(db, a, date(2026, 1, 1), serial=1)
    registry.create(db, InstructorAssignment(person, b, date(2026, 1, 1)))
    _instructor_for(db, closed, date(2025, 1, 1), serial=2)   # guides a closed organization
    registry.create(db, Instructor(name="未挂钩", id_number=id_number(3)))
    officer = registry.create(db, LiaisonOfficer(name="联络员", id_number=id_number(4)))
    registry.create(db, Posting(officer, a, date(2026, 4, 1), Q2_END))
    people = stats.coverage_stats(db, Q2_END).people
    assert (people.instructors, people.instructors_guiding, people.organizations_guided) == (3, 1, 2)
    assert (people.officers_posted, people.organizations_with_officer) == (1, 1)
    assert stats.coverage_stats(db, date(2026, 3, 31)).people.officers_posted == 0


_SERIALS = itertools.count()


def _run(db, kind, period, start, end, amounts, locked=True):
    """A payment run with lines, inserted directly (the payrun services are tested elsewhere)."""
    # A serial per run: hash() of text changes per process and collided now and then.
    officer = registry.create(db, LiaisonOfficer(name=f"员{period}{kind}",
                                                 id_number=id_number(next(_SERIALS) % 900 + 10)))
    stamp = "2026-01-01T00:00:00.000Z"
    with transaction(db):
        run = f"run-{kind}-{period}"
        db.execute("insert into payment_run (id, kind, period, period_start, period_end,"
                   " policy_json, total_fen, created_at, updated_at) values (?,?,?,?,?,'{}',?,?,?)",
                   (run, kind, period, start, end, sum(amounts), stamp, stamp))
        for k, fen in enumerate(amounts):
            db.execute("insert into payment_line (id, run_id, officer_id, seq, officer_name,"
                       " id_number, amount_fen, created_at, updated_at) values (?,?,?,?,?,?,?,?,?)",
                       (f"{run}-{k}", run, officer, k, "某", "x" * 18, fen, stamp, stamp))
        if locked:
            db.execute("update payment_run set status = 'locked' where id = ?", (run,))


def test_payments_of_locked_runs_whose_period_ends_in_the_quarter(db):
    _run(db, "stipend", "2026-04", "2026-04-01", "2026-04-30", [200000, 129032])
    _run(db, "stipend", "2026-Q2", "2026-04-01", "2026-06-30", [100])
    _run(db, "stipend", "2026-03", "2026-03-01", "2026-03-31", [999])      # previous quarter
    _run(db, "stipend", "2026-05", "2026-05-01", "2026-05-31", [777], locked=False)  # draft
    _run(db, "bonus", "2026", "2026-01-01", "2026-12-31", [50000])         # counts in Q4
    pay = stats.coverage_stats(db, Q2_END).payments
    assert (pay.stipend_fen, pay.stipend_runs, pay.bonus_fen, pay.bonus_runs) == (329132, 2, 0, 0)
    q4 = stats.coverage_stats(db, date(2026, 12, 31)).payments
    assert (q4.bonus_fen, q4.bonus_runs) == (50000, 1)


def test_industry_kind_and_new_business_form_breakdowns(db):
    town, zone = _area(db, "城关镇"), _area(db, "经开区")
    add_orgs(db, town, 2, industry="express", is_new_business_form=True, party_org_form="joint",
             party_member_count=3, employee_count=40)
    add_orgs(db, zone, 1, industry="manufacturing", employee_count=100)
    add_orgs(db, zone, 1, kind="social_org")
    result = stats.coverage_stats(db, Q2_END)
    assert [(r.name, r.organizations) for r in result.industries] == [
        ("快递", 2), ("制造业", 1), ("未填行业", 1)]
    assert [(r.name, r.organizations, r.party_members) for r in result.new_business_form] == [
        ("城关镇", 2, 6)]
    assert result.new_business_form_total.organizations == 2
    assert (result.kinds["enterprise"].organizations, result.kinds["social_org"].organizations) == (3, 1)
    assert (result.total.employees, result.total.joint) == (180, 2)


def test_report_tables_hold_totals_and_changes(source_db, tmp_path):
    zone = _area(source_db, "经开区")
    add_orgs(source_db, zone, 3, party_org_form="standalone", registered_on=date(2026, 4, 1),
             party_org_established_on=date(2026, 5, 1))
    add_orgs(source_db, zone, 1, closed_on=date(2026, 4, 15))
    result = stats.build_quarterly_report(source_db, "2026-Q2", tmp_path / "r.pdf",
                                          tmp_path / "r.xlsx", compiled_on=date(2026, 7, 5))
    table1, table2, table3 = result.report.tables[:3]
    assert table1.total[:4] == ("合计", 442, 147, "33.3%")
    zone_change = next(r for r in table2.rows if r[0] == "经开区")
    # Q1: 440 organizations (the one closed in April still active), 144 with a Party org.
    assert zone_change[:8] == ("经开区", 442, "+2", 147, "+3", "33.3%", "32.7%", "+0.6")
    assert table3.total == ("合计", 81, 66, 0, 147, 3, 0, 0, 3)
    assert result.pdf_path.exists() and result.xlsx_path.exists()
    assert "本季度新建党组织3个，其中单独组建3个。" in result.report.summary


def test_quarter_text_is_checked(db, tmp_path):
    with pytest.raises(UserError, match="季度"):
        stats.build_quarterly_report(db, "2026-05", tmp_path / "r.pdf")
    with pytest.raises(UserError, match="期间格式不正确"):
        stats.build_quarterly_report(db, "Q2", tmp_path / "r.pdf")


def test_unwritable_output_is_a_user_error(db, tmp_path):
    with pytest.raises(UserError, match="文件夹不存在"):
        stats.build_quarterly_report(db, "2026-Q2", tmp_path / "missing" / "r.pdf")
    with pytest.raises(UserError, match=r"应以 \.pdf 结尾"):
        stats.build_quarterly_report(db, "2026-Q2", tmp_path / "r.txt")
    assert list(tmp_path.glob("r*")) == []


def test_pdf_bytes_and_workbook_of_a_computed_report(source_db, tmp_path):
    report = stats.quarterly_report(source_db, stats.parse_quarter("2026-Q2"), date(2026, 7, 5))
    data, rendered = stats.quarterly_report_pdf(source_db, report)
    assert data.startswith(b"%PDF") and rendered.page_count == len(PdfReader(io.BytesIO(data)).pages)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "示范县两新组织党建工作季度统计报表" in text and "32.8%" in text
    path = stats.save_quarterly_workbook(report, tmp_path / "r.xlsx")
    assert load_workbook(path)["表1"]["A1"].value == report.tables[0].title
    with pytest.raises(UserError, match="文件夹不存在"):
        stats.save_quarterly_workbook(report, tmp_path / "missing" / "r.xlsx")
