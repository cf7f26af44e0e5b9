"""CJK font discovery shared by every PDF we print.

DESIGN.md (Outputs): embed a TrueType CJK font, subset; the first found of a
configured file, the system's 仿宋/宋体/黑体/楷体 (Windows fonts), the app's own
AR PL UMing/UKai subsets (resources/fonts/, made by installer/subset_fonts.py),
WenQuanYi / AR PL on Linux, else ReportLab's built-in STSong-Light with a
visible warning that the font is not embedded.

Each role (body 仿宋, heading 黑体, title 宋体, kai 楷体) is looked up on its own;
a role with no font of its kind borrows the body font. There is no bold face in
these families: callers print bold text in the heading font (黑体).
"""

from __future__ import annotations

import functools
import io
import lzma
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desktop import paths

# ReportLab's TrueType reader keeps a file position per font, shared by every
# document using that font: two renders subsetting at once (a page count in a
# worker thread, a preview in the GUI thread) could interleave. Every render that
# may run beside another takes this lock.
RENDER_LOCK = threading.Lock()

FALLBACK_FONT = "STSong-Light"
FALLBACK_WARNING = (
    "未找到可嵌入的中文字体，PDF 使用内置 STSong-Light 字体（未嵌入），在其他电脑上可能显示不同"
)
FORCE_FALLBACK_ENV = "LIANGXIN_FORCE_FALLBACK_FONT"

# The app's own fonts (resources/fonts/): AR PL UMing and UKai cut to GB 2312 and
# the app's characters, xz-compressed. A bare checkout has none until
# `python -m installer.subset_fonts` makes them; the search just skips them.
SHIPPED_SONG = "uming-subset.ttf.xz"
SHIPPED_KAI = "ukai-subset.ttf.xz"
SHIPPED_FILES = (SHIPPED_SONG, SHIPPED_KAI)

# File names per role, best first. Windows names come first because a clerk's
# PC has them; UOS/Kylin users often copy them over too: a configured or system
# 仿宋/宋体/楷体 wins over the shipped fonts, which come before the Linux free
# fonts, so every machine prints in a Song/Kai (Noto CJK is CFF-flavoured and
# ReportLab refuses it, so it is absent). There is no shipped 黑体: headings
# borrow the body font when the system has none.
ROLE_FILES: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "fangsong.ttf", "simsun.ttc", "simsun.ttf", SHIPPED_SONG,
             "uming.ttc", "wqy-zenhei.ttc", "wqy-microhei.ttc"),
    "heading": ("simhei.ttf", "msyh.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc"),
    "title": ("fzxbsjw.ttf", "simsun.ttc", "simsun.ttf", SHIPPED_SONG, "uming.ttc"),
    "kai": ("simkai.ttf", "kaiti.ttf", SHIPPED_KAI, "ukai.ttc"),
}


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names for each typographic role of our PDFs."""

    body: str
    heading: str
    title: str
    kai: str
    embedded: bool
    warning: str | None


def cjk_fonts(configured_path: str | None = None) -> FontSet:
    """The fonts to print with: a configured file, else system fonts, else STSong-Light.

    Results are cached per configured path (and per the force-fallback switch,
    which tests use to exercise the fallback).
    """
    forced = os.environ.get(FORCE_FALLBACK_ENV, "") == "1"
    return _cjk_fonts_cached(configured_path or None, forced, tuple(font_dirs()),
                             tuple(shipped_fonts()))


@functools.lru_cache(maxsize=16)
def _cjk_fonts_cached(configured_path: str | None, forced: bool,
                      _folders: tuple[Path, ...], _shipped: tuple[Path, ...]) -> FontSet:
    # The folders and shipped files are part of the key: tests (and a font made
    # while the app runs) change them.
    if forced:
        return fallback_fonts()
    warning = None
    configured = None
    if configured_path:
        configured = register_file(Path(configured_path))
        if configured is None:
            warning = f"设置中指定的字体文件无法使用：{configured_path}，已改用系统字体"
    found = {role: _find_role(role) for role in ROLE_FILES}
    body = configured or found["body"] or found["title"] or found["heading"] or found["kai"]
    if body is None:
        return fallback_fonts()
    return FontSet(
        body=body,
        heading=found["heading"] or body,
        title=configured or found["title"] or body,
        kai=found["kai"] or body,
        embedded=True,
        warning=warning,
    )


def fallback_fonts() -> FontSet:
    """The non-embedded built-in font for every role, with the warning to show."""
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FontSet(FALLBACK_FONT, FALLBACK_FONT, FALLBACK_FONT, FALLBACK_FONT,
                   embedded=False, warning=FALLBACK_WARNING)


def font_dirs() -> list[Path]:
    """Folders searched for system fonts, Windows first."""
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]
    return [d for d in dirs if d.is_dir()]


def shipped_dir() -> Path:
    """The folder of the app's own fonts (it may hold none)."""
    return paths.resource_path("fonts")


def shipped_fonts() -> list[Path]:
    """The app's own font files that are present."""
    return [path for name in SHIPPED_FILES if (path := shipped_dir() / name).is_file()]


def _font_index() -> dict[str, Path]:
    """Lower-cased file name → first path found, over every font folder and the
    shipped fonts."""
    return _font_index_of(tuple(font_dirs()), tuple(shipped_fonts()))


@functools.lru_cache(maxsize=4)
def _font_index_of(folders: tuple[Path, ...], shipped: tuple[Path, ...]) -> dict[str, Path]:
    wanted = {name for names in ROLE_FILES.values() for name in names}
    index: dict[str, Path] = {path.name: path for path in shipped}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                key = name.lower()
                if key in wanted and key not in index:
                    index[key] = Path(root) / name
    return index


def _find_role(role: str) -> str | None:
    index = _font_index()
    for name in ROLE_FILES[role]:
        path = index.get(name)
        if path is not None:
            registered = register_file(path)
            if registered:
                return registered
    return None


@functools.lru_cache(maxsize=32)
def register_file(path: Path) -> str | None:
    """Register a .ttf/.ttc (first face of a collection) once; its ReportLab name,
    or None if unusable.

    TTFError covers CFF-outline fonts and fonts whose licence forbids embedding.
    A .xz file (the shipped fonts) is decompressed in memory.
    """
    stem = path.name.split(".")[0]
    name = "LX-" + stem
    if name in pdfmetrics.getRegisteredFontNames():  # same file name, another folder
        name = f"LX-{stem}-{len(pdfmetrics.getRegisteredFontNames())}"
    try:
        source = io.BytesIO(read_font(path)) if path.suffix == ".xz" else str(path)
        pdfmetrics.registerFont(TTFont(name, source, subfontIndex=0))
    except (TTFError, OSError, ValueError, lzma.LZMAError):
        return None
    return name


def read_font(path: Path) -> bytes:
    """A font file's bytes, decompressed when it is a .xz."""
    data = path.read_bytes()
    return lzma.decompress(data) if path.suffix == ".xz" else data
