"""The organization screen and form, driven through the real widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.domain.registry import LiaisonOfficer, Organization, Posting
from desktop.services import registry
from desktop.views.registry.organization_form import OrganizationForm
from desktop.views.registry.organization_screen import OrganizationScreen
from factories import id_number, uscc


def _seed(db, township_id, n=3):
    names = ["城关快递服务有限公司", "示范外卖平台", "城关物业管理中心"]
    for i in range(n):
        registry.create(db, Organization(
            name=names[i % 3] + ("" if i < 3 else str(i)), area_id=township_id, uscc=uscc(i),
            industry=("express", "food_delivery", "property")[i % 3],
            party_org_form="standalone" if i % 3 == 0 else "none", has_union=i % 3 == 1))


def _screen(qtbot, context):
    screen = OrganizationScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    return screen


def _visible_names(screen):
    model = screen.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_count_line_and_rows(qtbot, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    assert screen.count_label.text() == "共 3 家，已建党组织 1 家"
    assert sorted(_visible_names(screen)) == sorted(
        ["城关快递服务有限公司", "示范外卖平台", "城关物业管理中心"])


def test_typing_in_search_filters_the_table(qtbot, type_text, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    type_text(screen.search, "城关")
    assert sorted(_visible_names(screen)) == ["城关快递服务有限公司", "城关物业管理中心"]
    assert screen.count_label.text() == "共 2 家，已建党组织 1 家"
    type_text(screen.search, "物业")
    assert _visible_names(screen) == ["城关物业管理中心"]


def test_filter_dropdowns(qtbot, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    screen.industry.set_value("food_delivery")
    assert _visible_names(screen) == ["示范外卖平台"]
    screen.industry.set_value(None)
    screen.mass_org.set_value("yes")
    assert _visible_names(screen) == ["示范外卖平台"]
    screen.mass_org.set_value(None)
    screen.party_form.set_value("standalone")
    assert _visible_names(screen) == ["城关快递服务有限公司"]


def test_a_first_start_lists_a_to_z(qtbot, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    header = screen.table.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert not screen.model.descending
    names = _visible_names(screen)
    assert names[0].startswith("城关") and names[-1] == "示范外卖平台"


def test_sorting_by_header(qtbot, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    screen.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    names = _visible_names(screen)
    assert names == sorted(names, reverse=True)


def test_create_by_typing_into_the_form(qtbot, type_text, context, db, township_id):
    screen = _screen(qtbot, context)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    form = screen.form
    assert isinstance(form, OrganizationForm)
    type_text(form.fields["name"], "新建测试科技有限公司")
    qtbot.keyClicks(form.fields["uscc"], uscc(42))
    form.fields["industry"].set_value("internet")
    type_text(form.fields["employee_count"], "35")
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClick(form.fields["employee_count"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    assert _visible_names(screen) == ["新建测试科技有限公司"]
    assert screen.count_label.text() == "共 1 家，已建党组织 0 家"
    saved = registry.list_organizations(db).rows[0][0]
    assert (saved.uscc, saved.industry, saved.employee_count) == (uscc(42), "internet", 35)


def test_invalid_uscc_is_refused_with_its_reason(qtbot, show_form, type_text, context, db):
    form = show_form(OrganizationForm(context))
    type_text(form.fields["name"], "校验位错误公司")
    wrong = uscc(7)[:-1] + ("0" if uscc(7)[-1] != "0" else "1")
    qtbot.keyClicks(form.fields["uscc"], wrong)
    # A full-length code is judged as soon as it is typed.
    reason = form.fields["uscc"].error_label.text()
    assert reason.startswith("统一社会信用代码校验位错误，应为")
    assert form.fields["uscc"].error_label.isVisible()
    assert form.save() is False
    assert form.isVisible()
    assert registry.list_organizations(db).total == 0


def test_empty_form_is_not_red_until_save(qtbot, show_form, context):
    form = show_form(OrganizationForm(context))
    assert not form.fields["name"].error_label.isVisible()
    form.save()
    assert form.fields["name"].error_label.text() == "名称不能为空"


def test_bad_count_and_date_are_marked(qtbot, show_form, type_text, context):
    form = show_form(OrganizationForm(context))
    type_text(form.fields["employee_count"], "十二")
    qtbot.keyClicks(form.fields["registered_on"].line, "2026-13-01")
    form.save()
    assert form.fields["employee_count"].error_label.text() == "从业人员数应为不小于 0 的整数"
    assert form.fields["registered_on"].error_label.text()


def test_edit_via_enter_and_save(qtbot, type_text, context, db, township_id):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    screen.table.setFocus()
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    first = screen.model.record_at(0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    form = screen.form
    assert form.record == first
    form.fields["name"].clear()
    type_text(form.fields["name"], "改名后的公司")
    assert form.save()
    assert "改名后的公司" in _visible_names(screen)
    assert first.name not in _visible_names(screen)


def test_double_click_opens_the_record(qtbot, context, db, township_id):
    _seed(db, township_id, 1)
    screen = _screen(qtbot, context)
    rect = screen.table.visualRect(screen.model.index(0, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.form is not None and screen.form.record.name == "城关快递服务有限公司"


def test_delete_asks_and_soft_deletes(qtbot, context, db, township_id, answer):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    record = screen.model.record_at(0)
    form = screen.open_record(record)
    assert form.delete()
    assert answer.asked and record.name in answer.asked[0]
    assert record.name not in _visible_names(screen)
    assert screen.count_label.text().startswith("共 2 家")
    assert "派驻" not in answer.asked[0]


def test_delete_names_the_officers_still_posted(qtbot, context, db, township_id, answer):
    _seed(db, township_id)
    screen = _screen(qtbot, context)
    record = screen.model.record_at(0)
    for n, end in ((1, None), (2, date(2001, 1, 31)), (3, date(2099, 12, 31))):
        officer = registry.create(db, LiaisonOfficer(name=f"联络员{n}", id_number=id_number(n)))
        registry.create(db, Posting(officer_id=officer, organization_id=record.id,
                                    start_on=date(2000, 1, 1), end_on=end))
    answer.yes = False
    form = screen.open_record(record)
    assert not form.delete()
    assert "仍有 2 名驻企联络员在派驻" in answer.asked[0]  # the one who left is not counted
    assert record.name in _visible_names(screen)


def test_escape_asks_before_discarding(qtbot, show_form, type_text, context, answer):
    form = show_form(OrganizationForm(context))
    type_text(form.fields["name"], "未保存")
    answer.yes = False
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible() and len(answer.asked) == 1
    answer.yes = True
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_escape_on_untouched_form_closes_without_asking(qtbot, show_form, context, answer):
    form = show_form(OrganizationForm(context))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and not answer.asked


def test_duplicate_uscc_shows_the_services_reason(qtbot, show_form, type_text, context, db, township_id):
    _seed(db, township_id, 1)
    form = show_form(OrganizationForm(context))
    type_text(form.fields["name"], "重复代码公司")
    qtbot.keyClicks(form.fields["uscc"], uscc(0))
    assert form.save() is False
    assert "重复的统一社会信用代码" in form.banner.text()


def test_a_long_list_counts_off_the_gui_thread(qtbot, context, db, township_id, monkeypatch):
    from desktop.views import paged_model

    monkeypatch.setattr(paged_model, "PAGE_SIZE", 4)
    _seed(db, township_id, n=9)
    screen = _screen(qtbot, context)
    qtbot.waitUntil(lambda: not screen.model.counting, timeout=5000)
    assert screen.model.rowCount() == 9
    assert screen.count_label.text() == "共 9 家，已建党组织 3 家"


def test_typing_stops_at_the_length_limit_and_a_longer_stored_name_is_shown_whole(
        qtbot, show_form, context, db, township_id):
    form = show_form(OrganizationForm(context))
    assert form.fields["name"].maxLength() == 100
    assert form.fields["address"].maxLength() == 200
    # A name stored before the limits existed is not cut silently; saving it names the limit.
    long_name = "企" * 150
    org_id = registry.create(db, Organization(name="旧企业", area_id=township_id))
    db.execute("UPDATE organization SET name = ? WHERE id = ?", (long_name, org_id))
    old = registry.get(db, Organization, org_id)
    edit = show_form(OrganizationForm(context, old))
    assert edit.fields["name"].text() == long_name
    assert edit.save() is False
    assert "名称过长（150 字），最多 100 字" in edit.fields["name"].error_label.text()
