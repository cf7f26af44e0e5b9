"""The bulletin (组工信息): settings, compose and number issues, issue, print, import text.

A draft can change freely; issuing stores the PDF and freezes the issue, after
which every change is refused here and, whatever the caller does, by the
database's triggers. Rendering an issued bulletin writes the stored bytes, so a
reprint is the very file that was issued.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from desktop import paths
from desktop.db import bulletins as store
from desktop.db.bulletins import FONT_PATH_KEY, BulletinSummary
from desktop.db.connection import Database, transaction
from desktop.domain import bulletin as model
from desktop.domain.bulletin import Bulletin, BulletinSettings
from desktop.domain.text_limits import check_lengths, too_long
from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.reports.bulletin_pdf import RenderResult, count_pages, render_bulletin
from desktop.reports.fonts import RENDER_LOCK, FontSet, cjk_fonts
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.pdf_fonts import configured_fonts
from desktop.services.workspace import get_setting, set_setting
from desktop.domain import access as acl
from desktop.services.users import require

ISSUED_MESSAGE = "该期已印发，不能修改"
SAMPLE_RESOURCE = "bulletin/sample_bulletin.txt"



# --- settings ---------------------------------------------------------------------

def bulletin_settings(db: Database) -> BulletinSettings:
    """The office's masthead, compiling unit and 报/送/发 lines (defaults from the county)."""
    stored = store.load_settings(db)
    county = get_setting(db, "county_name").strip()
    defaults = BulletinSettings()
    if county:
        defaults = dataclasses.replace(defaults, masthead_title=f"{county}组工信息",
                                       compiling_unit=f"中共{county}委组织部研究室")
    return dataclasses.replace(defaults, **stored)


def save_bulletin_settings(db: Database, settings: BulletinSettings) -> None:
    """Save the bulletin settings; the masthead title may not be empty."""
    cleaned = BulletinSettings(**{f.name: str(getattr(settings, f.name)).strip()
                                  for f in dataclasses.fields(settings)})
    require(db, acl.DRAFT_BULLETIN)
    if not cleaned.masthead_title:
        raise UserError("刊头名称不能为空")
    _refuse(check_lengths("bulletin", cleaned))
    store.save_settings(db, cleaned)


def pdf_font_path(db: Database) -> str:
    """The font file configured for every PDF ("" when the system's fonts are used)."""
    return get_setting(db, FONT_PATH_KEY)


def save_pdf_font_path(db: Database, path: str) -> None:
    """Configure the font file every PDF embeds; "" goes back to the system's fonts.

    Refuses a file that is missing or that ReportLab cannot embed (CFF outlines,
    no-embedding licence), so the setting never silently falls back.
    """
    path = path.strip()
    if path:
        if not Path(path).is_file():
            raise UserError(f"找不到字体文件：{path}")
        if cjk_fonts(path).warning:
            raise UserError(f"该字体文件无法嵌入 PDF（仅支持 TrueType 轮廓的 .ttf/.ttc）：{path}")
    set_setting(db, FONT_PATH_KEY, path)


def bulletin_fonts(db: Database) -> FontSet:
    """The fonts bulletins print with: the configured file, else the system's."""
    return configured_fonts(db)


# --- compose ----------------------------------------------------------------------

def new_bulletin(db: Database, year: int | None = None,
                 issued_on: date | None = None) -> Bulletin:
    """An unsaved draft with the next free number of its year and the default sections."""
    today = date.today()
    if issued_on is None:
        issued_on = today if year in (None, today.year) else date(year, 1, 1)
    year = year or issued_on.year
    number = model.next_number(store.numbers_used(db, year))
    return model.new_bulletin(bulletin_settings(db), year=year, number=number,
                              issued_on=issued_on)


def next_free_number(db: Database, year: int, *, exclude_id: str | None = None) -> int:
    """The number to propose for an issue of `year` (one past the highest used)."""
    return model.next_number(store.numbers_used(db, year, exclude_id=exclude_id))


def save_bulletin(db: Database, bulletin: Bulletin) -> str:
    """Store a draft (new when it has no id); returns its id.

    Refuses an issued issue, a number already used in the year, and a draft
    whose articles or sections lack a title. The checks and the write are one write
    transaction, so an issue issued or a number taken meanwhile is seen.
    """
    require(db, acl.DRAFT_BULLETIN)
    with transaction(db):
        if bulletin.id is not None:
            _require_draft(db, bulletin.id, ISSUED_MESSAGE)
        bulletin = _clean(bulletin)
        _check(db, bulletin)
        if bulletin.id is None:
            return store.insert_bulletin(db, bulletin)
        store.update_draft(db, bulletin)
        return bulletin.id


def delete_bulletin(db: Database, bulletin_id: str) -> None:
    """Delete a draft (an issued one is kept for good)."""
    require(db, acl.DRAFT_BULLETIN)
    with transaction(db):
        _require_draft(db, bulletin_id, "该期已印发，不能删除")
        store.delete_draft(db, bulletin_id)


def get_bulletin(db: Database, bulletin_id: str) -> Bulletin:
    """One issue as stored."""
    return store.get_bulletin(db, bulletin_id)


def list_bulletins(db: Database, year: int | None = None) -> list[BulletinSummary]:
    """Every issue (or a year's), newest first, for the list screen and the CLI."""
    return store.list_bulletins(db, year)


def _require_draft(db: Database, bulletin_id: str, issued_message: str) -> None:
    status = store.status_of(db, bulletin_id)
    if status is None:
        raise UserError("该期不存在或已被删除")
    if status == "issued":
        raise UserError(issued_message)


def _clean(bulletin: Bulletin) -> Bulletin:
    """Trim what was typed: titles, units, header lines; drop blank paragraphs."""
    sections = tuple(
        model.Section(s.title.strip(), tuple(
            dataclasses.replace(a, title=a.title.strip(), source_unit=a.source_unit.strip(),
                                paragraphs=tuple(p.strip() for p in a.paragraphs if p.strip()),
                                lead_phrases=tuple(p for p in a.lead_phrases if p.strip()))
            for a in s.articles))
        for s in bulletin.sections)
    header = {f: getattr(bulletin, f).strip() for f in
              ("masthead_title", "compiling_unit", "report_to", "send_to", "issue_to")}
    return dataclasses.replace(bulletin, sections=sections, status="draft", **header)


def _check(db: Database, bulletin: Bulletin) -> None:
    if not 2000 <= bulletin.year <= 2100:
        raise UserError("年度必须在 2000 至 2100 之间")
    if bulletin.issued_on.year != bulletin.year:
        raise UserError(f"出刊日期必须在 {bulletin.year} 年内")
    if not bulletin.masthead_title:
        raise UserError("刊头名称不能为空")
    taken = store.numbers_used(db, bulletin.year, exclude_id=bulletin.id)
    reason = model.check_number(bulletin.number, taken)
    if reason:
        raise UserError(reason)
    for k, section in enumerate(bulletin.sections, start=1):
        if not section.title:
            raise UserError(f"第 {k} 个栏目缺少名称")
        for j, article in enumerate(section.articles, start=1):
            if not article.title:
                raise UserError(f"栏目“{section.title}”的第 {j} 篇文章缺少标题")
    _refuse(_length_problems(bulletin))


def _length_problems(bulletin: Bulletin) -> list[tuple[str, str]]:
    """Every text of the issue longer than text_limits allows, with where it is."""
    problems = check_lengths("bulletin", bulletin)
    for k, section in enumerate(bulletin.sections, start=1):
        reason = too_long("section", "title", section.title)
        if reason:
            problems.append(("section", f"第 {k} 个栏目：{reason}"))
        for j, article in enumerate(section.articles, start=1):
            where = f"栏目“{section.title[:30]}”的第 {j} 篇文章"
            problems += [("article", f"{where}：{reason}")
                         for field, value in _article_texts(article)
                         if (reason := too_long("article", field, value))]
    return problems


def _article_texts(article: model.Article) -> list[tuple[str, str]]:
    """(limit field, text) for every typed text of an article."""
    return ([("title", article.title), ("source_unit", article.source_unit)]
            + [("paragraph", p) for p in article.paragraphs]
            + [("lead_phrase", p) for p in article.lead_phrases])


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise UserError("；".join(reason for _, reason in problems[:5]), problems=problems)


# --- issue and print --------------------------------------------------------------

def render_to_bytes(db: Database, bulletin: Bulletin) -> tuple[bytes, RenderResult]:
    """The PDF of a bulletin as it stands (saved or not), for preview and printing."""
    buffer = io.BytesIO()
    fonts = bulletin_fonts(db)
    with RENDER_LOCK:
        result = render_bulletin(bulletin, buffer, fonts=fonts)
    return buffer.getvalue(), result


def page_counter(db: Database) -> Callable[[Bulletin], int]:
    """A function counting a bulletin's pages that needs no database.

    The composer calls it off the GUI thread, where this connection may not go,
    so the font setting is read here, once.
    """
    fonts = bulletin_fonts(db)

    def count(bulletin: Bulletin) -> int:
        with RENDER_LOCK:
            return count_pages(bulletin, fonts=fonts)
    return count


def bulletin_pdf(db: Database, bulletin_id: str) -> bytes:
    """The PDF of a stored issue: the kept file once issued, else rendered now."""
    kept = store.get_pdf(db, bulletin_id)
    if kept is not None:
        return kept
    return render_to_bytes(db, store.get_bulletin(db, bulletin_id))[0]


def render_bulletin_pdf(db: Database, bulletin_id: str, out_path: str | Path) -> RenderResult:
    """Write a stored issue's PDF to `out_path`; an issued one byte for byte as issued."""
    kept = store.get_pdf(db, bulletin_id)
    if kept is not None:
        data, result = kept, RenderResult(_page_count(kept), ())
    else:
        data, result = render_to_bytes(db, store.get_bulletin(db, bulletin_id))
    path = checked_target(out_path, (".pdf",))
    write_atomically(path, lambda tmp: tmp.write_bytes(data))
    return result


def _page_count(pdf: bytes) -> int:
    # pypdfium2 is a runtime dependency already (the previews render with it); pypdf
    # is only in the test extra, so a plain install could not open this module.
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def issue_bulletin(db: Database, bulletin_id: str) -> RenderResult:
    """Issue a draft: render it, keep the PDF, and freeze the issue for good.

    Rendering takes a while, so it happens before the write transaction; inside it
    the draft is read again and must be the one rendered (nobody saved or issued it
    in between), or nothing is issued.
    """
    require(db, acl.ISSUE_BULLETIN)
    _require_draft(db, bulletin_id, "该期已印发，不能再次印发")
    bulletin = store.get_bulletin(db, bulletin_id)
    if not bulletin.articles:
        raise UserError("本期还没有文章，不能印发")
    data, result = render_to_bytes(db, bulletin)
    with transaction(db):
        _require_draft(db, bulletin_id, "该期已印发，不能再次印发")
        if store.get_bulletin(db, bulletin_id) != bulletin:
            raise UserError("该期在印发时被修改过，未印发，请检查后重新印发")
        store.mark_issued(db, bulletin_id, data)
    return result


# --- text import ------------------------------------------------------------------

@dataclass(frozen=True)
class ImportedIssue:
    """A stored text import: its id, and why its number differs from the text's ('')."""

    id: str
    note: str = ""


def import_issue(db: Database, text: str) -> ImportedIssue:
    """Store a plain-text issue as a draft.

    What the text lacks (masthead, unit, 报/送/发) comes from the settings. The
    number printed in the text is kept when it is free in its year, else the
    next free number is used (and the note says so); with no date in the text,
    today's.
    """
    require(db, acl.DRAFT_BULLETIN)
    parsed = model.parse_bulletin_text(text)
    issued_on = parsed.issued_on or date.today()
    year = issued_on.year
    with transaction(db):  # the number chosen is still free when it is stored
        taken = store.numbers_used(db, year)
        number = parsed.number
        if number is None or model.check_number(number, taken):
            number = model.next_number(taken)
        bulletin = parsed.to_bulletin(bulletin_settings(db), year=year, number=number,
                                      issued_on=issued_on)
        note = ""
        if parsed.number is not None and parsed.number != number:
            note = (f"原文为第{parsed.number}期，{year}年该期号已被使用，"
                    f"已编为第{number}期（可在编辑时修改）")
        return ImportedIssue(save_bulletin(db, bulletin), note)


def import_bulletin_text(db: Database, text: str) -> str:
    """Store a plain-text issue as a draft (see import_issue); returns its id."""
    return import_issue(db, text).id


def import_bulletin_file(db: Database, path: str | Path) -> str:
    """Import a UTF-8 (or GB18030) text file as a draft issue; returns its id."""
    return import_bulletin_text(db, read_text_file(path))


def read_text_file(path: str | Path) -> str:
    """A text file's content, UTF-8 or GB18030 (WPS and Notepad's "ANSI" on Windows)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise file_error("无法读取文件", exc, path) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError("无法识别文件编码，请另存为 UTF-8 文本后再导入")


def add_sample_bulletin(db: Database) -> str:
    """Import the source document's issue (bundled) as a draft, for the demo data."""
    text = paths.resource_path(SAMPLE_RESOURCE).read_text(encoding="utf-8")
    return import_bulletin_text(db, text)
