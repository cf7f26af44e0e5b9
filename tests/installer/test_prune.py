"""Trimming the PyInstaller collection: unused Qt plugins and their orphans."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))

import prune  # noqa: E402

LINKS = {
    "/src/libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6", "libcairo.so.2"],
    "/src/libcairo.so.2": ["libpixman-1.so.0", "libz.so.1"],
    "/src/libQt6Gui.so.6": ["libQt6Core.so.6", "libz.so.1"],
    "/src/libqxcb.so": ["libQt6Gui.so.6"],
}


def imports_of(source):
    return LINKS.get(source, [])


def entry(dest, typecode="BINARY"):
    return (dest, "/src/" + dest.rsplit("/", 1)[-1], typecode)


def test_a_dropped_plugin_takes_only_its_own_libraries_along():
    binaries = [
        entry("PySide6/Qt/plugins/platformthemes/libqgtk3.so"),
        entry("PySide6/Qt/plugins/platforms/libqxcb.so"),
        entry("PySide6/Qt/lib/libQt6Gui.so.6"), entry("PySide6/Qt/lib/libQt6Core.so.6"),
        entry("libcairo.so.2"), entry("libpixman-1.so.0"), entry("libz.so.1"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ]

    kept, _, removed = prune.prune(binaries, [], imports_of)

    names = {e[0] for e in kept}
    assert removed == ["PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                       "libcairo.so.2", "libpixman-1.so.0"]
    # libz is also needed by Qt, and Qt itself by the xcb platform plugin.
    assert {"libz.so.1", "PySide6/Qt/lib/libQt6Gui.so.6", "libQt6Gui.so.6"} <= names


def test_a_symlink_to_a_removed_library_goes_too():
    binaries = [
        entry("PySide6/Qt/plugins/platforms/libqeglfs.so"),
        entry("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6"),
        ("libQt6EglFSDeviceIntegration.so.6",
         "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "SYMLINK"),
    ]
    links = {"/src/libqeglfs.so": ["libQt6EglFSDeviceIntegration.so.6"]}

    kept, _, _ = prune.prune(binaries, [], lambda source: links.get(source, []))

    assert kept == []


def test_only_chinese_qt_translations_are_kept():
    datas = [("PySide6/Qt/translations/qtbase_zh_CN.qm", "/x", "DATA"),
             ("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA"),
             ("liangxin_resources/icons/icon.png", "/x", "DATA")]

    _, kept, removed = prune.prune([], datas, imports_of)

    assert [e[0] for e in kept] == ["PySide6/Qt/translations/qtbase_zh_CN.qm",
                                    "liangxin_resources/icons/icon.png"]
    assert removed == ["PySide6/Qt/translations/qtbase_de.qm"]


def test_windows_paths_match_too():
    assert prune.is_unused_qt_file("PySide6\\Qt\\translations\\qt_fr.qm")
    assert not prune.is_unused_qt_file("PySide6\\Qt\\plugins\\platforms\\qwindows.dll")


def test_plugins_are_matched_by_folder_and_name_on_both_systems():
    assert prune.is_unused_qt_file("PySide6/Qt/plugins/platforms/libqminimal.so")
    assert prune.is_unused_qt_file("PySide6\\plugins\\platforms\\qminimal.dll")
    assert prune.is_unused_qt_file("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so")
    assert not prune.is_unused_qt_file("PySide6/Qt/plugins/platforms/libqminimalegl2.so")
    assert not prune.is_unused_qt_file("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not prune.is_unused_qt_file("PySide6/Qt/plugins/imageformats/libqico.so")
    assert not prune.is_unused_qt_file("PySide6/Qt/lib/libQt6Gui.so.6")
