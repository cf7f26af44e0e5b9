"""内部资料 注意保密 prints once on every page of a workbook: in the page header, never
also in a cell (a cell in the repeated title rows would print it twice on each page)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.services.exports import export_registry
from desktop.sheets.quarterly_xlsx import write_quarterly_workbook
from desktop.domain.subsidy_sheet import CONFIDENTIAL
from desktop.sheets.subsidy_sheet import write_subsidy_sheet
from desktop.sheets.template import write_template
from tests.reports.test_quarterly_pdf import make_report
from tests.sheets.test_subsidy_sheet import LINES, sheet

PARTS = ("left", "center", "right")


def _in_headers(ws) -> int:
    """How many header/footer parts of the printed pages carry the mark."""
    found = 0
    for name in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
                 "firstFooter"):
        hf = getattr(ws, name)
        found += sum(CONFIDENTIAL in (getattr(hf, part).text or "") for part in PARTS)
    return found


def _in_cells(ws) -> list[str]:
    return [cell.coordinate for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str) and CONFIDENTIAL in cell.value]


@pytest.mark.parametrize("status", ["draft", "locked"])
def test_subsidy_sheet_has_the_mark_once_in_the_page_header(tmp_path, status):
    extra = {"locked_at": "2026-07-02 09:30", "audit_hash": "ab" * 8} if status == "locked" else {}
    path = write_subsidy_sheet(tmp_path / "s.xlsx", sheet(LINES, status=status, **extra))
    ws = load_workbook(path).active
    assert _in_cells(ws) == []
    assert _in_headers(ws) == 1
    assert ws.oddHeader.left.text == CONFIDENTIAL


def _other_workbooks(tmp_path, db):
    yield write_quarterly_workbook(make_report(), tmp_path / "q.xlsx")
    yield write_template(tmp_path / "t.xlsx")
    for kind in ("organizations", "officers"):
        for mask in (True, False):
            out = tmp_path / f"{kind}-{mask}.xlsx"
            export_registry(db, kind, out, mask=mask)
            yield out


def test_no_other_workbook_prints_the_mark_twice(tmp_path, db):
    for path in _other_workbooks(tmp_path, db):
        for ws in load_workbook(path).worksheets:
            assert _in_headers(ws) + len(_in_cells(ws)) <= 1, (path.name, ws.title)
