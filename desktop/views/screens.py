"""The screens of the navigation list, in order.

A screen is added with one line: its label and "module:Class". The class is
called as `Class(context)` and returns a QWidget. An entry whose module does
not exist yet is hidden, so the list can name screens other features are still
building without ever showing a placeholder. Modules are imported when their
screen is first shown, so a PDF screen's libraries do not slow the start.

A screen may offer any of: refresh(), new_record(), open_current(),
focus_search(), save_state(), export_view(); the Edit menu uses what is there.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

ScreenFactory = Callable[..., QWidget]


@dataclass(frozen=True)
class ScreenEntry:
    """One navigation entry: the label and where its widget class lives."""

    label: str
    target: str  # "package.module:ClassName"
    action: str = ""  # shown only to a user whose roles allow it (desktop.domain.access)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("组织", "desktop.views.registry.organization_screen:OrganizationScreen"),
    ScreenEntry("指导员", "desktop.views.registry.people_screens:InstructorScreen"),
    ScreenEntry("联络员", "desktop.views.registry.people_screens:OfficerScreen"),
    ScreenEntry("问题清单", "desktop.views.problems.screen:ProblemScreen"),
    ScreenEntry("补贴发放", "desktop.views.payments.screen:PaymentScreen"),
    ScreenEntry("季度报表", "desktop.views.stats.screen:StatsScreen"),
    ScreenEntry("组工信息", "desktop.views.bulletin.screen:BulletinScreen"),
    ScreenEntry("数据报送", "desktop.views.exchange.submissions_screen:SubmissionsScreen"),
    ScreenEntry("审计日志", "desktop.views.audit.screen:AuditLogScreen", action="audit.read"),
    ScreenEntry("用户管理", "desktop.views.users.manage_screen:UserAdminScreen",
                action="users.manage"),
    ScreenEntry("设置", "desktop.views.setup.screen:SettingsScreen"),
)


def exists(entry: ScreenEntry) -> bool:
    """True when the screen's module is part of the app (found, not imported:
    start-up only pays for the screens a clerk opens)."""
    module_name = entry.target.partition(":")[0]
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


def load(entry: ScreenEntry) -> ScreenFactory:
    """Import the screen's module and return its class."""
    module_name, _, class_name = entry.target.partition(":")
    factory = getattr(importlib.import_module(module_name), class_name)
    if not callable(factory):
        raise TypeError(f"{entry.target} is not a screen class")
    return factory


def _lazy(entry: ScreenEntry) -> ScreenFactory:
    def build(*args: object, **kwargs: object) -> QWidget:
        return load(entry)(*args, **kwargs)
    return build


def available(entries: tuple[ScreenEntry, ...] = SCREENS,
              allows: Callable[[str], bool] | None = None) -> list[tuple[str, ScreenFactory]]:
    """(label, factory) of every screen that exists and the signed-in user may
    open (`allows(action)`), in navigation order; the module is imported when
    the screen is first built."""
    return [(entry.label, _lazy(entry)) for entry in entries
            if exists(entry) and (not entry.action or allows is None or allows(entry.action))]
