"""Bulletin issues (组工信息) and the office's bulletin settings.

An issue's sections, articles, masthead and 版记 lines are kept as one JSON
document (`content_json`); year, number, date and status are columns so the
numbering can be checked and listed. Issuing writes the status and the PDF in
one update; after that the triggers of schema_v1.sql refuse every change.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.db import settings_store
from desktop.db.connection import query, transaction
from desktop.db.records import new_id, now_utc
from desktop.domain.bulletin import Article, Bulletin, BulletinSettings, Section
from desktop.errors import UserError

# app_setting keys of the bulletin settings, by BulletinSettings field.
SETTING_KEYS = {
    "masthead_title": "bulletin.masthead",
    "compiling_unit": "bulletin.compiling_unit",
    "report_to": "bulletin.report_to",
    "send_to": "bulletin.send_to",
    "issue_to": "bulletin.issue_to",
}
FONT_PATH_KEY = "pdf.font_path"  # shared by every PDF the app prints

_HEADER_FIELDS = ("masthead_title", "compiling_unit", "report_to", "send_to", "issue_to")


@dataclass(frozen=True)
class BulletinSummary:
    """One row of the bulletin list: enough to pick an issue without loading its PDF."""

    id: str
    year: int
    number: int
    issued_on: date
    title: str      # the first article's title, "" when the issue has none
    status: str
    updated_at: str


# --- settings ---------------------------------------------------------------------

def load_settings(conn: sqlite3.Connection) -> dict[str, str]:
    """The stored bulletin settings by field name; fields never saved are absent."""
    stored = {}
    for field, key in SETTING_KEYS.items():
        row = conn.execute("select value from app_setting where key = ?", (key,)).fetchone()
        if row is not None:
            stored[field] = row[0]
    return stored


def save_settings(conn: sqlite3.Connection, settings: BulletinSettings) -> None:
    """Store every bulletin setting in one transaction."""
    with transaction(conn):
        for field, key in SETTING_KEYS.items():
            settings_store.put(conn, key, getattr(settings, field))


# --- content <-> JSON ------------------------------------------------------------

def content_to_json(bulletin: Bulletin) -> str:
    """The issue's sections, articles and header lines as a JSON document."""
    doc: dict[str, Any] = {field: getattr(bulletin, field) for field in _HEADER_FIELDS}
    doc["leader_comment_box"] = bulletin.leader_comment_box
    doc["sections"] = [
        {"title": s.title, "articles": [
            {"title": a.title, "paragraphs": list(a.paragraphs),
             "source_unit": a.source_unit, "lead_phrases": list(a.lead_phrases)}
            for a in s.articles]}
        for s in bulletin.sections
    ]
    return json.dumps(doc, ensure_ascii=False)


def _content_fields(content_json: str) -> dict[str, Any]:
    doc = json.loads(content_json)
    fields: dict[str, Any] = {f: str(doc.get(f) or "") for f in _HEADER_FIELDS}
    fields["leader_comment_box"] = bool(doc.get("leader_comment_box", True))
    fields["sections"] = tuple(
        Section(str(s.get("title", "")), tuple(
            Article(title=str(a.get("title", "")),
                    paragraphs=tuple(str(p) for p in a.get("paragraphs", ())),
                    source_unit=str(a.get("source_unit", "")),
                    lead_phrases=tuple(str(p) for p in a.get("lead_phrases", ())))
            for a in s.get("articles", ())))
        for s in doc.get("sections", ())
    )
    return fields


def _first_title(content_json: str) -> str:
    doc = json.loads(content_json)
    for section in doc.get("sections", ()):
        for article in section.get("articles", ()):
            return str(article.get("title", ""))
    return ""


def _from_row(row: sqlite3.Row) -> Bulletin:
    return Bulletin(year=row["year"], number=row["number"],
                    issued_on=date.fromisoformat(row["issued_on"]), status=row["status"],
                    id=row["id"], **_content_fields(row["content_json"]))


# --- writes ----------------------------------------------------------------------

def insert_bulletin(conn: sqlite3.Connection, bulletin: Bulletin) -> str:
    """Store a new draft issue; returns its id."""
    record_id = new_id()
    stamp = now_utc()
    with transaction(conn):
        conn.execute(
            "insert into bulletin (id, year, number, issued_on, content_json, status,"
            " created_at, updated_at) values (?, ?, ?, ?, ?, 'draft', ?, ?)",
            (record_id, bulletin.year, bulletin.number, bulletin.issued_on.isoformat(),
             content_to_json(bulletin), stamp, stamp))
    return record_id


def update_draft(conn: sqlite3.Connection, bulletin: Bulletin) -> None:
    """Rewrite a live draft's number, date and content (the status stays 'draft')."""
    with transaction(conn):
        cursor = conn.execute(
            "update bulletin set year = ?, number = ?, issued_on = ?, content_json = ?,"
            " updated_at = ? where id = ? and deleted_at is null",
            (bulletin.year, bulletin.number, bulletin.issued_on.isoformat(),
             content_to_json(bulletin), now_utc(), bulletin.id))
        if cursor.rowcount != 1:
            raise UserError("该期不存在或已被删除，未保存")


def delete_draft(conn: sqlite3.Connection, bulletin_id: str) -> None:
    """Tombstone a draft; its number becomes free again."""
    stamp = now_utc()
    with transaction(conn):
        cursor = conn.execute(
            "update bulletin set deleted_at = ?, updated_at = ?"
            " where id = ? and deleted_at is null",
            (stamp, stamp, bulletin_id))
        if cursor.rowcount != 1:
            raise UserError("该期不存在或已被删除")


def mark_issued(conn: sqlite3.Connection, bulletin_id: str, pdf: bytes) -> None:
    """Issue a draft: status and PDF in one update, the last change the row accepts."""
    with transaction(conn):
        cursor = conn.execute(
            "update bulletin set status = 'issued', pdf = ?, updated_at = ?"
            " where id = ? and deleted_at is null",
            (sqlite3.Binary(pdf), now_utc(), bulletin_id))
        if cursor.rowcount != 1:
            raise UserError("该期不存在或已被删除")


# --- reads -----------------------------------------------------------------------

def get_bulletin(conn: sqlite3.Connection, bulletin_id: str) -> Bulletin:
    """A live issue by id (without its PDF), or UserError."""
    rows = query(conn, "select id, year, number, issued_on, content_json, status from bulletin"
                       " where id = ? and deleted_at is null", (bulletin_id,))
    if not rows:
        raise UserError("该期不存在或已被删除")
    return _from_row(rows[0])


def get_pdf(conn: sqlite3.Connection, bulletin_id: str) -> bytes | None:
    """The PDF kept when the issue was issued; None for a draft."""
    rows = query(conn, "select pdf from bulletin where id = ? and deleted_at is null",
                 (bulletin_id,))
    return bytes(rows[0]["pdf"]) if rows and rows[0]["pdf"] is not None else None


def list_bulletins(conn: sqlite3.Connection, year: int | None = None) -> list[BulletinSummary]:
    """Live issues, newest year and number first; all years unless `year` is given."""
    sql = ("select id, year, number, issued_on, content_json, status, updated_at from bulletin"
           " where deleted_at is null")
    params: tuple = ()
    if year is not None:
        sql += " and year = ?"
        params = (year,)
    rows = query(conn, sql + " order by year desc, number desc", params)
    return [BulletinSummary(id=r["id"], year=r["year"], number=r["number"],
                            issued_on=date.fromisoformat(r["issued_on"]),
                            title=_first_title(r["content_json"]), status=r["status"],
                            updated_at=r["updated_at"]) for r in rows]


def numbers_used(conn: sqlite3.Connection, year: int, *, exclude_id: str | None = None) -> set[int]:
    """The numbers live issues of `year` already carry (other than `exclude_id`'s)."""
    rows = query(conn, "select number from bulletin where year = ? and deleted_at is null"
                       " and id is not ?", (year, exclude_id))
    return {r["number"] for r in rows}


def status_of(conn: sqlite3.Connection, bulletin_id: str) -> str | None:
    """'draft' or 'issued' for a live issue, None when there is no such issue."""
    rows = query(conn, "select status from bulletin where id = ? and deleted_at is null",
                 (bulletin_id,))
    return rows[0]["status"] if rows else None
