"""The main window: navigation, lazily built screens, status bar, menus,
remembered layout, and screens that are hidden until their module exists."""

from __future__ import annotations

from desktop.domain.registry import Organization
from desktop.services import registry
from desktop.views import screens
from desktop.views.main_window import MainWindow
from desktop.views.registry.organization_screen import OrganizationScreen
from desktop.views.screens import ScreenEntry
from desktop.views.settings import AppSettings


def _window(qtbot, context, entries=None):
    window = MainWindow(context, entries)
    qtbot.addWidget(window)
    window.show()
    return window


def test_navigation_lists_the_existing_screens_in_order(qtbot, context):
    window = _window(qtbot, context)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    expected = [e.label for e in screens.SCREENS if screens.exists(e)]
    assert labels == expected
    assert labels[:3] == ["组织", "指导员", "联络员"]
    assert labels[-1] == "设置"
    assert isinstance(window.current_screen(), OrganizationScreen)


def test_a_screen_whose_module_is_absent_is_hidden():
    entries = (ScreenEntry("组织", "desktop.views.registry.organization_screen:OrganizationScreen"),
               ScreenEntry("补贴发放", "desktop.views.no_such_screen_yet:PaymentScreen"))
    assert [label for label, _ in screens.available(entries)] == ["组织"]


def test_screens_are_built_when_first_shown(qtbot, context):
    window = _window(qtbot, context)
    assert list(window.pages) == ["组织"]
    window.nav.setCurrentRow(window.nav.count() - 1)
    assert len(window.pages) == 2


def test_status_bar_shows_database_counts_and_operator(qtbot, context, db, township_id):
    registry.create(db, Organization(name="状态栏测试公司", area_id=township_id))
    window = _window(qtbot, context)
    qtbot.waitUntil(lambda: window.counts_label.text() != "")
    assert window.counts_label.text() == "组织 1 家 · 指导员 0 人 · 联络员 0 人"
    assert str(context.db_path) in window.db_label.text()
    assert window.operator_label.text() == "操作人：测试员"


def test_counts_follow_a_save(qtbot, show_form, context, township_id):
    window = _window(qtbot, context)
    screen = window.current_screen()
    form = screen.new_record()
    form.fields["name"].setText("新公司")
    assert form.save()
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("组织 1 家"))


def test_menus(qtbot, context):
    window = _window(qtbot, context)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    files = [a.text() for a in window.file_menu.actions() if a.text()]
    for wanted in ("新建数据库…", "打开数据库…", "立即备份", "从备份恢复…", "检查数据库", "退出"):
        assert wanted in files


def test_layout_is_remembered(qtbot, context, db, _home):
    window = _window(qtbot, context)
    window.resize(780, 540)
    window.splitter.setSizes([150, 600])
    header = window.current_screen().table.horizontalHeader()
    header.resizeSection(0, 333)
    window.close()
    context.settings = AppSettings(context.settings.path)
    again = _window(qtbot, context)
    assert again.size().width() == 780
    assert again.splitter.sizes()[0] == 150
    assert again.current_screen().table.horizontalHeader().sectionSize(0) == 333


def test_a_screen_with_an_action_is_listed_only_for_users_it_allows():
    from desktop.views import screens

    entries = (screens.ScreenEntry("组织", "desktop.views.registry.organization_screen:OrganizationScreen"),
               screens.ScreenEntry("设置", "desktop.views.setup.screen:SettingsScreen",
                                   action="settings.change"))
    assert [label for label, _ in screens.available(entries, allows=lambda a: False)] == ["组织"]
    assert [label for label, _ in screens.available(entries, allows=lambda a: True)] == [
        "组织", "设置"]


def test_only_the_first_nine_screens_get_a_ctrl_digit_shortcut(context, qtbot):
    from PySide6.QtWidgets import QLabel

    from desktop.views.main_window import MainWindow

    entries = [(f"页面{n}", lambda ctx: QLabel()) for n in range(11)]
    window = MainWindow(context, screens=entries)
    qtbot.addWidget(window)
    view = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("视图"))
    shortcuts = [a.shortcut().toString() for a in view.actions()]
    assert shortcuts[:9] == [f"Ctrl+{n}" for n in range(1, 10)] and shortcuts[9:] == ["", ""]
