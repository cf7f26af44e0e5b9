"""The 设置 screen and the first-start dialog."""

from __future__ import annotations

from desktop import paths
from desktop.services import registry, workspace
from desktop.views.setup.first_run import (
    FirstRunChoice, FirstRunDialog, create_county_database, needs_first_run,
)
from desktop.views.setup.screen import SettingsScreen


def test_settings_saves_county_and_operator(qtbot, type_text, context, db):
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    screen.county.clear()
    type_text(screen.county, "宜城县")
    screen.operator.clear()
    type_text(screen.operator, "李四")
    screen.save_basics()
    assert workspace.county_name(db) == "宜城县"
    assert context.settings.operator == "李四"


def test_areas_added_renamed_and_offered_in_the_screens(qtbot, type_text, context, db, answer):
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    assert screen.area_list.count() == 2
    type_text(screen.area_name, "梅河镇")
    screen.add_area()
    assert [a.name for a in registry.townships(db)][-1] == "梅河镇"
    assert screen.area_list.count() == 3
    screen.area_list.setCurrentRow(2)
    screen.area_name.clear()
    type_text(screen.area_name, "梅河街道")
    screen.area_kind.set_value("street")
    screen.rename_area()
    assert registry.townships(db)[-1].name == "梅河街道"
    screen.area_list.setCurrentRow(2)
    screen.remove_area()
    assert [a.name for a in registry.townships(db)] == ["城关镇", "经开区"]


def test_duplicate_area_name_is_explained(qtbot, type_text, context):
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    type_text(screen.area_name, "城关镇")
    screen.add_area()
    assert "同一上级区划下已有同名区划" in screen.area_error.text()


def test_first_run_needs_both_names(qtbot, type_text):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    type_text(dialog.county, "宜城县")
    dialog.start()
    assert dialog.choice is None and "操作人姓名" in dialog.error.text()
    type_text(dialog.operator, "张三")
    dialog.start()
    assert dialog.choice == FirstRunChoice(county="宜城县", operator="张三")


def test_first_run_offers_the_demo(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.demo_button.click()
    assert dialog.choice is not None and dialog.choice.demo


def test_first_run_creates_the_county_database():
    assert needs_first_run(None, False)
    path = create_county_database(FirstRunChoice(county="宜城县", operator="张三"))
    assert path == paths.default_db_path()
    assert not needs_first_run(None, False)
    db = workspace.open_workspace(path)
    try:
        assert workspace.county_name(db) == "宜城县"
    finally:
        db.close()


def test_a_start_up_warning_is_shown_not_only_in_the_status_bar(qtbot, db, _home):
    from desktop.views.session import Session
    from desktop.views.settings import AppSettings

    session = Session(lambda path, operator: (db, ""), AppSettings(_home / "s.ini"))
    window = session.show(db, "数据库位于网络共享文件夹：//nas/a.sqlite3。")
    qtbot.addWidget(window)
    assert session.warning_box is not None and session.warning_box.isVisible()
    assert "网络共享文件夹" in session.warning_box.text()
    assert "网络共享文件夹" in window.statusBar().currentMessage()
    session.warning_box.close()
    quiet = Session(lambda path, operator: (db, ""), AppSettings(_home / "t.ini"))
    qtbot.addWidget(quiet.show(db, ""))
    assert quiet.warning_box is None


def test_demo_opened_without_an_operator_shows_the_demo_operator(qtbot, db, _home):
    from desktop.services.demo import DEMO_MARK, DEMO_OPERATOR
    from desktop.views.session import Session
    from desktop.views.settings import AppSettings

    workspace.set_setting(db, DEMO_MARK, "1")
    window = Session(lambda path, operator: (db, ""), AppSettings(_home / "s.ini")).show(db)
    qtbot.addWidget(window)
    assert window.operator_label.text() == f"操作人：{DEMO_OPERATOR}"
    settings = AppSettings(_home / "t.ini")
    settings.operator = "李四"
    named = Session(lambda path, operator: (db, ""), settings).show(db)
    qtbot.addWidget(named)
    assert named.operator_label.text() == "操作人：李四"
