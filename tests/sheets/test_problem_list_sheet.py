"""The 问题、责任、时限清单 workbook's layout (desktop/sheets/problem_list.py)."""

from __future__ import annotations

from desktop.sheets.problem_list import HEADERS, WIDTHS, _text_lines


def test_no_header_leaves_one_character_alone_on_a_line():
    """Short headers print on one line (LibreOffice render, issue 17: 逾期天/数)."""
    for header, width in zip(HEADERS, WIDTHS):
        if len(header) <= 4:
            assert _text_lines(header, width) == 1, header
