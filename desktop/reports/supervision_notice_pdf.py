"""The 督办通知单 (supervision notice, PROBLEMS.md) as an A4 portrait PDF.

Addressed to one responsible unit (责任单位): the title, the notice number
(督办〔2026〕N号, a blank to write in when none is given), the unit as addressee,
a sentence with the counts, the unit's open problems as a table whose column
header repeats on every page (a PagedTable), then the request to report back,
the issuing office and the date (Arabic numerals, as GB/T 9704 has them), and
the 签收 line. The closing block stays on the page of the last rows. Pages
carry "第 N 页 共 M 页"; later pages a running head naming the unit.

Cells are plain strings broken by our own rules (cjk_text), so typed text
(descriptions with < or &) is never read as markup; a cell with a character
the body font lacks becomes a Paragraph of escaped text with fallback runs.
No database access here: the service hands over a `SupervisionNotice`.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from desktop.reports import glyphs
from desktop.reports.cjk_text import (CJKParagraph, header_lines, plain_style, word_lines,
                                      wrapped_text)
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.reports.paged_table import PagedTable, TableRows
from desktop.reports.render_result import RenderResult

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 20 * mm, 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X - 12  # the frame pads 6 pt on each side
CELL_SIZE = 8
LEADING = CELL_SIZE * 1.35
PADDING_X = 2
MAX_PLAIN_LINES = 12  # a taller cell is a Paragraph: only those can be cut inside the row
RED = colors.HexColor("#C00000")
HEADER_FILL = colors.HexColor("#E7E6E6")
OVERDUE_FILL = colors.HexColor("#F2F2F2")
TITLE = "督办通知单"
NOT_OVERDUE = "未逾期"
# (header, width in mm or None for the rest, centred, header words). The dates,
# 逾期 30 天 and a four-character category fit on one line at CELL_SIZE.
COLUMNS = (
    ("序号", 7, True, ("序号",)), ("问题编号", 13.5, True, ("问题", "编号")),
    ("组织名称", 27, False, ("组织名称",)), ("所属乡镇", 13.5, True, ("所属", "乡镇")),
    ("问题类别", 13.5, True, ("问题", "类别")), ("问题描述", None, False, ("问题描述",)),
    ("发现日期", 16.5, True, ("发现", "日期")), ("办结时限", 16.5, True, ("办结", "时限")),
    ("逾期情况", 16, True, ("逾期", "情况")), ("责任人", 12, True, ("责任人",)),
)
_TOTAL_FORM = "lxNoticePageTotal"


@dataclass(frozen=True)
class NoticeLine:
    """One open problem as the notice prints it."""

    code: str  # the problem's short number (the first 8 of its id)
    organization: str
    township: str
    category: str
    description: str
    found_on: date
    deadline: date
    days_overdue: int
    responsible_person: str

    @property
    def overdue_text(self) -> str:
        return f"逾期 {self.days_overdue} 天" if self.days_overdue else NOT_OVERDUE


@dataclass(frozen=True)
class SupervisionNotice:
    """Everything the notice prints; no database behind it."""

    unit: str
    as_of: date
    number: str  # as typed: "", "7" or a whole 文号
    office: str  # the issuing office (落款): 中共宜城县委组织部
    reply_to: str  # who the unit reports back to: 宜城县委组织部（两新工委）
    lines: tuple[NoticeLine, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.days_overdue)

    @property
    def number_text(self) -> str:
        return notice_number(self.number, self.as_of.year)

    def intro(self) -> str:
        late = f"，其中已逾期{self.overdue}个" if self.overdue else ""
        return (f"截至{date_zh(self.as_of)}，你单位承办的两新组织反映问题中尚有"
                f"{len(self.lines)}个未办结{late}，具体清单如下：")

    def request(self) -> str:
        return ("请你单位对照清单逐项抓好整改落实，于办结时限前将办理情况书面反馈至"
                f"{self.reply_to}；已逾期的问题请抓紧办理，并说明逾期原因和办结时间。")


def notice_number(number: str, year: int) -> str:
    """督办〔2026〕7号 from "7"; a typed whole 文号 as typed; a blank to fill in by hand."""
    number = (number or "").strip()
    if any(mark in number for mark in "〔[（(号"):
        return number
    return f"督办〔{year}〕{number}号" if number else f"督办〔{year}〕　　号"


def date_zh(day: date) -> str:
    """2026年12月7日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def render_supervision_notice(notice: SupervisionNotice, out: str | Path | io.BytesIO, *,
                              fonts: FontSet | None = None) -> RenderResult:
    """Write `notice` as a PDF to `out` (a path or a binary buffer)."""
    fonts = fonts or cjk_fonts()
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(
        target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{TITLE}（{notice.unit}）", author=notice.office,
        creator="两新党建工作台", initialFontName=fonts.body)
    doc.build(_story(notice, fonts), onLaterPages=functools.partial(_running_head, notice, fonts),
              canvasmaker=functools.partial(_NumberedCanvas, fonts=fonts))
    warnings = tuple(w for w in (fonts.warning,) if w)
    warnings += glyphs.warnings_for(_places(notice), (fonts.body, fonts.heading))
    return RenderResult(page_count=doc.page, warnings=warnings)


def _places(notice: SupervisionNotice) -> list[tuple[str, str]]:
    places = [("责任单位", notice.unit), ("落款", notice.office)]
    for seq, line in enumerate(notice.lines, start=1):
        for what, text in (("组织名称", line.organization), ("问题描述", line.description),
                           ("责任人", line.responsible_person)):
            places.append((f"第{seq}个问题的{what}", text))
    return places


# --- the story ------------------------------------------------------------------

def _story(notice: SupervisionNotice, fonts: FontSet) -> list[Flowable]:
    title = plain_style(fonts.title, 22, 30, alignment=TA_CENTER, textColor=RED)
    number = plain_style(fonts.body, 12, 18, alignment=TA_CENTER)
    body = plain_style(fonts.body, 12, 21)
    return [CJKParagraph(" ".join(TITLE), title, first_line_indent_chars=0),
            Spacer(0, 2 * mm),
            CJKParagraph(notice.number_text, number, first_line_indent_chars=0),
            _Rule(RED, 1.2, space=3 * mm),
            Spacer(0, 3 * mm),
            CJKParagraph(f"{notice.unit}：", body, first_line_indent_chars=0),
            CJKParagraph(notice.intro(), body),
            Spacer(0, 2 * mm),
            _table(notice, fonts)]


def _closing(notice: SupervisionNotice, fonts: FontSet) -> list[Flowable]:
    body = plain_style(fonts.body, 12, 21)
    return [Spacer(0, 4 * mm), CJKParagraph(notice.request(), body), Spacer(0, 8 * mm),
            _Signature(notice.office, date_zh(notice.as_of), fonts.body, 12),
            Spacer(0, 8 * mm), _Rule(colors.black, 0.6, space=2 * mm, dash=(3, 2)),
            CJKParagraph("签收人：________________　　　　签收日期：________年____月____日",
                         plain_style(fonts.body, 11.5, 20), first_line_indent_chars=0)]


def _widths() -> list[float]:
    fixed = sum(w for _h, w, _c, _words in COLUMNS if w) * mm
    return [w * mm if w else FRAME_W - fixed for _h, w, _c, _words in COLUMNS]


def _table(notice: SupervisionNotice, fonts: FontSet) -> PagedTable:
    widths = _widths()
    header, commands = [], _base_commands(fonts)
    for column, (_name, _w, _centre, words) in enumerate(COLUMNS):
        lines, size = word_lines(words, fonts.heading, CELL_SIZE, widths[column] - 2 * PADDING_X)
        header.append(lines)
        if size < CELL_SIZE:
            commands.append(("FONTSIZE", (column, 0), (column, 0), size))
    cells = _Cells(fonts, widths)
    rows = [cells.line(seq, line) for seq, line in enumerate(notice.lines, start=1)]
    row_commands = [functools.partial(_overdue_commands, fonts) if line.days_overdue else None
                    for line in notice.lines]
    return PagedTable(TableRows(header, rows, widths, commands, row_commands,
                                tail=_closing(notice, fonts)))


def _base_commands(fonts: FontSet) -> list[tuple]:
    commands = [
        ("FONT", (0, 0), (-1, -1), fonts.body, CELL_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), fonts.heading, CELL_SIZE, LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    commands += [("ALIGN", (k, 1), (k, -1), "CENTER")
                 for k, (_h, _w, centre, _words) in enumerate(COLUMNS) if centre]
    return commands


def _overdue_commands(fonts: FontSet, index: int) -> list[tuple]:
    # Shaded and in 黑体, so an overdue problem shows on a black-and-white printer.
    late = len(COLUMNS) - 2
    return [("BACKGROUND", (late, index), (late, index), OVERDUE_FILL),
            ("FONT", (late, index), (late, index), fonts.heading, CELL_SIZE, LEADING)]


class _Cells:
    """A problem's cells: plain pre-broken strings, Paragraphs only where needed."""

    def __init__(self, fonts: FontSet, widths: list[float]) -> None:
        self._font = fonts.body
        self._room = [w - 2 * PADDING_X for w in widths]
        base = ParagraphStyle("notice-cell", fontName=fonts.body, fontSize=CELL_SIZE,
                              leading=LEADING, wordWrap="CJK")
        self._styles = {False: base,
                        True: ParagraphStyle("notice-centre", parent=base, alignment=TA_CENTER)}

    def line(self, seq: int, line: NoticeLine) -> list:
        values = (str(seq), line.code, line.organization, line.township, line.category,
                  line.description, line.found_on.isoformat(), line.deadline.isoformat(),
                  line.overdue_text, line.responsible_person)
        return [self._text(text, column) for column, text in enumerate(values)]

    def _text(self, text: str, column: int) -> str | Paragraph:
        style = self._styles[COLUMNS[column][2]]
        plain = wrapped_text(text, self._font, CELL_SIZE, self._room[column])
        if plain and _orphan(plain) and " " not in text:  # not 有限公/司 (header_lines drops spaces)
            plain = "\n".join(header_lines(text, self._font, CELL_SIZE, self._room[column]))
        if plain is None:
            return Paragraph(glyphs.markup(text, self._font), style)
        if plain.count("\n") >= MAX_PLAIN_LINES:
            # ReportLab cuts a row taller than a page only between a Paragraph's lines.
            return Paragraph("<br/>".join(escape(part) for part in plain.split("\n")), style)
        return plain


def _orphan(plain: str) -> bool:
    lines = plain.split("\n")
    return len(lines) > 1 and any(len(line) == 1 for line in lines)


# --- flowables --------------------------------------------------------------------

class _Rule(Flowable):
    """A horizontal line across the frame."""

    def __init__(self, color, width: float, *, space: float, dash: tuple | None = None) -> None:
        super().__init__()
        self._color, self._width, self._space, self._dash = color, width, space, dash

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self._space

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(self._color)
        canv.setLineWidth(self._width)
        if self._dash:
            canv.setDash(*self._dash)
        canv.line(0, self._space / 2, self.width, self._space / 2)


class _Signature(Flowable):
    """The issuing office and the date, centred on each other near the right edge
    (GB/T 9704: the date about four characters in from the right margin)."""

    def __init__(self, office: str, day: str, font: str, size: float) -> None:
        super().__init__()
        self._office, self._day, self._font, self._size = office, day, font, size
        self._leading = size * 1.9

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = 2 * self._leading
        return availWidth, self.height

    def draw(self) -> None:
        widths = [glyphs.width(t, self._font, self._size) for t in (self._office, self._day)]
        centre = self.width - 2 * self._size - max(widths) / 2
        centre = max(centre, max(widths) / 2)
        for row, text in enumerate((self._office, self._day)):
            y = self.height - (row + 1) * self._leading + self._size * 0.5
            glyphs.draw(self.canv, centre, y, text, self._font, self._size, align="centre")


# --- page furniture -----------------------------------------------------------------

def _running_head(notice: SupervisionNotice, fonts: FontSet, canv: Canvas, _doc) -> None:
    canv.saveState()
    canv.setFont(fonts.body, 9)
    y = PAGE_H - MARGIN_TOP + 5 * mm
    glyphs.draw(canv, MARGIN_X, y, f"{TITLE}（续）　{notice.unit}", fonts.body, 9)
    canv.drawRightString(PAGE_W - MARGIN_X, y, notice.number_text)
    canv.restoreState()


class _NumberedCanvas(Canvas):
    """Every page gets "第 N 页"; "共 M 页" is a form defined once the count is known."""

    def __init__(self, *args, fonts: FontSet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fonts = fonts

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self.saveState()
        self.setFont(self._fonts.body, 9)
        y = MARGIN_BOTTOM / 2
        self.drawRightString(PAGE_W / 2 - 1, y, f"第 {self.getPageNumber()} 页")
        self.doForm(_TOTAL_FORM)
        self.restoreState()
        super().showPage()

    def save(self) -> None:
        """Define the page-total form now that the page count is known, then save."""
        pages = self.getPageNumber() - 1
        self.beginForm(_TOTAL_FORM)
        self.setFont(self._fonts.body, 9)
        self.drawString(PAGE_W / 2 + 1, MARGIN_BOTTOM / 2, f" 共 {pages} 页")
        self.endForm()
        super().save()
