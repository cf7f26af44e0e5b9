"""The 问题清单 screen and the 走访记录 section of an organization's page, driven
through the real widgets. Dialogs are driven as objects: their exec() is
patched (never a real modal), and refusals are caught by `shown_errors`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.domain import access
from desktop.domain.problems import Problem, Visit
from desktop.domain.registry import Instructor, Organization
from desktop.errors import UserError
from desktop.services import accounts, passwords, problems, registry, users
from desktop.views.registry.organization_form import OrganizationForm
from desktop.views.problems.dialogs import AdvanceDialog, NewProblemDialog, VisitDialog
from desktop.views.problems.screen import ProblemScreen
from factories import id_number

TODAY = date.today()
PASSWORD = "secret2026"


def drive(monkeypatch, cls, fill, seen: list) -> None:
    """Replace `cls.exec` with: fill the fields (the test presses 保存), return the outcome."""
    def fake_exec(dialog):
        seen.append(dialog)
        fill(dialog)
        return dialog.result()
    monkeypatch.setattr(cls, "exec", fake_exec)


def _org(db, area_id, name):
    return registry.create(db, Organization(name=name, area_id=area_id))


def _problem(db, org, description, *, found=60, deadline=-10, unit="县人社局", visit=None):
    """A problem found `found` days ago, due `deadline` days from today."""
    return problems.add_problem(db, Problem(
        organization_id=org, found_on=TODAY - timedelta(days=found), category="recruitment",
        description=description, responsible_unit=unit,
        deadline=TODAY + timedelta(days=deadline), visit_id=visit))


@pytest.fixture
def county(db, township_id):
    """城关镇: one overdue, one on time, one overdue but resolved; 经开区: one overdue."""
    zone = next(a.id for a in registry.townships(db) if a.name == "经开区")
    town_org, zone_org = _org(db, township_id, "城关快递有限公司"), _org(db, zone, "经开电子厂")
    ids = {"late": _problem(db, town_org, "招工缺口30人", deadline=-12),
           "on_time": _problem(db, town_org, "稳岗补贴未到账", deadline=10, unit="县财政局"),
           "closed": _problem(db, town_org, "厂房审批慢", deadline=-5),
           "zone_late": _problem(db, zone_org, "融资难", deadline=-3)}
    problems.advance(db, ids["closed"], "resolved", note="已办结")
    return {"town_org": town_org, "zone_org": zone_org, **ids}


def _screen(qtbot, context):
    screen = ProblemScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1280, 700)
    screen.show()
    return screen


def _column(screen, header):
    model = screen.model_
    c = [col.header for col in model.columns].index(header)
    return [model.index(r, c).data() for r in range(model.rowCount())]


def test_overdue_and_township_show_the_right_rows_marked_in_words_and_red(qtbot, context, county):
    screen = _screen(qtbot, context)
    # First view: what still needs doing (未办结), soonest deadline first.
    assert _column(screen, "问题描述") == ["招工缺口30人", "融资难", "稳岗补贴未到账"]
    assert screen.count_label.text() == f"共 3 个问题，其中逾期 2 个（截至 {TODAY.isoformat()}）"
    screen.status.set_value(None)  # 全部状态: the resolved one, past its deadline, is not overdue
    assert _column(screen, "逾期") == ["逾期 12 天", "", "逾期 3 天", ""]
    screen.overdue.setChecked(True)
    screen.township.set_value("城关镇")
    assert _column(screen, "问题描述") == ["招工缺口30人"]
    assert _column(screen, "逾期") == ["逾期 12 天"]
    color = screen.model_.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert color == "#c0282d"
    screen.overdue.setChecked(False)
    assert _column(screen, "问题描述") == ["招工缺口30人", "厂房审批慢", "稳岗补贴未到账"]
    assert screen.model_.index(2, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    screen.unit.setText("县财政局")
    screen.unit.editingFinished.emit()
    assert _column(screen, "问题描述") == ["稳岗补贴未到账"]


def test_search_and_the_timeline_of_the_selected_problem(qtbot, type_text, context, county):
    screen = _screen(qtbot, context)
    type_text(screen.search, "融资")
    assert _column(screen, "问题描述") == ["融资难"]
    screen.search.clear()
    screen.status.set_value("resolved")
    screen.table.selectRow(0)
    assert "厂房审批慢" in screen.detail.heading.text()
    assert [line[:4] for line in screen.detail.lines()] == [
        ((TODAY - timedelta(days=60)).isoformat(), "发现受理", "受理", "已受理"),
        (TODAY.isoformat(), "跟踪问效", "办结", "已办结")]
    assert screen.detail.lines()[1][4:] == ("测试员", "已办结")


def test_add_a_problem_through_the_dialog(qtbot, monkeypatch, context, county, shown_errors):
    screen = _screen(qtbot, context)
    seen: list = []

    def fill(dialog: NewProblemDialog):
        dialog.picker.find("经开电子")
        dialog.picker.matches.setCurrentRow(0)
        assert dialog.picker.value() == county["zone_org"]
        dialog.category.set_value("policy_payment")
        dialog.description.setPlainText("技改补贴20万元未拨付")
        qtbot.keyClicks(dialog.unit, "xian")  # typed; replaced by the unit's name below
        dialog.unit.setText("县经信局")
        dialog.submit()  # no deadline yet: refused in Chinese, the dialog stays open
        assert shown_errors == ["问题不能保存：请填写办结时限"] and dialog.result() == 0
        dialog.found_on.line.clear()
        qtbot.keyClicks(dialog.found_on.line, (TODAY - timedelta(days=2)).strftime("%Y/%m/%d"))
        qtbot.keyClicks(dialog.deadline.line, (TODAY + timedelta(days=30)).isoformat())
        assert dialog.submit()
    drive(monkeypatch, NewProblemDialog, fill, seen)
    assert screen.new_record() is seen[0]
    added = problems.get_problem(context.db, seen[0].saved_id)
    assert (added.organization_id, added.category, added.responsible_unit, added.status) == (
        county["zone_org"], "policy_payment", "县经信局", "accepted")
    assert added.found_on == TODAY - timedelta(days=2) and added.visit_id is None
    assert "技改补贴20万元未拨付" in _column(screen, "问题描述")  # the list refreshed itself
    assert screen.current_record().problem.id == added.id  # and selected it


def test_enter_opens_the_advance_dialog_with_the_allowed_steps(qtbot, monkeypatch, context, county):
    screen = _screen(qtbot, context)
    seen: list = []

    def fill(dialog: AdvanceDialog):
        offered = [dialog.target.itemText(i) for i in range(dialog.target.count())]
        assert offered == ["督导督办：督办中", "跟踪问效：已办结", "跟踪问效：未能解决"]
        dialog.target.set_value("supervising")
        dialog.note.setPlainText("已发督办单，请10日内办结")
        assert dialog.submit()
    drive(monkeypatch, AdvanceDialog, fill, seen)
    screen.table.setFocus()
    screen.table.selectRow(0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert len(seen) == 1 and seen[0].problem.id == county["late"]
    assert problems.get_problem(context.db, county["late"]).status == "supervising"
    assert screen.current_record().problem.id == county["late"]
    assert screen.detail.lines()[-1][1:] == ("督导督办", "督办", "督办中", "测试员",
                                             "已发督办单，请10日内办结")


def test_a_refused_step_is_shown_in_chinese_and_the_dialog_stays(qtbot, monkeypatch, context,
                                                                 county, shown_errors):
    screen = _screen(qtbot, context)
    seen: list = []

    def fill(dialog: AdvanceDialog):
        dialog.on.set_value(TODAY - timedelta(days=90))  # before the problem was found
        assert not dialog.submit()
        found = (TODAY - timedelta(days=60)).isoformat()
        assert shown_errors[-1] == (f"办理日期 {(TODAY - timedelta(days=90)).isoformat()}"
                                    f" 早于上一步骤的日期 {found}")
        # Another clerk resolves it meanwhile: the offered 督办 is refused, not written.
        problems.advance(context.db, county["late"], "resolved", note="另一位录入员已办结")
        dialog.on.set_value(TODAY)
        assert not dialog.submit()
        assert "不能退回或改为督办中" in shown_errors[-1]
    drive(monkeypatch, AdvanceDialog, fill, seen)
    screen.table.selectRow(0)
    screen.open_current()
    assert seen[0].result() != QDialog.DialogCode.Accepted
    assert [s.action for s in problems.timeline(context.db, county["late"])] == ["accept", "resolve"]


@pytest.fixture
def signed_in_viewer(db, monkeypatch):
    monkeypatch.setattr(passwords, "N", 2**8)  # cheap hashes: tests make several accounts
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    for role in (access.CLERK, access.VIEWER):
        accounts.add_user(db, role, [role], password=PASSWORD, must_change=False)
    users.sign_in(db, "viewer", PASSWORD)
    return db


def test_a_viewer_sees_the_buttons_disabled_and_the_service_refuses(qtbot, monkeypatch, context,
                                                                    county, signed_in_viewer):
    screen = _screen(qtbot, context)
    assert not screen.new_button.isEnabled() and not screen.advance_button.isEnabled()
    assert screen.export_button.isEnabled()  # reading and printing are every role's
    opened: list = []
    for cls in (NewProblemDialog, AdvanceDialog):
        monkeypatch.setattr(cls, "exec", lambda d: opened.append(d) or 0)
    screen.table.selectRow(0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert screen.new_record() is None and opened == []
    with pytest.raises(UserError, match="^当前用户（查看）无权修改问题清单"):
        problems.advance(context.db, county["late"], "supervising")
    with pytest.raises(UserError, match="无权"):
        problems.record_visit(context.db, Visit(organization_id=county["town_org"],
                                                visited_on=TODAY))
    form = OrganizationForm(context, registry.get(context.db, Organization, county["town_org"]))
    qtbot.addWidget(form)
    assert not form.visits.add_button.isEnabled() and not form.visits.problem_button.isEnabled()


def test_the_organization_page_lists_visits_and_adds_a_problem_from_one(
        qtbot, monkeypatch, context, db, township_id, show_form):
    org = _org(db, township_id, "城关物流园")
    teacher = registry.create(db, Instructor(name="周指导", id_number=id_number(7)))
    older = problems.record_visit(db, Visit(organization_id=org, visited_on=TODAY - timedelta(20),
                                            instructor_id=teacher, findings="企业生产正常"))
    _problem(db, org, "缺少党建活动场地", found=20, deadline=20, visit=older)
    form = show_form(OrganizationForm(context, registry.get(db, Organization, org)))
    assert form.visits.lines() == [((TODAY - timedelta(20)).isoformat(), "走访", "周指导",
                                    "企业生产正常", "1 个：缺少党建活动场地")]
    seen: list = []

    def new_visit(dialog: VisitDialog):
        dialog.visited_on.set_value(TODAY - timedelta(days=3))
        dialog.kind.set_value("meeting")
        dialog.findings.setPlainText("座谈中企业反映用工难")
        assert dialog.submit()
    drive(monkeypatch, VisitDialog, new_visit, seen)
    form.visits.add_visit()
    assert [line[:2] for line in form.visits.lines()] == [
        ((TODAY - timedelta(3)).isoformat(), "座谈"), ((TODAY - timedelta(20)).isoformat(), "走访")]

    def from_visit(dialog: NewProblemDialog):
        assert dialog.windowTitle() == "从走访新增问题"
        assert dialog.found_on.value() == TODAY - timedelta(days=3)  # the visit's date
        dialog.category.set_value("recruitment")
        dialog.description.setPlainText("一线工人缺口20人")
        dialog.unit.setText("县人社局")
        dialog.deadline.set_value(TODAY + timedelta(days=30))
        assert dialog.submit()
    drive(monkeypatch, NewProblemDialog, from_visit, seen)
    form.visits.table.selectRow(0)
    form.visits.add_problem()
    new = problems.get_problem(db, seen[-1].saved_id)
    newest_visit = problems.visits_of(db, org)[0]
    assert (new.visit_id, new.organization_id, new.found_on) == (
        newest_visit.id, org, TODAY - timedelta(days=3))
    assert form.visits.lines()[0][4] == "1 个：一线工人缺口20人"


def test_export_writes_the_filtered_list_off_the_gui_thread(qtbot, monkeypatch, context, county,
                                                            tmp_path):
    from openpyxl import load_workbook

    from desktop.views.problems import screen as screen_module

    screen = _screen(qtbot, context)
    screen.overdue.setChecked(True)
    out = tmp_path / "清单.xlsx"
    monkeypatch.setattr(screen_module, "ask_save_path", lambda *a: out)
    screen.export_view()
    qtbot.waitUntil(lambda: getattr(screen, "last_dialog", None) is not None, timeout=10000)
    assert "已导出 2 个问题" in screen.last_dialog.text()
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert "招工缺口30人" in cells and "融资难" in cells and "稳岗补贴未到账" not in cells


def test_in_the_main_window_ctrl_f_searches_and_ctrl_n_opens_a_new_problem(qtbot, monkeypatch,
                                                                           context, county):
    from desktop.views.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    screen = window.screen("问题清单")
    assert isinstance(screen, ProblemScreen)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels.index("问题清单") == labels.index("联络员") + 1
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is screen.search  # one Ctrl+F (the Edit menu's), not two ambiguous ones
    opened: list = []
    monkeypatch.setattr(NewProblemDialog, "exec", lambda d: opened.append(d) or 0)
    qtbot.keyClick(screen.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1


def test_tab_walks_the_new_problem_dialog_in_the_order_a_clerk_fills_it(qtbot, context, county):
    dialog = NewProblemDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # key presses reach the active window only
    fields = [dialog.picker.search, dialog.picker.matches, dialog.found_on.line, dialog.category,
              dialog.description, dialog.unit, dialog.person, dialog.deadline.line, dialog.note,
              *dialog.buttons.buttons()]
    dialog.picker.search.setFocus()
    visited = []
    for _ in fields:
        visited.append(dialog.focusWidget())
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert visited == fields  # Tab leaves a date field too (its calendar once trapped it)
    assert [b.text() for b in fields[-2:]] == ["保存", "取消"]
