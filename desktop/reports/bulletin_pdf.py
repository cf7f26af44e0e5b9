"""The bulletin (组工信息) as an A4 PDF on the conventions of GB/T 9704-2012.

Page 1: red masthead, "第N期", compiling unit and date, red rule, contents with
real page numbers, the 领导批示 box. Then the sections and "△" articles, and
the 版记 (报/送/发 between rules) at the foot of the last page.

The contents are printed before the article pages exist. Instead of building
the document twice, each contents entry draws a PDF form XObject (the dot
leaders and the page number) that is only defined when the canvas is saved,
by which time every article has recorded the page it starts on. Contents
entries have a fixed height whatever the numbers, so one pass is exact.

All user text is drawn as plain strings (never ReportLab markup), so "<" and
"&" print as typed.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from reportlab.lib.colors import HexColor, black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame,
                                PageBreak, PageTemplate, Spacer)

from desktop.domain.bulletin import Article, Bulletin, article_runs
from desktop.reports import glyphs
from desktop.reports.cjk_text import CJKParagraph, break_lines, plain_style, tokenize
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.reports.render_result import RenderResult

RED = HexColor("#E60012")
PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * mm, 37 * mm
TYPE_W, TYPE_H = 156 * mm, 225 * mm
BOTTOM = PAGE_H - TOP - TYPE_H
BODY_SIZE = TYPE_W / 28          # 3号 (16 pt) trimmed so 28 characters fill a line
LEADING = TYPE_H / 22            # 22 lines a page
SMALL_SIZE = 14                  # 4号: page numbers and 版记
TITLE_MAX = 60                   # masthead size cap, pt
RULE_FROM_TOP = 96 * mm          # the red rule sits at about a third of the page
NUMBER_COL = 2.2 * BODY_SIZE     # room kept for contents page numbers


def render_bulletin(bulletin: Bulletin, out_path: str | Path | io.BytesIO, *,
                    fonts: FontSet | None = None) -> RenderResult:
    """Write the bulletin PDF to `out_path` (a path or a binary buffer)."""
    fonts = fonts or cjk_fonts()
    state = _RenderState()
    target = str(out_path) if isinstance(out_path, Path) else out_path
    doc = _document(target, bulletin, fonts)
    doc.build(_story(bulletin, fonts, state),
              canvasmaker=functools.partial(_BulletinCanvas, state=state, fonts=fonts))
    warnings = tuple(w for w in (fonts.warning,) if w)
    warnings += glyphs.warnings_for(_places(bulletin), _roles(fonts))
    if not bulletin.articles:
        warnings += ("本期还没有文章",)
    return RenderResult(page_count=doc.page, warnings=warnings)


def count_pages(bulletin: Bulletin, *, fonts: FontSet | None = None) -> int:
    """How many pages the bulletin prints on (for the composer's live count)."""
    return render_bulletin(bulletin, io.BytesIO(), fonts=fonts).page_count


def _places(bulletin: Bulletin) -> list[tuple[str, str]]:
    """Every piece of typed text of the issue, with where a clerk would find it."""
    places = [("刊头", bulletin.masthead_title), ("编印单位", bulletin.compiling_unit),
              ("报送范围（报）", bulletin.report_to), ("报送范围（送）", bulletin.send_to),
              ("报送范围（发）", bulletin.issue_to)]
    number = 0
    for section in bulletin.sections:
        places.append((f"栏目“{section.title}”的名称", section.title))
        for article in section.articles:
            number += 1
            text = "".join((article.title, *article.paragraphs, article.source_unit))
            places.append((f"第{number}篇文章《{article.title}》", text))
    return places


def _roles(fonts: FontSet) -> tuple[str, ...]:
    return fonts.body, fonts.heading, fonts.title, fonts.kai


# --- document and page furniture ------------------------------------------------

def _document(target, bulletin: Bulletin, fonts: FontSet) -> BaseDocTemplate:
    first_top = PAGE_H - RULE_FROM_TOP - 6 * mm
    first = Frame(LEFT, BOTTOM, TYPE_W, first_top - BOTTOM, id="first", **_NO_PADDING)
    later = Frame(LEFT, BOTTOM, TYPE_W, TYPE_H, id="later", **_NO_PADDING)
    doc = BaseDocTemplate(
        target, pagesize=A4, title=f"{bulletin.masthead_title} {bulletin.year}年第{bulletin.number}期",
        author=bulletin.compiling_unit, creator="两新党建工作台",
        initialFontName=fonts.body, leftMargin=LEFT, rightMargin=PAGE_W - LEFT - TYPE_W, topMargin=TOP, bottomMargin=BOTTOM)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=functools.partial(_draw_head, bulletin, fonts),
                     autoNextPageTemplate="later"),
        PageTemplate("later", [later], onPage=functools.partial(_draw_folio, fonts)),
    ])
    return doc


_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _draw_head(bulletin: Bulletin, fonts: FontSet, canv: Canvas, _doc) -> None:
    """Page 1 header: masthead, issue number, unit and date, red rule."""
    canv.saveState()
    title = bulletin.masthead_title
    size = min(TITLE_MAX, 0.92 * TYPE_W / max(glyphs.width(title, fonts.title, 1), 1))
    canv.setFillColor(RED)
    glyphs.draw(canv, LEFT + TYPE_W / 2, PAGE_H - TOP - 26 * mm, title, fonts.title, size,
                "centre")
    canv.setFillColor(black)
    canv.setFont(fonts.body, BODY_SIZE)
    canv.drawCentredString(LEFT + TYPE_W / 2, PAGE_H - 80 * mm, f"第{bulletin.number}期")
    line_y = PAGE_H - 92 * mm
    when = bulletin.issued_on
    date_text = f"{when.year}年{when.month}月{when.day}日"
    canv.drawRightString(LEFT + TYPE_W - BODY_SIZE, line_y, date_text)
    # A long unit name is set smaller so it never runs into the date.
    room = TYPE_W - 3 * BODY_SIZE - stringWidth(date_text, fonts.body, BODY_SIZE)
    unit = bulletin.compiling_unit
    unit_size = min(BODY_SIZE, BODY_SIZE * room / max(glyphs.width(unit, fonts.body, BODY_SIZE), 1))
    glyphs.draw(canv, LEFT + BODY_SIZE, line_y, unit, fonts.body, unit_size)
    canv.setStrokeColor(RED)
    canv.setLineWidth(1.5)
    canv.line(LEFT, PAGE_H - RULE_FROM_TOP, LEFT + TYPE_W, PAGE_H - RULE_FROM_TOP)
    canv.restoreState()


def _draw_folio(fonts: FontSet, canv: Canvas, _doc) -> None:
    """Page number "— N —" 7 mm under the type area, outer side (GB/T 9704 7.5)."""
    page = canv.getPageNumber()
    text = f"— {page} —"
    canv.saveState()
    canv.setFont(fonts.title, SMALL_SIZE)
    y = BOTTOM - 7 * mm - SMALL_SIZE * 0.8
    if page % 2:
        canv.drawRightString(LEFT + TYPE_W - SMALL_SIZE, y, text)
    else:
        canv.drawString(LEFT + SMALL_SIZE, y, text)
    canv.restoreState()


# --- page-number bookkeeping ---------------------------------------------------

class _RenderState:
    """Article start pages, and the contents entries waiting for them."""

    def __init__(self) -> None:
        self.start_page: dict[int, int] = {}
        # form name → (article index, x where the leaders start, right edge, baseline)
        self.pending: dict[str, tuple[int, float, float, float]] = {}


class _BulletinCanvas(Canvas):
    """A canvas that defines the contents' page-number forms just before saving."""

    def __init__(self, *args, state: _RenderState, fonts: FontSet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._state, self._fonts = state, fonts

    def save(self) -> None:
        """Fill in every contents entry with its article's real page, then save."""
        for name, (index, x0, x1, baseline) in self._state.pending.items():
            self.beginForm(name)
            _draw_leaders(self, self._fonts.kai, self._state.start_page.get(index, 0),
                          x0, x1, baseline)
            self.endForm()
        super().save()


def _draw_leaders(canv: Canvas, font: str, page: int, x0: float, x1: float,
                  baseline: float) -> None:
    number = str(page)
    number_w = stringWidth(number, font, BODY_SIZE)
    dot_w = stringWidth(".", font, BODY_SIZE)
    dots = max(int((x1 - number_w - x0 - dot_w) // dot_w), 2)
    canv.setFont(font, BODY_SIZE)
    canv.drawString(x1 - number_w - dots * dot_w, baseline, "." * dots)
    canv.drawString(x1 - number_w, baseline, number)


class _PageMark(Flowable):
    """Zero-size marker that records the page an article starts on."""

    def __init__(self, state: _RenderState, index: int) -> None:
        super().__init__()
        self._state, self._index = state, index

    def wrap(self, availWidth, availHeight):  # noqa: N803
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Remember the current page for the contents."""
        self._state.start_page[self._index] = self.canv.getPageNumber()


# --- page 1 flowables ------------------------------------------------------------

class _ContentsEntry(Flowable):
    """An article title in the contents, wrapped, with dot leaders to its page."""

    def __init__(self, title: str, index: int, font: str, state: _RenderState) -> None:
        super().__init__()
        self._tokens = tokenize([(title, False)], font, font, BODY_SIZE)
        self._index, self._font, self._state = index, font, state
        self._indent = 2 * BODY_SIZE

    def wrap(self, availWidth, availHeight):  # noqa: N803
        """One leading per title line; the number column is always reserved."""
        self.width = availWidth
        self._lines = self._break(availWidth - self._indent - NUMBER_COL)
        self.height = max(len(self._lines), 1) * LEADING
        return availWidth, self.height

    def _break(self, width: float) -> list:
        """Lines of the title; a long title breaks at its space, as printed titles do."""
        lines = break_lines(self._tokens, width)
        spaces = [i for i, t in enumerate(self._tokens) if t.is_space]
        if len(lines) < 2 or not spaces:
            return lines
        cut = spaces[len(spaces) // 2]
        head = break_lines(self._tokens[:cut], width)
        tail = break_lines(self._tokens[cut + 1:], width)
        return head + tail if len(head) + len(tail) == len(lines) else lines

    def draw(self) -> None:
        """Title lines in 楷体; the leaders and number are a form filled in at save."""
        canv = self.canv
        canv.setFont(self._font, BODY_SIZE)
        baseline = self.height - LEADING / 2 - 0.38 * BODY_SIZE
        end_x = self._indent
        for line in self._lines:
            glyphs.draw(canv, self._indent, baseline, line.text, self._font, BODY_SIZE)
            end_x = self._indent + line.width
            baseline -= LEADING
        name = f"contents{self._index}"
        self._state.pending[name] = (self._index, end_x + 2, self.width, baseline + LEADING)
        canv.doForm(name)


class _LeaderBox(Flowable):
    """The 领导批示 area: a ruled box with its label, filling page 1's free space."""

    MIN_H, MAX_H = 45 * mm, 85 * mm

    def __init__(self, font: str) -> None:
        super().__init__()
        self._font = font

    def wrap(self, availWidth, availHeight):  # noqa: N803
        """Take what is left on the page, within sensible limits."""
        self.width = availWidth
        self.height = min(availHeight, self.MAX_H) if availHeight >= self.MIN_H else self.MAX_H
        return availWidth, self.height

    def draw(self) -> None:
        """Draw the box and its label."""
        canv = self.canv
        canv.setLineWidth(0.8)
        canv.rect(0, 0, self.width, self.height - 4 * mm)
        canv.setFont(self._font, BODY_SIZE)
        canv.drawString(BODY_SIZE / 2, self.height - 4 * mm - LEADING + 6, "领导批示：")


# --- 版记 ---------------------------------------------------------------------------

class _Distribution(Flowable):
    """报/送/发 lines between rules, pushed to the foot of the last page."""

    def __init__(self, rows: list[tuple[str, str]], font: str) -> None:
        super().__init__()
        self._rows, self._font = rows, font
        self._line_h = SMALL_SIZE * 1.9

    def _layout(self, width: float) -> list[list[str]]:
        out = []
        for label, text in self._rows:
            label_w = stringWidth(label, self._font, SMALL_SIZE)
            tokens = tokenize([(text, False)], self._font, self._font, SMALL_SIZE)
            lines = break_lines(tokens, width - 2 * SMALL_SIZE - label_w)
            out.append([label + (lines[0].text if lines else "")] + [ln.text for ln in lines[1:]])
        return out

    def wrap(self, availWidth, availHeight):  # noqa: N803
        """Own height when it does not fit (forcing a new page), else all that is left."""
        self.width = availWidth
        self._blocks = self._layout(availWidth)
        own = sum(len(b) for b in self._blocks) * self._line_h + 2
        self._own = own
        self.height = availHeight if own <= availHeight else own
        return availWidth, self.height

    def draw(self) -> None:
        """Rules 1 pt outside, 0.5 pt between; text 1 character in from the left."""
        canv = self.canv
        y = self._own
        canv.setLineWidth(1.0)
        canv.line(0, y, self.width, y)
        canv.setFont(self._font, SMALL_SIZE)
        for k, block in enumerate(self._blocks):
            label_w = stringWidth(block[0][:2], self._font, SMALL_SIZE)
            for j, text in enumerate(block):
                y -= self._line_h
                x = SMALL_SIZE + (label_w if j else 0)
                glyphs.draw(canv, x, y + (self._line_h - SMALL_SIZE) / 2 + 2, text, self._font,
                            SMALL_SIZE)
            canv.setLineWidth(1.0 if k == len(self._blocks) - 1 else 0.5)
            canv.line(0, y, self.width, y)


# --- the story -------------------------------------------------------------------

def _story(bulletin: Bulletin, fonts: FontSet, state: _RenderState) -> list[Flowable]:
    return _contents(bulletin, fonts, state) + [PageBreak()] + _body(bulletin, fonts, state) \
        + _closing(bulletin, fonts)


def _contents(bulletin: Bulletin, fonts: FontSet, state: _RenderState) -> list[Flowable]:
    heading = plain_style(fonts.heading, BODY_SIZE, LEADING)
    story: list[Flowable] = []
    index = 0
    for section in bulletin.sections:
        story.append(CJKParagraph(f"★ {section.title}", heading, first_line_indent_chars=0))
        for article in section.articles:
            story.append(_ContentsEntry(article.title, index, fonts.kai, state))
            index += 1
    if bulletin.leader_comment_box:
        story += [Spacer(1, LEADING / 2), _LeaderBox(fonts.heading)]
    return story


def _body(bulletin: Bulletin, fonts: FontSet, state: _RenderState) -> list[Flowable]:
    # A blank line above a section heading (dropped at the top of a page).
    heading = plain_style(fonts.heading, BODY_SIZE, LEADING, alignment=TA_CENTER,
                          spaceBefore=LEADING)
    body = plain_style(fonts.body, BODY_SIZE, LEADING)
    story: list[Flowable] = []
    index = 0
    for section in bulletin.sections:
        if not section.articles:
            continue
        story += [CondPageBreak(3 * LEADING),
                  CJKParagraph(section.title, heading, first_line_indent_chars=0)]
        for article in section.articles:
            story += [CondPageBreak(2 * LEADING), _PageMark(state, index)]
            story += [CJKParagraph(runs, body, bold_font=fonts.heading)
                      for runs in _article_paragraphs(article)]
            index += 1
    return story


def _article_paragraphs(article: Article) -> list[list[tuple[str, bool]]]:
    """Runs per printed paragraph: "△title。" leads the first, the source ends the last."""
    paras = [article_runs(p, article.lead_phrases) for p in article.paragraphs] or [[]]
    title = article.title.rstrip("。")
    # △ in the body face: the 黑体 glyph is tiny.
    paras[0] = [("△", False), (title + "。", True)] + paras[0]
    if article.source_unit:
        paras[-1] = paras[-1] + [(f"（{article.source_unit}）", False)]
    return paras


def _closing(bulletin: Bulletin, fonts: FontSet) -> list[Flowable]:
    rows = [(label, text) for label, text in (("报：", bulletin.report_to),
            ("送：", bulletin.send_to), ("发：", bulletin.issue_to)) if text.strip()]
    return [_Distribution(rows, fonts.body)] if rows else []
