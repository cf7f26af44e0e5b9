"""setuptools' build_py, extended (pyproject.toml `[tool.setuptools.cmdclass]`):
the top-level resources/ folder becomes the package `liangxin_resources`, and a
wheel also carries the user guide with its screenshots and the subset fonts
(installer/resources_build.py).

`packages.find` cannot name a package whose folder has another name, so the
package is added here; an editable install reads resources/ in the checkout
(desktop/paths.resources_root) and gets neither copy.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "liangxin_resources"


class BuildPy(build_py):
    """build_py that adds `liangxin_resources` and, for a wheel, the guide and fonts."""

    def finalize_options(self) -> None:
        dist = self.distribution
        if PACKAGE not in (dist.packages or []):
            dist.packages = [*(dist.packages or []), PACKAGE]
        dist.package_dir = {**(dist.package_dir or {}), PACKAGE: "resources"}
        super().finalize_options()

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(HERE))
        from resources_build import stage_manual
        from subset_fonts import FACES, shipped_fonts

        package = Path(self.build_lib) / PACKAGE
        stage_manual(package / "manual", ROOT)
        fonts = shipped_fonts(ROOT)
        for name in FACES if fonts else ():
            shutil.copyfile(fonts / name, package / "fonts" / name)
