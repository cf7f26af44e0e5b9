"""The data exchange in the GUI: the preview dialog with its conflicts, the
merge with the clerk's choices, 数据报送, and 本机是 in 设置 and at first start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop import paths
from desktop.domain.registry import Organization
from desktop.services import exchange, exchange_view, registry, workspace
from desktop.views.context import AppContext
from desktop.views.exchange.actions import ExchangeActions
from desktop.views.exchange.installation import InstallationBox
from desktop.views.exchange.preview_dialog import PreviewDialog
from desktop.views.exchange.submissions_screen import NOT_SENT, SubmissionsScreen
from desktop.views.setup.first_run import FirstRunDialog, create_county_database
from desktop.views.settings import AppSettings
from tests.views.exchange.exchange_scenario import conflicted

WAIT = 10000


@pytest.fixture
def scenario(tmp_path):
    built = conflicted(tmp_path / "offices")
    yield built
    built.close()


def _context(db, home):
    return AppContext(db, operator="县里", settings=AppSettings(home / "exchange.ini"))


def _dialog(qtbot, db, path) -> PreviewDialog:
    preview = exchange.preview_import(db, path)
    dialog = PreviewDialog(preview, exchange_view.reference_names(db, preview.plan))
    qtbot.addWidget(dialog)
    return dialog


def _fields(dialog: PreviewDialog) -> dict[str, tuple[str, str]]:
    t = dialog.fields
    return {t.item(i, 0).text(): (t.item(i, 1).text(), t.item(i, 2).text())
            for i in range(t.rowCount())}


def test_the_preview_shows_sender_counts_and_each_conflict_field_by_field(qtbot, scenario):
    dialog = _dialog(qtbot, scenario.county, scenario.package)
    assert "白沙镇" in dialog.header.text() and "第 2 号" in dialog.header.text()
    counts = {k: label.text() for k, label in dialog.count_labels.items()}
    assert counts["new"] == "1" and counts["conflicts"] == "2"
    assert dialog.list.count() == 2
    rows = {dialog.conflicts[i].local_id: i for i in range(2)}
    dialog.list.setCurrentRow(rows[scenario.express_id])
    assert "白沙快递" in dialog.detail_title.text()
    # Differing fields only, with the labels and value names the forms use.
    assert _fields(dialog) == {"从业人员数": ("12", "40"), "行业": ("快递", "互联网")}
    dialog.list.setCurrentRow(rows[scenario.food_id])
    assert _fields(dialog) == {"地址": ("白沙镇老街1号（县里核实）", "白沙镇新街8号")}


def test_import_is_enabled_only_once_every_conflict_is_decided(qtbot, scenario):
    dialog = _dialog(qtbot, scenario.county, scenario.package)
    assert not dialog.import_button.isEnabled() and "2 处冲突" in dialog.status.text()
    dialog.list.setCurrentRow(0)
    dialog.take.click()
    assert not dialog.import_button.isEnabled() and dialog.undecided() == 1
    assert "采用对方" in dialog.list.item(0).text() and "未选择" in dialog.list.item(1).text()
    dialog.list.setCurrentRow(1)
    assert not dialog.keep.isChecked() and not dialog.take.isChecked()
    dialog.keep.click()
    assert dialog.import_button.isEnabled()
    dialog.list.setCurrentRow(0)
    assert dialog.take.isChecked()
    dialog.choose_all("ours")
    assert set(dialog.choices.values()) == {"ours"} and dialog.keep.isChecked()


def test_the_menu_imports_with_the_choices_made_and_a_progress_bar(qtbot, tmp_path, _home,
                                                                   monkeypatch):
    scenario = conflicted(tmp_path / "offices", more=520)
    context = _context(scenario.county, _home)
    actions = ExchangeActions(None, context)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(scenario.package), "")))
    passed, steps = [], []
    real_merge = exchange.merge_package

    def merge(db, path, **kw):
        passed.append(kw["choices"])
        return real_merge(db, path, **kw)
    monkeypatch.setattr(exchange, "merge_package", merge)
    actions.choose_and_import()
    qtbot.waitUntil(lambda: actions.dialog is not None, timeout=WAIT)
    dialog = actions.dialog
    qtbot.addWidget(dialog)
    dialog.show_progress = lambda done, total, text="": steps.append((done, total))
    rows = {a.local_id: i for i, a in enumerate(dialog.conflicts)}
    dialog.choose(rows[scenario.express_id], "theirs")
    dialog.choose(rows[scenario.food_id], "ours")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=WAIT)
    assert passed == [{("organization", scenario.express_id): "theirs",
                       ("organization", scenario.food_id): "ours"}]
    express = registry.get(scenario.county, Organization, scenario.express_id)
    food = registry.get(scenario.county, Organization, scenario.food_id)
    assert express.employee_count == 40 and food.address == "白沙镇老街1号（县里核实）"
    assert steps and steps[0][0] == 500 and steps[0][1] > 520  # the merge reports every 500 rows
    scenario.close()


def test_an_already_merged_package_says_so_and_offers_no_import(qtbot, scenario):
    exchange.merge_package(scenario.county, scenario.package, resolve_all="ours")
    dialog = _dialog(qtbot, scenario.county, scenario.package)
    assert dialog.import_button is None and dialog.close_button.text() == "关闭"
    assert "已经导入过" in dialog.header.text()


def test_a_refused_package_shows_the_reason(qtbot, scenario, _home, shown_errors):
    actions = ExchangeActions(None, _context(scenario.town, _home))
    handle = actions.preview(scenario.package)  # the township's own package
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT)
    assert actions.dialog is None and shown_errors == ["该交换包是本机生成的，不能导入本机"]


def test_the_menu_exports_under_the_standard_name(qtbot, scenario, _home, monkeypatch):
    from desktop.views.main_window import MainWindow

    window = MainWindow(_context(scenario.town, _home), screens=[])
    qtbot.addWidget(window)
    titles = [a.text() for a in window.exchange_menu.actions()]
    assert titles == ["生成交换包…", "导入交换包…"]
    proposed = []
    out = _home / "out.lxpkg"

    def save(parent, title, suggested, filter_):
        proposed.append(suggested)
        return str(out.with_suffix("")), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    window.exchange_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: window.exchange.task is not None and window.exchange.task.done,
                    timeout=WAIT)
    today = date.today().strftime("%Y%m%d")
    assert proposed[0].endswith(f"宜城县-白沙镇-{today}-3.lxpkg")  # 第1、2号 already made
    assert out.exists() and exchange.preview_import(scenario.county, out).sender.sequence == 3


def test_submissions_list_every_township_and_flag_those_that_sent_nothing(qtbot, scenario, _home):
    exchange.merge_package(scenario.county, scenario.package, resolve_all="theirs")
    screen = SubmissionsScreen(_context(scenario.county, _home))
    qtbot.addWidget(screen)
    rows = {r[0]: r for r in screen.row_texts()}
    assert set(rows) == {"白沙镇", "青山乡", "经开区"}
    assert rows["白沙镇"][1] == "第 2 号" and rows["白沙镇"][-1] == "已报送"
    assert rows["白沙镇"][4] == str(exchange.exchange_log(scenario.county)[-1].row_count)
    assert rows["青山乡"][1] == "从未报送" and rows["青山乡"][-1] == NOT_SENT
    flagged = [screen.table.item(i, 0).foreground().color().name()
               for i in range(screen.table.rowCount())]
    assert flagged.count("#c8102e") == 2
    assert "未报送 2 个" in screen.summary.text() and screen.import_button.isVisibleTo(screen)
    # Next quarter the same package no longer counts.
    next_quarter = date.today() + timedelta(days=95)
    later = SubmissionsScreen(_context(scenario.county, _home), today=next_quarter)
    qtbot.addWidget(later)
    assert [r[-1] for r in later.row_texts()] == [NOT_SENT] * 3


def test_a_township_sees_the_packages_it_made(qtbot, scenario, _home):
    screen = SubmissionsScreen(_context(scenario.town, _home))
    qtbot.addWidget(screen)
    assert [r[0] for r in screen.row_texts()] == ["第 2 号", "第 1 号"]
    assert not screen.import_button.isVisibleTo(screen) and screen.export_button.isVisibleTo(screen)


def test_settings_shows_the_installation_and_changes_it_after_asking(qtbot, context, db, answer):
    box = InstallationBox(context)
    qtbot.addWidget(box)
    ident = exchange.identity(db)
    assert "县委组织部" in box.current.text() and box.ident.text() == ident.id
    box.chooser.township.click()
    box.chooser.name.setText("城关镇")
    answer.yes = False
    box.change()
    assert exchange.identity(db).level == "county" and box.chooser.level() == "county"
    box.chooser.township.click()
    box.chooser.name.setText("城关镇")
    answer.yes = True
    box.change()
    assert exchange.identity(db).level == "township" and exchange.identity(db).township == "城关镇"
    assert "城关镇" in box.current.text() and len(answer.asked) == 2


def test_first_run_stores_a_township_installation(qtbot, type_text):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert not dialog.installation.name.isEnabled()
    type_text(dialog.county, "宜城县")
    type_text(dialog.operator, "张三")
    dialog.installation.township.click()
    assert dialog.installation.name.isEnabled()
    dialog.start()
    assert dialog.choice is None and "乡镇" in dialog.error.text()
    type_text(dialog.installation.name, "白沙镇")
    dialog.start()
    assert dialog.choice.level == "township" and dialog.choice.township == "白沙镇"
    db = workspace.open_workspace(create_county_database(dialog.choice))
    try:
        ident = exchange.identity(db)
        assert (ident.level, ident.township, ident.county) == ("township", "白沙镇", "宜城县")
    finally:
        db.close()
    assert paths.default_db_path().exists()


def test_a_merge_refused_leaves_the_dialog_to_try_again(qtbot, scenario, _home, monkeypatch,
                                                        shown_errors):
    from desktop.errors import UserError

    actions = ExchangeActions(None, _context(scenario.county, _home))
    handle = actions.preview(scenario.package)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT)
    dialog = actions.dialog
    qtbot.addWidget(dialog)

    def refuse(*args, **kwargs):
        raise UserError("还有 1 处冲突没有选择保留本机还是采用对方，未导入任何数据")
    monkeypatch.setattr(exchange, "merge_package", refuse)
    dialog.choose_all("theirs")
    dialog.import_button.click()
    assert not dialog.import_button.isEnabled() and not dialog.keep_all.isEnabled()
    qtbot.waitUntil(lambda: actions.task.done, timeout=WAIT)
    assert shown_errors == ["还有 1 处冲突没有选择保留本机还是采用对方，未导入任何数据"]
    assert dialog.import_button.isEnabled() and dialog.keep_all.isEnabled()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert registry.get(scenario.county, Organization, scenario.express_id).employee_count == 12
