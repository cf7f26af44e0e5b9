"""Chinese line breaking (禁则, kinsoku) and a paragraph flowable that uses it.

ReportLab's own CJK wrapping lets lines start with ，；：？！”’》 and end with
“《（ (DESIGN.md findings), and it does not justify CJK lines. `CJKParagraph`
measures text itself with `pdfmetrics.stringWidth`, breaks it honouring the
rules below, justifies full lines by character spacing (as Chinese print does)
and draws plain strings, so user text is never parsed as markup. Nothing in
ReportLab is patched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from desktop.reports import glyphs

# Marks that may not begin a line, and marks that may not end one.
NO_LINE_START = frozenset("，。、；：？！”’）》」』…—%,.;:?!)]}〉】〕％·")
NO_LINE_END = frozenset("“‘（《「『([{〈【〔")

# ASCII words and numbers (24.05, 5.36%, 1-2, COVID-19) stay in one piece.
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[.,:/+\-_'][A-Za-z0-9]+)*%?|\s|.", re.DOTALL)

# Fraction of the em box above the baseline, to centre glyphs in the leading.
_EM_CENTRE = 0.38
# Justification gives up when it would spread glyphs this far apart (× size).
_MAX_CHAR_SPACE = 0.5

Run = tuple[str, bool]  # (text, bold)


class Token(NamedTuple):
    """An unbreakable piece of text: one CJK character, an ASCII word or a space.

    A NamedTuple rather than a dataclass: a long bulletin makes ~100k of them.
    """

    text: str
    font: str
    width: float
    bold: bool = False

    @property
    def is_space(self) -> bool:
        """True for whitespace, which is dropped at line starts and ends."""
        return self.text.isspace()


@dataclass(frozen=True)
class Line:
    """One laid-out line: its tokens, where it starts and how wide it is."""

    tokens: tuple[Token, ...]
    indent: float
    width: float
    is_last: bool
    end: int  # index, in the paragraph's tokens, after this line's last one

    @property
    def text(self) -> str:
        """The line's characters, for tests and for extraction checks."""
        return "".join(t.text for t in self.tokens)


_WIDTH_CACHE: dict[tuple[str, str], float] = {}


def char_width(text: str, font: str, size: float) -> float:
    """Width of `text` at `size`, cached per piece (widths scale linearly)."""
    key = (font, text)
    w = _WIDTH_CACHE.get(key)
    if w is None:
        w = _WIDTH_CACHE[key] = pdfmetrics.stringWidth(text, font, 1000.0)
    return w * size / 1000.0


# Characters each registered font is known to have: a font's character map never
# changes, and asking glyphs.place for every character of a long table is costly.
_IN_FONT: dict[str, set[str]] = {}


def _in_font(font: str) -> set[str]:
    found = _IN_FONT.get(font)
    if found is None:
        found = _IN_FONT[font] = set()
    return found


def tokenize(runs: Sequence[Run], font: str, bold_font: str, size: float) -> list[Token]:
    """Split runs of (text, bold) into measured tokens."""
    tokens: list[Token] = []
    scale = size / 1000.0
    cache = _WIDTH_CACHE
    for text, bold in runs:
        face = bold_font if bold else font
        for piece in _TOKEN_RE.findall(text.replace("\r", "").replace("\n", "")):
            piece_face = face
            if len(piece) == 1 and not piece.isascii() and piece not in _in_font(face):
                placed = glyphs.place(piece, face)  # a rare character: another font, or □
                if placed is None:
                    continue
                if placed == (piece, face):
                    _in_font(face).add(piece)
                piece, piece_face = placed
            w = cache.get((piece_face, piece))
            if w is None:
                w = cache[(piece_face, piece)] = pdfmetrics.stringWidth(piece, piece_face, 1000.0)
            tokens.append(Token(piece, piece_face, w * scale, bold))
    return tokens


def break_lines(tokens: Sequence[Token], width: float, first_indent: float = 0.0) -> list[Line]:
    """Lay tokens out in lines no wider than `width`, honouring the 禁则 rules."""
    tokens = _split_oversized(tokens, width - first_indent)
    lines: list[Line] = []
    i, n = 0, len(tokens)
    while i < n:
        while i < n and tokens[i].is_space:
            i += 1
        if i >= n:
            break
        indent = first_indent if not lines else 0.0
        j = _fill(tokens, i, width - indent)
        if j < n:
            j = _legal_break(tokens, i, j)
        body = _trim_spaces(tokens[i:j])
        lines.append(Line(body, indent, sum(t.width for t in body), j >= n, j))
        i = j
    return lines


def _split_oversized(tokens: Sequence[Token], width: float) -> list[Token]:
    """Break ASCII runs wider than a line into characters so they can wrap."""
    out: list[Token] = []
    for tok in tokens:
        if tok.width > width and len(tok.text) > 1:
            per_char = tok.width / len(tok.text)
            out.extend(Token(ch, tok.font, per_char, tok.bold) for ch in tok.text)
        else:
            out.append(tok)
    return out


def _fill(tokens: Sequence[Token], start: int, width: float) -> int:
    """Index after the last token that fits greedily from `start` (at least one)."""
    used = 0.0
    j = start
    while j < len(tokens) and used + tokens[j].width <= width + 0.01:
        used += tokens[j].width
        j += 1
    return max(j, start + 1)


def _bad_break(tokens: Sequence[Token], k: int) -> bool:
    """True when a line break before token k would break a 禁则 rule."""
    nxt, prev = tokens[k], tokens[k - 1]
    if nxt.is_space:
        return False
    return nxt.text[0] in NO_LINE_START or prev.text[-1] in NO_LINE_END


def _legal_break(tokens: Sequence[Token], start: int, j: int) -> int:
    """Move a break earlier (pushing characters down) until it is legal.

    If no legal point exists in the line, hang the marks at the end instead.
    """
    k = j
    while k > start + 1 and _bad_break(tokens, k):
        k -= 1
    if not _bad_break(tokens, k):
        return k
    k = j
    while k < len(tokens) and _bad_break(tokens, k):
        k += 1
    return k


def _trim_spaces(tokens: Sequence[Token]) -> tuple[Token, ...]:
    end = len(tokens)
    while end and tokens[end - 1].is_space:
        end -= 1
    return tuple(tokens[:end])


def plain_style(font: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
    """A ParagraphStyle carrying the font, size and leading CJKParagraph reads."""
    return ParagraphStyle(f"cjk-{font}-{size}", fontName=font, fontSize=size,
                          leading=leading, **kw)


class CJKParagraph(Flowable):
    """A paragraph of Chinese text broken by our rules; splits across pages.

    `text` is a string or a sequence of (text, bold) runs. Bold runs use
    `bold_font` (the heading font: our CJK families have no bold face); when it
    is the same face as the body, bold is simulated by stroking the glyphs.
    Full lines are justified unless the style is centred; the last line is not.
    """

    def __init__(self, text: str | Sequence[Run], style: ParagraphStyle, *,
                 first_line_indent_chars: float = 2, bold_font: str | None = None) -> None:
        super().__init__()
        self.style = style
        self.bold_font = bold_font or style.fontName
        runs: Sequence[Run] = [(text, False)] if isinstance(text, str) else text
        self._tokens = tokenize(runs, style.fontName, self.bold_font, style.fontSize)
        self._first_indent = first_line_indent_chars * style.fontSize
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._justify_last = False  # a page-split head: its last line is not the end
        self._lines: list[Line] = []
        self._laid_tokens: list[Token] = self._tokens
        self._laid_width = -1.0

    @classmethod
    def _part(cls, parent: CJKParagraph, tokens: Sequence[Token], *, head: bool) -> CJKParagraph:
        """A piece of `parent` after a page split: the head keeps the indent."""
        part = cls.__new__(cls)
        Flowable.__init__(part)
        part.style, part.bold_font, part._tokens = parent.style, parent.bold_font, list(tokens)
        part._first_indent = parent._first_indent if head else 0.0
        part.spaceBefore = parent.spaceBefore if head else 0
        part.spaceAfter = 0 if head else parent.spaceAfter
        part._justify_last = head or parent._justify_last
        part._lines, part._laid_tokens, part._laid_width = [], part._tokens, -1.0
        return part

    def lines(self, width: float) -> list[Line]:
        """The lines this paragraph takes at `width` (cached for the last width)."""
        if width != self._laid_width:
            # Line ends index the tokens after over-wide words are cut up: keep
            # those, so a page split cuts where the line did.
            self._laid_tokens = _split_oversized(self._tokens, width - self._first_indent)
            self._lines = break_lines(self._laid_tokens, width, self._first_indent)
            self._laid_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Lay out for the frame width; height is lines × leading."""
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Keep the lines that fit here; the rest continue (unindented) on the next page."""
        lines = self.lines(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(lines):
            return [self]
        cut = lines[fit - 1].end
        return [CJKParagraph._part(self, self._laid_tokens[:cut], head=True),
                CJKParagraph._part(self, self._laid_tokens[cut:], head=False)]

    def draw(self) -> None:
        """Draw each line as plain strings (no markup), justified where full.

        One text object per paragraph; each line sets its origin and spacing.
        """
        st = self.style
        canv = self.canv
        canv.setFillColor(st.textColor)
        canv.setStrokeColor(st.textColor)
        canv.setLineWidth(st.fontSize * 0.03)  # stroke width of simulated bold
        text = canv.beginText(0, 0)
        baseline = self.height - st.leading / 2 - _EM_CENTRE * st.fontSize
        face = (None, None)
        for line in self._lines:
            face = self._draw_line(text, line, baseline, face)
            baseline -= st.leading
        canv.drawText(text)

    def _draw_line(self, text, line: Line, baseline: float, face: tuple) -> tuple:
        """Emit one line into `text`; returns the (font, bold) face left active."""
        x, char_space = line.indent, 0.0
        if self.style.alignment == TA_CENTER:
            x = (self.width - line.width) / 2
        elif not line.is_last or self._justify_last:
            char_space = self._char_space(line)
        text.setTextOrigin(x, baseline)
        text.setCharSpace(char_space)
        chunks = [(key, "".join(t.text for t in group))
                  for key, group in groupby(line.tokens, key=_face)]
        for k, (key, chunk) in enumerate(chunks):
            if key != face:
                text.setFont(key[0], self.style.fontSize)
                # No bold face when the bold font is the body font: stroke the glyphs.
                text.setTextRenderMode(2 if key[1] and key[0] == self.style.fontName else 0)
                face = key
            # textLine does not measure the string (textOut does, to move a cursor
            # we never use: every line sets its own origin).
            if k == len(chunks) - 1:
                text.textLine(chunk)
            else:
                text.textOut(chunk)
        return face

    def _char_space(self, line: Line) -> float:
        """Spacing that stretches a full line to the frame edge (0 if absurd)."""
        glyphs = len(line.text)
        if glyphs < 2:
            return 0.0
        space = (self.width - line.indent - line.width) / (glyphs - 1)
        return space if 0 < space <= _MAX_CHAR_SPACE * self.style.fontSize else 0.0


def _face(token: Token) -> tuple[str, bool]:
    return token.font, token.bold


# --- plain table cells ------------------------------------------------------------

def wrapped_text(text: str, font: str, size: float, width: float) -> str | None:
    """`text` broken into lines no wider than `width` (禁则 honoured) and joined by
    newlines, for a table cell drawn as a plain string (far cheaper than a
    Paragraph). None when a character needs another font: such a cell needs a
    Paragraph with the fallback runs."""
    tokens = tokenize([(text, False)], font, font, size)
    if any(t.font != font for t in tokens):
        return None
    return "\n".join(line.text for line in break_lines(tokens, width))


def word_lines(words: Sequence[str], font: str, size: float, width: float) -> tuple[str, float]:
    """Words (such as a column header cut at its word boundaries) filled greedily
    into lines no wider than `width`, joined by newlines, and the font size that
    lets the widest word fit on one line (`size`, or smaller)."""
    widest = max((pdfmetrics.stringWidth(w, font, size) for w in words), default=0.0)
    if widest > width:
        size = size * width / widest * 0.999  # the widest word then fits with a hair to spare
    lines: list[str] = []
    used = 0.0
    for word in words:
        w = pdfmetrics.stringWidth(word, font, size)
        if lines and used + w <= width + 0.01:
            lines[-1] += word
            used += w
        else:
            lines.append(word)
            used = w
    return "\n".join(lines), size


def fitted_size(text: str, font: str, size: float, width: float) -> float:
    """The font size at which `text` fits `width` on one line: `size` or smaller."""
    w = pdfmetrics.stringWidth(text, font, size)
    return size if w <= width else size * width / w * 0.999


def header_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """A column header broken into lines no wider than `width`, never leaving one
    character alone on a line (从业人/员 becomes 从业/人员): when the plain break
    would, the same number of lines is balanced instead."""
    tokens = [t for t in tokenize([(text, False)], font, font, size) if not t.is_space]
    lines = break_lines(tokens, width)
    if not _orphaned(lines):
        return [line.text for line in lines]
    total = sum(t.width for t in tokens)
    step = min(t.width for t in tokens)
    trial = total / len(lines)
    while trial <= width + 0.01:
        balanced = break_lines(tokens, trial)
        if len(balanced) <= len(lines) and not _orphaned(balanced):
            return [line.text for line in balanced]
        trial += step / 2
    return [line.text for line in lines]


def _orphaned(lines: Sequence[Line]) -> bool:
    return len(lines) > 1 and any(len(line.tokens) == 1 for line in lines)
