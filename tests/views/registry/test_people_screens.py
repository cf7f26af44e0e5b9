"""Instructor and officer screens and forms, with postings, assignments and
assessments edited inside the person's form."""

from __future__ import annotations

from datetime import date

from desktop.domain.registry import Instructor, LiaisonOfficer, Organization
from desktop.services import registry
from desktop.views.registry.officer_form import OfficerForm
from desktop.views.registry.people_screens import InstructorScreen, OfficerScreen
from factories import id_number, uscc


def _names(screen):
    return [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]


def _org(db, township_id, name, serial):
    return registry.create(db, Organization(name=name, area_id=township_id, uscc=uscc(serial)))


def test_officer_list_search_and_count(qtbot, type_text, context, db):
    for i, name in enumerate(["张伟", "李娜", "张敏"]):
        registry.create(db, LiaisonOfficer(name=name, id_number=id_number(i), home_unit="县委组织部"))
    screen = OfficerScreen(context)
    qtbot.addWidget(screen)
    assert screen.count_label.text() == "共 3 人"
    type_text(screen.search, "张")
    assert sorted(_names(screen)) == ["张伟", "张敏"]
    assert screen.count_label.text() == "共 2 人"
    # ID numbers are masked in the list.
    assert "*" in screen.model.index(0, 1).data()


def test_new_officer_with_a_wrong_id_check_character(qtbot, type_text, show_form, context, db):
    form = show_form(OfficerForm(context))
    type_text(form.fields["name"], "王强")
    good = id_number(5)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    qtbot.keyClicks(form.fields["id_number"], wrong)
    assert form.fields["id_number"].error_label.text().startswith("公民身份号码校验位错误，应为")
    assert not form.save()
    form.fields["id_number"].clear()
    qtbot.keyClicks(form.fields["id_number"], good)
    assert not form.fields["id_number"].error_label.isVisible()
    assert form.save()
    assert registry.list_officers(db).total == 1


def test_posting_added_in_the_officer_form(qtbot, type_text, show_form, context, db, township_id):
    _org(db, township_id, "城关快递有限公司", 1)
    _org(db, township_id, "城关外卖平台", 2)
    form = show_form(OfficerForm(context))
    type_text(form.fields["name"], "赵军")
    qtbot.keyClicks(form.fields["id_number"], id_number(9))
    # Adding a posting saves the new officer first.
    dialog = form.postings.add()
    assert form.record is not None and form.record.id
    type_text(dialog.picker.search, "外卖")
    assert dialog.picker.matches.count() == 1
    dialog.picker.matches.setCurrentRow(0)
    qtbot.keyClicks(dialog.start.line, "2026-03-01")
    assert dialog.save()
    assert form.postings.table.item(0, 0).text() == "城关外卖平台"
    assert form.postings.table.item(0, 2).text() == "至今"
    postings = registry.postings_of(db, form.record.id)
    assert [(p.start_on, name) for p, name in postings] == [(date(2026, 3, 1), "城关外卖平台")]


def test_posting_dates_are_checked_in_the_dialog(qtbot, show_form, context, db, township_id):
    _org(db, township_id, "城关快递有限公司", 1)
    officer = registry.get(db, LiaisonOfficer, registry.create(
        db, LiaisonOfficer(name="钱涛", id_number=id_number(3))))
    form = show_form(OfficerForm(context, officer))
    dialog = form.postings.add()
    dialog.picker.matches.setCurrentRow(0)
    qtbot.keyClicks(dialog.start.line, "2026-05-01")
    qtbot.keyClicks(dialog.end.line, "2026-04-30")
    assert not dialog.save()
    assert dialog.banner.text() == "结束日期早于开始日期"
    assert registry.postings_of(db, officer.id) == []


def test_assessment_added_and_deleted(qtbot, show_form, context, db, answer):
    officer = registry.get(db, LiaisonOfficer, registry.create(
        db, LiaisonOfficer(name="孙丽", id_number=id_number(4))))
    form = show_form(OfficerForm(context, officer))
    dialog = form.assessments.add()
    dialog.year.setValue(2025)
    dialog.grade.set_value("excellent")
    assert dialog.save()
    assert [form.assessments.table.item(0, c).text() for c in range(2)] == ["2025", "优秀"]
    form.assessments.table.selectRow(0)
    assert form.assessments.remove()
    assert form.assessments.table.rowCount() == 0
    assert registry.assessments_of(db, officer.id) == []


def test_instructor_screen_filters_by_township_and_edits_assignments(
        qtbot, context, db, township_id):
    org = _org(db, township_id, "城关物业管理中心", 6)
    registry.create(db, Instructor(name="周明", id_number=id_number(11), area_id=township_id))
    registry.create(db, Instructor(name="吴刚", id_number=id_number(12)))
    screen = InstructorScreen(context)
    qtbot.addWidget(screen)
    assert screen.count_label.text() == "共 2 人"
    screen.township.set_value(township_id)
    assert _names(screen) == ["周明"]
    form = screen.open_record(screen.model.record_at(0))
    dialog = form.assignments.add()
    dialog.picker.matches.setCurrentRow(0)
    qtbot.keyClicks(dialog.start.line, "2025/1/1")
    assert dialog.save()
    assert registry.assignments_of(db, form.record.id)[0][0].organization_id == org
    # The list shows how many organizations each instructor guides today.
    assert screen.model.index(0, 5).data() == "1"


def test_the_organization_picker_lists_the_first_matches_and_says_there_are_more(
        qtbot, context, db, township_id, monkeypatch):
    from desktop.domain.registry import Organization
    from desktop.services import registry
    from desktop.views.registry import org_picker

    monkeypatch.setattr(org_picker, "MATCHES_SHOWN", 3)
    for n in range(5):
        registry.create(db, Organization(name=f"示范物流{n}公司", area_id=township_id))
    picker = org_picker.OrganizationPicker(context)
    qtbot.addWidget(picker)
    picker.find("物流")
    lines = [picker.matches.item(k).text() for k in range(picker.matches.count())]
    assert lines == ["示范物流0公司（城关镇）", "示范物流1公司（城关镇）", "示范物流2公司（城关镇）",
                     "……只列出前 3 家，请输入更多文字缩小范围"]
    picker.find("物流4")
    assert picker.matches.count() == 1
