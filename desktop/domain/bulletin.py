"""The internal bulletin (组工信息): issues, sections, articles, numbering, text import.

Pure: no I/O. The PDF is drawn by `desktop.reports.bulletin_pdf`; the database
keeps these objects by field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desktop.errors import UserError

STATUSES = ("draft", "issued")
DEFAULT_SECTIONS = ("市内信息", "市外参考")
FALLBACK_SECTION = "本期信息"  # for imported text with △ articles but no ★ section


@dataclass(frozen=True)
class BulletinSettings:
    """The office's masthead, compiling unit and default 报/送/发 lines."""

    masthead_title: str = "组工信息"
    compiling_unit: str = "中共XX县委组织部研究室"
    report_to: str = ""
    send_to: str = ""
    issue_to: str = ""


@dataclass(frozen=True)
class Article:
    """One △ item: title, body paragraphs and the unit that sent it in.

    `lead_phrases` are substrings of the paragraphs printed in bold (the short
    run-in headings such as "体系贴“新”。").
    """

    title: str
    paragraphs: tuple[str, ...]
    source_unit: str = ""
    lead_phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A ★ 栏目 with its articles in print order."""

    title: str
    articles: tuple[Article, ...] = ()


@dataclass(frozen=True)
class Bulletin:
    """One numbered issue ("第 N 期") of the bulletin."""

    year: int
    number: int
    issued_on: date
    sections: tuple[Section, ...] = ()
    leader_comment_box: bool = True
    status: str = "draft"
    masthead_title: str = "组工信息"
    compiling_unit: str = ""
    report_to: str = ""
    send_to: str = ""
    issue_to: str = ""
    id: str | None = None

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article of the issue, in print order."""
        return tuple(a for s in self.sections for a in s.articles)


@dataclass(frozen=True)
class ParsedBulletin:
    """What a plain-text issue yields; header fields are None when absent."""

    sections: tuple[Section, ...]
    masthead_title: str | None = None
    number: int | None = None
    compiling_unit: str | None = None
    issued_on: date | None = None
    report_to: str | None = None
    send_to: str | None = None
    issue_to: str | None = None

    def to_bulletin(self, settings: BulletinSettings, *, year: int, number: int,
                    issued_on: date) -> Bulletin:
        """A draft issue from the import, filling gaps from the office settings."""
        return Bulletin(
            year=year, number=number, issued_on=issued_on, sections=self.sections,
            masthead_title=self.masthead_title or settings.masthead_title,
            compiling_unit=self.compiling_unit or settings.compiling_unit,
            report_to=self.report_to or settings.report_to,
            send_to=self.send_to or settings.send_to,
            issue_to=self.issue_to or settings.issue_to,
        )


def new_bulletin(settings: BulletinSettings, *, year: int, number: int,
                 issued_on: date) -> Bulletin:
    """An empty draft with the default sections and the office's distribution lines."""
    return ParsedBulletin(tuple(Section(t) for t in DEFAULT_SECTIONS)).to_bulletin(
        settings, year=year, number=number, issued_on=issued_on)


# --- numbering -----------------------------------------------------------------

def next_number(existing_numbers: Iterable[int]) -> int:
    """The number to propose for a new issue: one past the highest of the year."""
    return max(existing_numbers, default=0) + 1


def check_number(number: int, existing: Iterable[int], *, year: int | None = None) -> str | None:
    """Why `number` cannot be used this year (Chinese), or None if it can.

    `existing` are the numbers already taken in the same year (excluding the
    issue being edited).
    """
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return "期号必须是大于 0 的整数"
    if number in set(existing):
        where = f"{year} 年" if year else "本年度"
        return f"{where}已有第 {number} 期，请换一个期号"
    return None


def check_status(status: str) -> str | None:
    """Why `status` is not a bulletin status (Chinese), or None."""
    return None if status in STATUSES else f"未知的状态：{status}"


# --- text import ---------------------------------------------------------------

_NUMBER_RE = re.compile(r"^第\s*(\d+)\s*期$")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CONTENTS_RE = re.compile(r"(?:\.{2,}|…+|·{2,})\s*\d+$")
_DISTRIBUTION_RE = re.compile(r"^(报|送|发|抄送)\s*[：:]\s*(.*)$")
# A line that ends a paragraph: sentence-final mark, maybe closing quotes, or
# the source unit in parentheses after a full stop.
_PARA_END_RE = re.compile(r"(?:[。！？!?…][”’」』》）)]*|[。！？]\s*[（(][^（）()]+[）)])$")
_SOURCE_RE = re.compile(r"[（(]([^（）()]+)[）)]$")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_LEADER_RE = re.compile(r"^领导批示\s*[：:]?")


def parse_bulletin_text(text: str) -> ParsedBulletin:
    """Turn a plain-text issue (like the seed bulletin) into sections and articles.

    "★" lines are sections, "△" starts an article whose title runs to the first
    "。", and a parenthesised unit at the end of an article is its source.
    Tolerates text extracted from print: lines broken mid-sentence are rejoined,
    the contents block (lines ending ".....N") and "领导批示：" are skipped.
    """
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not any(ln.startswith(("★", "△")) for ln in lines):
        raise UserError("没有找到栏目（以“★”开头的行）或文章（以“△”开头的行），无法导入")
    header, rest = _split_header(lines)
    names = [ln.lstrip("★").strip() for ln in rest if ln.startswith("★")]
    body, distribution = _split_distribution(_skip_contents(rest))
    sections = _sections(_join_broken_lines(body), names)
    return ParsedBulletin(sections=sections, **_header_fields(header), **distribution)


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, ln in enumerate(lines):
        if ln.startswith(("★", "△")):
            return lines[:i], lines[i:]
    return [], lines


def _header_fields(header: list[str]) -> dict:
    fields: dict = {}
    others = []
    for ln in header:
        number, when = _NUMBER_RE.match(ln), _DATE_RE.search(ln)
        if number:
            fields["number"] = int(number.group(1))
        elif when:
            fields["issued_on"] = _safe_date(*map(int, when.groups()))
            before = ln[:when.start()].strip()
            if before:  # unit and date printed on one line
                others.append(before)
        else:
            others.append(ln)
    if others:
        fields["masthead_title"] = others[0]
    if len(others) > 1:
        fields["compiling_unit"] = " ".join(others[1:])
    return fields


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _skip_contents(lines: list[str]) -> list[str]:
    """Drop the contents block: ★ lines and titles up to each ".....N" line.

    The block ends at "领导批示", or at the first line that is neither a ★ line
    nor followed (within a few lines) by a ".....N" line.
    """
    last_entry = -1
    for i, ln in enumerate(lines):
        if ln.startswith("△"):
            break
        if _CONTENTS_RE.search(ln):
            last_entry = i
    kept = lines[last_entry + 1:]
    return [ln for ln in kept if not _LEADER_RE.match(ln)]


def _split_distribution(lines: list[str]) -> tuple[list[str], dict]:
    keys = {"报": "report_to", "送": "send_to", "发": "issue_to", "抄送": "send_to"}
    found: dict = {}
    body = []
    for ln in lines:
        m = _DISTRIBUTION_RE.match(ln)
        if m and not ln.startswith(("△", "★")):
            found[keys[m.group(1)]] = m.group(2).strip()
        else:
            body.append(ln)
    return body, found


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin lines that print broke mid-sentence; keep real paragraph ends.

    A line starts a new paragraph after a paragraph end, and always when it is
    a ★/△ line. Headings (short lines without sentence marks) stand alone.
    """
    out: list[str] = []
    for ln in lines:
        if out and not _is_block_start(ln) and not _ends_paragraph(out[-1]):
            out[-1] = _glue(out[-1], ln)
        else:
            out.append(ln)
    return out


def _is_block_start(line: str) -> bool:
    return line.startswith(("★", "△"))


def _ends_paragraph(line: str) -> bool:
    plain = line.replace("**", "")
    return bool(_PARA_END_RE.search(plain)) or _looks_like_heading(plain)


def _looks_like_heading(line: str) -> bool:
    """A short line with no punctuation at all, like a section name in the body."""
    return len(line) <= 12 and not re.search(r"[，。、；：？！,.;:?!]", line)


def _glue(left: str, right: str) -> str:
    ascii_both = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() \
        and right[:1].isalnum()
    return left + (" " if ascii_both else "") + right


def _sections(paragraphs: list[str], names: list[str]) -> tuple[Section, ...]:
    """Group paragraphs into sections and articles."""
    sections: list[tuple[str, list[list[str]]]] = []
    for para in paragraphs:
        name = _section_name(para, names)
        if name is not None:
            sections.append((name, []))
        elif para.startswith("△"):
            if not sections:
                sections.append((FALLBACK_SECTION, []))
            sections[-1][1].append([para[1:].strip()])
        elif sections and sections[-1][1]:
            sections[-1][1][-1].append(para)
    return tuple(Section(n, tuple(_article(p) for p in arts)) for n, arts in sections)


def _section_name(para: str, names: list[str]) -> str | None:
    if para.startswith("★"):
        return para.lstrip("★").strip()
    stripped = para.strip()
    return stripped if stripped in names else None


def _article(paras: list[str]) -> Article:
    """One article from its paragraphs; the first starts with the title."""
    lead: list[str] = []
    plain = [_strip_bold(p, lead) for p in paras]
    first = plain[0]
    cut = first.find("。")
    title, rest = (first[:cut], first[cut + 1:]) if cut >= 0 else (first, "")
    body = ([rest.strip()] if rest.strip() else []) + plain[1:]
    source = ""
    if body:
        m = _SOURCE_RE.search(body[-1])
        if m and m.start() > 0 and body[-1][m.start() - 1] in "。！？”":
            source = m.group(1).strip()
            body[-1] = body[-1][:m.start()].rstrip()
    return Article(title=title.strip(), paragraphs=tuple(p for p in body if p),
                   source_unit=source, lead_phrases=tuple(lead))


def _strip_bold(text: str, found: list[str]) -> str:
    """Remove "**…**" marks, collecting the marked phrases into `found`."""
    def keep(m: re.Match) -> str:
        found.append(m.group(1))
        return m.group(1)
    return _BOLD_RE.sub(keep, text).replace("**", "")


def article_runs(paragraph: str, lead_phrases: Iterable[str]) -> list[tuple[str, bool]]:
    """Split a paragraph into (text, bold) runs, bolding each lead phrase it holds."""
    runs: list[tuple[str, bool]] = [(paragraph, False)]
    for phrase in lead_phrases:
        if not phrase:
            continue
        nxt: list[tuple[str, bool]] = []
        for text, bold in runs:
            if bold or phrase not in text:
                nxt.append((text, bold))
                continue
            before, _, after = text.partition(phrase)
            nxt += [r for r in ((before, False), (phrase, True), (after, False)) if r[0]]
        runs = nxt
    return runs

