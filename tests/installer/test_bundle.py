"""Build the PyInstaller bundle and prove the built program works (installer/README.md).

Slow (30-90 s of PyInstaller). The `test` extra installs PyInstaller, so CI
builds and runs the bundle; it is skipped only in an environment without it.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: pip install -e '.[build]'")

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
PASSED = "自检通过：数据库、演示数据、加密备份、补贴发放、发放表、季度报表、组工信息、PDF预览、主窗口"
LIMIT_BYTES = 165_000_000  # installer/build.py SIZE_LIMIT_MB
LINUX = sys.platform.startswith("linux")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _load(name: str):
    # Loaded by path: "build" is also the name of a PyPA package.
    spec = importlib.util.spec_from_file_location(f"liangxin_installer_{name}",
                                                  INSTALLER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(INSTALLER))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(INSTALLER))
    return module


build = _load("build")
build_deb = _load("build_deb")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("installer")
    return build.build_bundle(out / "dist", out / "work")


def _run(args, tmp_path, **kwargs):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LIANGXIN_HOME=str(tmp_path / "home"))
    return subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=300, **kwargs)


def test_the_built_app_passes_its_self_test(bundle, tmp_path):
    done = _run([bundle / build.executable_name("liangxin"), "--self-test"], tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().startswith(PASSED), done.stdout + done.stderr
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").iterdir())


def test_the_built_cli_runs_a_command(bundle, tmp_path):
    done = _run([bundle / build.executable_name("liangxin-cli"), "--db",
                 tmp_path / "office.sqlite3", "init"], tmp_path)

    assert done.returncode == 0, done.stderr
    assert "数据库已就绪" in done.stdout
    assert (tmp_path / "office.sqlite3").is_file()


def test_the_bundle_stays_under_165_mb(bundle, capsys):
    report = build.size_report(bundle)
    with capsys.disabled():
        print("\n" + report)

    assert build.folder_size(bundle) < LIMIT_BYTES, report


@pytest.mark.skipif(not LINUX, reason="ELF libraries: Linux only")
def test_only_system_libraries_are_left_to_the_system(bundle):
    """Every library a bundled binary links to is in the bundle, except those
    the .deb depends on (and the C library itself)."""
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    allowed = {name for names in build_deb.SYSTEM_LIBRARIES.values() for name in names}
    missing = set()
    for path in internal.rglob("*.so*"):
        if path.is_file() and not path.is_symlink():
            out = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True).stdout
            missing |= set(re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE))

    assert missing <= allowed, f"libraries neither bundled nor declared: {missing - allowed}"


@pytest.mark.skipif(not LINUX, reason="the .tar.gz is the Linux download")
def test_the_tarball_unpacks_to_one_folder_with_runnable_programs(bundle, tmp_path):
    tarball = build.pack_tarball(bundle, tmp_path, build.version())

    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers()}
    top = f"liangxin-desk-{build.version()}"
    assert all(name == top or name.startswith(top + "/") for name in members)
    assert members[f"{top}/liangxin"].mode & 0o111
    assert members[f"{top}/liangxin-cli"].mode & 0o111
    assert f"{top}/_internal/liangxin_resources/icons/icon.png" in members


def test_the_bundle_carries_the_resources_the_fonts_and_the_guide(bundle):
    package = bundle / "_internal" / "liangxin_resources"
    for name in ("icons/icon.png", "icons/icon.ico", "bulletin/sample_bulletin.txt",
                 "fonts/uming-subset.ttf.xz", "fonts/ukai-subset.ttf.xz",
                 "fonts/LICENSE-uming.txt", "fonts/LICENSE-ukai.txt", "manual/使用手册.md"):
        assert (package / name).is_file(), name
    guide = (package / "manual" / "使用手册.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", guide)
    assert images and all((package / "manual" / image).is_file() for image in images)
    # The screenshots are shrunk to palette PNGs (PNG colour type 3) in the bundle.
    assert all((package / "manual" / image).read_bytes()[25] == 3 for image in images)


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_the_deb_installs_launchers_pointing_at_the_bundle(bundle, tmp_path):
    # Content is the same whatever the compression; "none" keeps the test quick.
    deb = build_deb.build_deb(bundle, tmp_path, build.version(), compression="none")
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], check=True, capture_output=True,
                             text=True).stdout

    for command in ("liangxin", "liangxin-cli"):
        launcher = root / "usr" / "bin" / command
        target = re.search(r"^exec (\S+) \"\$@\"$", launcher.read_text(), re.MULTILINE).group(1)
        assert target == f"/opt/liangxin-desk/{command}"
        assert launcher.stat().st_mode & 0o111
        assert (root / target.lstrip("/")).stat().st_mode & 0o111
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(root / "usr/share/applications/liangxin-desk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name[zh_CN]"] == "两新党建工作台"
    assert desktop["Exec"] == "/usr/bin/liangxin"
    assert (root / f"usr/share/icons/hicolor/256x256/apps/{desktop['Icon']}.png").is_file()
    assert f"Version: {build.version()}" in control
    assert re.search(r"^Depends: libc6 \(>= 2\.\d+\), .*libcups2", control, re.MULTILINE)
    # The unpacked copy runs from its new place.
    done = _run([root / "opt/liangxin-desk/liangxin-cli", "--help"], tmp_path)
    assert done.returncode == 0 and "liangxin-cli" in done.stdout
