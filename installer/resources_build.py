"""Lay out the `liangxin_resources` package for a wheel or the bundle.

The checkout's resources/ holds the icons, the sample bulletin and the font
licences; two things join it only when the app is packaged:

- the user guide, whose source stays docs/使用手册.md, with just the screenshots
  it references (docs/screenshots/ holds more), as manual/ — the F1 help reads
  it there (desktop/paths.manual_path);
- the subset fonts (installer/subset_fonts.py), as fonts/*.ttf.xz.

Used by installer/wheel_build.py (the wheel) and installer/liangxin.spec (the
bundle, which also shrinks the screenshots to palette PNGs).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = "使用手册.md"
PACKAGE = "liangxin_resources"
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
# What of resources/ is package data: everything but generated fonts and caches.
_SKIP = ("__pycache__", "*.pyc", "*.ttf.xz", "*.key")


def guide_images(root: Path = ROOT) -> list[str]:
    """The guide's image links (relative to docs/) that name an existing file;
    missing ones are reported, not fatal (the guide still opens)."""
    docs = root / "docs"
    images = list(dict.fromkeys(_IMAGE.findall((docs / GUIDE).read_text(encoding="utf-8"))))
    missing = [name for name in images if not (docs / name).is_file()]
    if missing:
        print(f"resources_build: the guide references missing images: {', '.join(missing)}",
              file=sys.stderr)
    return [name for name in images if name not in missing]


def stage_manual(out: Path, root: Path = ROOT, shrink: bool = False) -> Path:
    """Copy the guide and its referenced images into `out` (made afresh)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copyfile(root / "docs" / GUIDE, out / GUIDE)
    for name in guide_images(root):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if shrink:
            shrink_png(root / "docs" / name, target)
        else:
            shutil.copyfile(root / "docs" / name, target)
    return out


def shrink_png(source: Path, target: Path) -> None:
    """A screenshot as a 256-colour palette PNG (a third of the size; UI
    screenshots have few colours, so text stays sharp)."""
    from PIL import Image

    with Image.open(source) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
        palette.save(target, optimize=True)
    if target.stat().st_size >= source.stat().st_size:
        shutil.copyfile(source, target)


def stage_package(out: Path, root: Path = ROOT, shrink: bool = True) -> Path:
    """The whole package in `out`/liangxin_resources (for the bundle): resources/,
    the guide, and the fonts when they can be had. Returns the package folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from subset_fonts import FACES, shipped_fonts

    package = out / PACKAGE
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(root / "resources", package, ignore=shutil.ignore_patterns(*_SKIP))
    stage_manual(package / "manual", root, shrink)
    fonts = shipped_fonts(root)
    for name in FACES if fonts else ():
        shutil.copyfile(fonts / name, package / "fonts" / name)
    return package
