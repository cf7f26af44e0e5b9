"""The fonts every PDF of the app embeds: the file configured in the bulletin
settings (所有 PDF 共用), else the system's CJK fonts (DESIGN.md, Outputs)."""

from __future__ import annotations

from desktop.db.bulletins import FONT_PATH_KEY
from desktop.db.connection import Database
from desktop.reports.fonts import FontSet, cjk_fonts
from desktop.services.workspace import get_setting


def configured_fonts(db: Database) -> FontSet:
    """The configured font file, else the system's fonts (cached per file)."""
    return cjk_fonts(get_setting(db, FONT_PATH_KEY) or None)
