"""`pip wheel .` carries resources/ as liangxin_resources: the icons, the sample
bulletin, the subset fonts with their licences, and the user guide with the
screenshots it references; an installed copy finds them through
importlib.resources (desktop/paths.resources_root)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

pytest.importorskip("fontTools", reason="fontTools is not installed: pip install -e '.[test]'")


def _can_build_offline() -> bool:
    """bdist_wheel without build isolation (no network) needs setuptools >= 70.1."""
    from importlib.metadata import version

    major, minor = (int(part) for part in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not _can_build_offline():
        pytest.skip("setuptools < 70.1 cannot build a wheel offline: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", str(ROOT), "-w", str(out)], check=True, cwd=ROOT, timeout=500)
    (built,) = out.glob("liangxin_desk-*.whl")
    return built


def test_the_wheel_carries_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("icons/icon.png", "icons/icon.ico", "bulletin/sample_bulletin.txt",
                 "fonts/uming-subset.ttf.xz", "fonts/ukai-subset.ttf.xz",
                 "fonts/LICENSE-uming.txt", "fonts/LICENSE-ukai.txt", "__init__.py"):
        assert f"liangxin_resources/{name}" in names, name
    guide = (ROOT / "docs" / "使用手册.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", guide)
    assert "liangxin_resources/manual/使用手册.md" in names
    assert images and all(f"liangxin_resources/manual/{image}" in names for image in images)
    shipped = {name for name in names if name.startswith("liangxin_resources/manual/screenshots/")}
    assert len(shipped) == len(set(images))  # only the screenshots the guide shows


def test_an_installed_wheel_reads_them_through_importlib_resources(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("from desktop import paths; from desktop.reports import fonts; "
             "print(paths.resources_root()); print(paths.manual_path()); "
             "print(fonts.cjk_fonts().body)")
    env = dict(os.environ, PYTHONPATH=str(site))
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", check=True)
    root, manual, _body = done.stdout.splitlines()
    assert Path(root) == site / "liangxin_resources"
    assert Path(manual) == site / "liangxin_resources" / "manual" / "使用手册.md"
