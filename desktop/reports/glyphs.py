"""Characters our fonts lack: print them in another installed font, else warn.

仿宋/黑体 files cover the common hanzi; a name with 𠀀 (CJK Extension B) or an
emoji prints as an empty box in the body font and as nothing at all in 黑体.
Every piece of user text a PDF prints goes through `runs`: a character missing
from the role's font is set in the first installed TrueType-outline font that
has it (SimSun-ExtB, Segoe UI Emoji, DejaVu Sans …); one no installed font has
prints as □, and the renderers name it in their warnings (`warnings_for`).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from desktop.reports import cmap
from desktop.reports.fonts import font_dirs, register_file, shipped_fonts

MISSING_MARK = "□"
MAX_PLACES = 10
# Fonts worth asking first, for the characters 仿宋/黑体 lack: Extension B-G
# hanzi, then symbols and emoji. Every other installed font is asked after these.
PREFERRED_FALLBACKS = ("simsunb.ttf", "simsunextg.ttf", "mingliub.ttc", "hanamina.ttf",
                       "hanaminb.ttf", "babelstonehan.ttf", "seguiemj.ttf", "seguisym.ttf",
                       "symbola.ttf", "dejavusans.ttf", "msyh.ttc", "unifont.ttf")
_FONT_SUFFIXES = (".ttf", ".ttc")

Run = tuple[str, str]  # (text, registered font name)


def runs(text: str, font: str) -> list[Run]:
    """`text` split into runs each set in a font that has its characters.

    Characters no installed font has become □ (in a font that has □); invisible
    ones (variation selectors, joiners) that no font has are dropped.
    """
    out: list[Run] = []
    for ch in text:
        placed = place(ch, font)
        if placed is None:
            continue
        ch, face = placed
        if out and out[-1][1] == face:
            out[-1] = (out[-1][0] + ch, face)
        else:
            out.append((ch, face))
    return out


def place(ch: str, font: str) -> Run | None:
    """(what to print, in which font) for one character: itself in `font` or a
    fallback; □ when no font has it; None for an invisible one no font has."""
    face = font_for(ch, font)
    if face is not None:
        return ch, face
    if _invisible(ch):
        return None
    return MISSING_MARK, font_for(MISSING_MARK, font) or font


def font_for(ch: str, font: str) -> str | None:
    """`font` when it has `ch`, else a registered fallback that does, else None."""
    if ch.isascii() or has_glyph(font, ch):
        return font
    return _fallback(ord(ch))


def has_glyph(font: str, ch: str) -> bool:
    """Whether the registered `font` maps `ch` to a glyph.

    The built-in STSong-Light has no character map we can read; it is taken to
    have every character of the Basic Multilingual Plane.
    """
    glyphs = _char_map(font)
    if glyphs is None:
        return ord(ch) < 0x10000
    return ord(ch) in glyphs


def printable(ch: str) -> bool:
    """Whether some installed font can print `ch` (whitespace always can)."""
    return ch.isspace() or ch.isascii() or _fallback(ord(ch)) is not None


def missing_chars(text: str, fonts: Iterable[str] = ()) -> list[str]:
    """The distinct characters of `text` that no installed font prints, in order."""
    seen: list[str] = []
    for ch in text:
        if ch in seen or _invisible(ch):
            continue
        if any(has_glyph(f, ch) for f in fonts) or printable(ch):
            continue
        seen.append(ch)
    return seen


def warnings_for(places: Iterable[tuple[str, str]], fonts: Iterable[str] = ()) -> tuple[str, ...]:
    """One warning per place ("第3行 姓名") whose text has characters no font prints."""
    fonts = tuple(fonts)
    found = [(where, chars) for where, text in places
             if (chars := missing_chars(text, fonts))]
    lines = [f"{where}含有字体中没有的字符 {describe(chars)}，PDF 中印成“{MISSING_MARK}”"
             for where, chars in found[:MAX_PLACES]]
    if len(found) > MAX_PLACES:
        lines.append(f"另有 {len(found) - MAX_PLACES} 处文字含有字体中没有的字符")
    return tuple(lines)


def describe(chars: Iterable[str]) -> str:
    """'𠀀（U+20000）、😀（U+1F600）': the code point too, since the screen may not
    show the character either."""
    return "、".join(f"{ch}（U+{ord(ch):04X}）" for ch in chars)


def width(text: str, font: str, size: float) -> float:
    """Printed width of `text`, each run in the font `runs` chooses."""
    return sum(pdfmetrics.stringWidth(t, f, size) for t, f in runs(text, font))


def markup(text: str, font: str) -> str:
    """`text` escaped for a ReportLab Paragraph set in `font`, fallback runs tagged."""
    return "".join(escape(t) if f == font else f'<font face="{f}">{escape(t)}</font>'
                   for t, f in runs(text, font))


def draw(canv, x: float, y: float, text: str, font: str, size: float,
         align: str = "left") -> float:
    """Draw `text` on a canvas from x (or ending at x / centred on x); returns its width.

    The canvas's font is left as `font` at `size`.
    """
    pieces = runs(text, font)
    total = sum(pdfmetrics.stringWidth(t, f, size) for t, f in pieces)
    x -= {"left": 0.0, "right": total, "centre": total / 2}[align]
    for t, f in pieces:
        canv.setFont(f, size)
        canv.drawString(x, y, t)
        x += pdfmetrics.stringWidth(t, f, size)
    canv.setFont(font, size)
    return total


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) in ("Cf", "Cc") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


def _char_map(font: str) -> dict | None:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return getattr(face, "charToGlyph", None)


@functools.lru_cache(maxsize=4096)
def _fallback(code: int) -> str | None:
    for path in _candidates():
        if code in cmap.coverage(path):
            name = register_file(path)
            if name is not None:
                return name
    return None


def _candidates() -> tuple[Path, ...]:
    """Installed .ttf/.ttc files, preferred fallbacks first, then the shipped
    fonts (a Kai title's character the Kai subset lacks may be in the Song),
    then the rest by name."""
    return _candidates_of(tuple(font_dirs()), tuple(shipped_fonts()))


@functools.lru_cache(maxsize=4)
def _candidates_of(folders: tuple[Path, ...], shipped: tuple[Path, ...]) -> tuple[Path, ...]:
    found: dict[str, Path] = {}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith(_FONT_SUFFIXES):
                    found.setdefault(name.lower(), Path(root) / name)
    preferred = [found.pop(name) for name in PREFERRED_FALLBACKS if name in found]
    return tuple(preferred + list(shipped) + [found[name] for name in sorted(found)])
