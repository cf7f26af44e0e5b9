"""Small builders for valid records, shared by tests."""

from __future__ import annotations

from datetime import date

from desktop.domain.identifiers import id_check_char, uscc_check_char


def id_number(serial: int, birth: date = date(1985, 6, 15), region: str = "340801") -> str:
    """A valid resident ID number; `serial` (0-999) makes it unique."""
    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + id_check_char(body)


def uscc(serial: int, prefix: str = "91", region: str = "340800") -> str:
    """A valid unified social credit code; `serial` makes it unique."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    tail = ""
    n = serial
    for _ in range(9):
        tail = alphabet[n % 31] + tail
        n //= 31
    body = f"{prefix}{region}{tail}"
    return body + uscc_check_char(body)
