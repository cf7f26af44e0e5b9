"""The screens of the navigation list, in order.

A screen is added with one line: its label and "module:Class". The class is
called as `Class(context)` and returns a QWidget. An entry whose module does
not exist yet is hidden, so the list can name screens other features are still
building without ever showing a placeholder.

A screen may offer any of: refresh(), new_record(), open_current(),
focus_search(), save_state(), export_view(); the Edit menu uses what is there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

ScreenFactory = Callable[..., QWidget]


@dataclass(frozen=True)
class ScreenEntry:
    """One navigation entry: the label and where its widget class lives."""

    label: str
    target: str  # "package.module:ClassName"


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("组织", "desktop.views.organization_screen:OrganizationScreen"),
    ScreenEntry("指导员", "desktop.views.people_screens:InstructorScreen"),
    ScreenEntry("联络员", "desktop.views.people_screens:OfficerScreen"),
    ScreenEntry("补贴发放", "desktop.views.payment_screen:PaymentScreen"),
    ScreenEntry("季度报表", "desktop.views.stats_screen:StatsScreen"),
    ScreenEntry("组工信息", "desktop.views.bulletin_screen:BulletinScreen"),
    ScreenEntry("设置", "desktop.views.settings_screen:SettingsScreen"),
)


def resolve(entry: ScreenEntry) -> ScreenFactory | None:
    """The screen's class, or None when its module is not part of the app yet.
    An import error inside an existing module is a bug and is raised."""
    module_name, _, class_name = entry.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    factory = getattr(module, class_name, None)
    return factory if callable(factory) else None


def available(entries: tuple[ScreenEntry, ...] = SCREENS) -> list[tuple[str, ScreenFactory]]:
    """(label, factory) of every screen that exists, in navigation order."""
    found = []
    for entry in entries:
        factory = resolve(entry)
        if factory is not None:
            found.append((entry.label, factory))
    return found
