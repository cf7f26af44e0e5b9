"""Subset the shipped CJK fonts: AR PL UMing (Song/Ming) and AR PL UKai (Kai).

    python -m installer.subset_fonts                # into resources/fonts/ (a checkout)
    python -m installer.subset_fonts --out DIR

The PDFs embed these when the PC has no 仿宋/宋体/楷体 of its own
(desktop/reports/fonts.py). The sources are Debian's fonts-arphic-uming and
fonts-arphic-ukai (Arphic Public License, copied to resources/fonts/); the
subset keeps GB 2312 (its 6763 hanzi and its symbols), ASCII, CJK punctuation,
full-width forms, common name characters GB 2312 lacks, and every CJK character
the app's own code and resources print. Each face is stored xz-compressed
(4.7 MB → 1.5 MB; the app decompresses it in memory), which keeps the bundle
under its size limit.

The bundle build (installer/liangxin.spec) and the wheel build
(installer/wheel_build.py) call `shipped_fonts`, which reuses fresh files and
otherwise subsets into build/fonts/. Needs fontTools (the build and test extras).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import lzma
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = Path("/usr/share/fonts/truetype/arphic")
# Output file → (source collection, what the subset is called in its name table).
FACES = {"uming-subset.ttf.xz": ("uming.ttc", "AR PL UMing CN"),
         "ukai-subset.ttf.xz": ("ukai.ttc", "AR PL UKai CN")}
VERSION = "1"  # bump to force every cached subset to be made again

# Name characters outside GB 2312 (the 通用规范汉字表 added them; clerks meet them
# in names). Characters the source font lacks are skipped.
NAME_CHARS = ("堃喆玥珺琇瑄瑢璟璘昇晞暐曌淏湉溦烜焜燊犇玹琎瑭瑱甦禤翀翯芃荭赟锘陞霈飏鹍"
              "龑垚奭婳媞嫚宬崟旸昉昳晗暻桠槿檩沄泷洺浛湋滟潆炆焓熳燚珅珩珣瑀瑨璠瑷瓅甯"
              "皛祐禛莛藴訸贇钖铖闫韡頔煊祎琤颀珂珞琛瑾璞瑛")
# ASCII, Latin-1 (· × ÷ °), punctuation, ℃ № Ⅰ-Ⅻ ①-⑳, arrows, shapes (□ ★ △),
# CJK punctuation, full-width forms.
EXTRA_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B),
                (0x2103, 0x2116), (0x2160, 0x216B), (0x2190, 0x2193), (0x2460, 0x2487),
                (0x25A0, 0x25CF), (0x2605, 0x2606), (0x3000, 0x303F), (0xFF01, 0xFF5E),
                (0xFFE0, 0xFFE6))
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def gb2312_chars() -> set[str]:
    """GB 2312's symbols (rows 0xA1-0xA9) and hanzi (rows 0xB0-0xF7)."""
    chars = set()
    for high in (*range(0xA1, 0xAA), *range(0xB0, 0xF8)):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def app_chars(root: Path = ROOT) -> set[str]:
    """Every CJK character in the app's code and its text resources."""
    files = [*(root / "desktop").rglob("*.py"), *(root / "resources").rglob("*.txt")]
    return {ch for path in files if "LICENSE" not in path.name
            for ch in _CJK.findall(path.read_text(encoding="utf-8"))}


def charset(root: Path = ROOT) -> set[str]:
    """The characters the shipped fonts keep."""
    extra = {chr(code) for start, end in EXTRA_RANGES for code in range(start, end + 1)}
    return gb2312_chars() | app_chars(root) | set(NAME_CHARS) | extra


def subset_face(source: Path, chars: set[str], family: str) -> bytes:
    """The first face of `source` cut to `chars`, as xz-compressed TrueType."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BDF not subset; dropped"

    font = TTFont(str(source), fontNumber=0)
    options = subset.Options()
    options.hinting = False  # PDFs at print resolution; instructions are half the glyf table
    options.layout_features = []  # ReportLab uses no OpenType layout
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF ", "FFTM", "vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in chars))
    subsetter.subset(font)
    # The Arphic Public License asks modified fonts to say they were changed.
    font["name"].setName(f"{family}: subset (GB 2312 and the characters Liangxin Desk "
                         "prints) made by installer/subset_fonts.py", 10, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return lzma.compress(out.getvalue(), preset=9 | lzma.PRESET_EXTREME)


def _key(source: Path, chars: set[str]) -> str:
    stat = source.stat()
    text = f"{VERSION}|{stat.st_size}|{stat.st_mtime_ns}|{''.join(sorted(chars))}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(out: Path, source_dir: Path = SOURCE_DIR, root: Path = ROOT) -> list[Path]:
    """Write every face into `out`, skipping those already made from the same
    source and character set (a .key file beside each records that)."""
    chars = charset(root)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (source_name, family) in FACES.items():
        source = source_dir / source_name
        target, stamp = out / name, out / f"{name}.key"
        key = _key(source, chars)
        if not (target.is_file() and stamp.is_file() and stamp.read_text() == key):
            target.write_bytes(subset_face(source, chars, family))
            stamp.write_text(key)
        written.append(target)
    return written


def missing_requirements(source_dir: Path = SOURCE_DIR) -> str | None:
    """Why the fonts cannot be made here, or None."""
    try:
        import fontTools  # noqa: F401
    except ImportError:
        return "fontTools is not installed (pip install -e '.[build]')"
    absent = [src for src, _ in FACES.values() if not (source_dir / src).is_file()]
    if absent:
        return (f"{', '.join(absent)} not in {source_dir} "
                "(apt-get install fonts-arphic-uming fonts-arphic-ukai)")
    return None


def shipped_fonts(root: Path = ROOT, cache: Path | None = None) -> Path | None:
    """The folder holding fresh subsets for a wheel or the bundle: the checkout's
    resources/fonts/ when it has them all, else `cache` (build/fonts/) made or
    refreshed now; None (with the reason printed) when they cannot be made."""
    own = root / "resources" / "fonts"
    have_own = all((own / name).is_file() for name in FACES)
    reason = missing_requirements()
    if reason is not None:
        if have_own:  # made earlier where the tools were; nothing to refresh them with
            return own
        print(f"subset_fonts: no shipped fonts: {reason}", file=sys.stderr)
        return None
    folder = own if have_own else cache or root / "build" / "fonts"
    build(folder, root=root)
    return folder


def main(argv: list[str] | None = None) -> int:
    """Subset the fonts into --out (resources/fonts/ by default)."""
    parser = argparse.ArgumentParser(description="Subset the shipped CJK fonts.")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "fonts")
    parser.add_argument("--source", type=Path, default=SOURCE_DIR,
                        help="folder with uming.ttc and ukai.ttc")
    args = parser.parse_args(argv)
    reason = missing_requirements(args.source)
    if reason is not None:
        print(f"cannot subset the fonts: {reason}", file=sys.stderr)
        return 1
    for path in build(args.out, args.source):
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
