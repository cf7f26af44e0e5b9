"""The Windows installer script (it cannot be compiled here, so read it)."""

from __future__ import annotations

import re
from pathlib import Path

ISS = Path(__file__).resolve().parents[2] / "installer" / "windows" / "liangxin.iss"


def _sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
        else:
            sections.setdefault(current, []).append(line)
    return sections


def test_the_script_is_utf8_with_bom_so_inno_setup_reads_the_chinese():
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_installs_per_user_without_administrator_rights():
    setup = _sections()["Setup"]
    assert "PrivilegesRequired=lowest" in setup
    assert "DefaultDirName={localappdata}\\Programs\\LiangxinDesk" in setup


def test_installs_the_pyinstaller_folder_that_build_py_makes():
    files = _sections()["Files"]
    assert any(line.startswith('Source: "..\\..\\dist\\liangxin\\*"') and "recursesubdirs" in line
               for line in files)


def test_shortcuts_in_start_menu_and_on_the_desktop_are_in_chinese():
    icons = _sections()["Icons"]
    assert any(line.startswith('Name: "{autoprograms}\\{#AppName}"') for line in icons)
    assert any(line.startswith('Name: "{autodesktop}\\{#AppName}"') for line in icons)
    assert '#define AppName "两新党建工作台"' in ISS.read_text(encoding="utf-8-sig")
    assert 'MessagesFile: "compiler:Languages\\ChineseSimplified.isl"' in _sections()["Languages"][0]


def test_uninstall_never_touches_the_users_data_folder():
    # The data folder is platformdirs' user_data_dir: {localappdata}\LiangxinDesk.
    deletes = _sections().get("UninstallDelete", [])
    assert deletes, "the section documents what uninstall removes"
    for line in deletes:
        name = re.search(r'Name: "([^"]+)"', line).group(1)
        assert name.startswith("{app}"), line
