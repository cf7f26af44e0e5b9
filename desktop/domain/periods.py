"""Calendar periods (month, quarter, year) and the date parsing importers and the CLI share."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop.domain.identifiers import to_halfwidth
from desktop.errors import UserError

_KINDS = {"month": (1, 12), "quarter": (1, 4), "year": (0, 0)}
_QUARTER_ZH = "一二三四"
_MIN_YEAR, _MAX_YEAR = 1900, 9999


def days_in_month(year: int, month: int) -> int:
    """Number of days in a calendar month (leap years included)."""
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=True)
class Period:
    """A whole calendar month, quarter or year; `index` is the month, the quarter, or 0."""

    kind: str
    year: int
    index: int

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        low, high = _KINDS[self.kind]
        if not low <= self.index <= high or not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"invalid {self.kind} period {self.year}/{self.index}")

    @property
    def _first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.kind]

    @property
    def _month_count(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        last = self._first_month + self._month_count - 1
        return date(self.year, last, days_in_month(self.year, last))

    @property
    def label(self) -> str:
        """Machine label used in file names and the CLI: '2026-03', '2026-Q2', '2026'."""
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def label_zh(self) -> str:
        """Label for screens and printouts: '2026年3月', '2026年第二季度', '2026年度'."""
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{_QUARTER_ZH[self.index - 1]}季度"
        return f"{self.year}年度"

    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs the period covers, in calendar order."""
        first = self._first_month
        return [(self.year, m) for m in range(first, first + self._month_count)]

    def contains(self, d: date) -> bool:
        """Whether the day `d` falls inside the period."""
        if isinstance(d, datetime):
            d = d.date()
        return self.start <= d <= self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one (March -> February, Q1 -> last Q4)."""
        if self.kind == "year":
            return Period("year", self.year - 1, 0)
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, _KINDS[self.kind][1])

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        if self.kind == "year":
            return Period("year", self.year + 1, 0)
        if self.index < _KINDS[self.kind][1]:
            return Period(self.kind, self.year, self.index + 1)
        return Period(self.kind, self.year + 1, 1)

    def __str__(self) -> str:
        return self.label


def month_of(d: date) -> Period:
    """The month containing `d`."""
    return Period("month", d.year, d.month)


def quarter_of(d: date) -> Period:
    """The quarter containing `d`."""
    return Period("quarter", d.year, (d.month - 1) // 3 + 1)


def year_of(d: date) -> Period:
    """The calendar year containing `d`."""
    return Period("year", d.year, 0)


_PERIOD_FORMS = (
    ("month", re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)),
    ("month", re.compile(r"(\d{4})年(\d{1,2})月", re.ASCII)),
    ("quarter", re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE | re.ASCII)),
    ("quarter", re.compile(r"(\d{4})年第([一二三四1-4])季度", re.ASCII)),
    ("year", re.compile(r"(\d{4})(?:年度|年)?", re.ASCII)),
)


def parse_period(text: str) -> Period:
    """A period from '2026-03', '2026-3', '2026-Q2', '2026q2', '2026' or its Chinese label."""
    value = "".join(to_halfwidth(str(text)).split())
    for kind, pattern in _PERIOD_FORMS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        index = match.group(2) if kind != "year" else "0"
        number = _QUARTER_ZH.index(index) + 1 if index in _QUARTER_ZH else int(index)
        try:
            return Period(kind, int(match.group(1)), number)
        except ValueError:
            break
    raise UserError(f"期间格式不正确：{str(text).strip()}，应为 2026-03、2026-Q2 或 2026")


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 and up count from here
_EXCEL_MAX_SERIAL = (date(9999, 12, 31) - _EXCEL_EPOCH).days
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", re.ASCII)
_SPACED_SEPARATOR = re.compile(r"\s*([-/.年月日])\s*")
# A time after the date, as str(datetime) and some exports add; cut before spaces go.
_TIME_TAIL = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", re.ASCII)


def _bad_date(value: object, why: str = "") -> UserError:
    return UserError(f"日期格式不正确：{str(value).strip() or '（空）'}{why}")


def _from_excel_serial(serial: int, original: object) -> date:
    """Excel 1900 date system: 1 = 1900-01-01; 60 is Lotus's fake 1900-02-29."""
    if serial == 60:
        raise _bad_date(original, "（Excel 中的1900-02-29并不存在）")
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise _bad_date(original)
    # Serials below 60 are one day off from the epoch used after the fake leap day.
    return _EXCEL_EPOCH + timedelta(days=serial + (1 if serial < 60 else 0))


def _from_text(text: str) -> date:
    """A date from text such as '2026-03-10', '2026/3/10', '2026年3月10日', '20260310', '46091'."""
    value = _TIME_TAIL.sub("", to_halfwidth(text).strip())
    # Spaces around separators go; a space between two digits stays and is refused.
    value = _SPACED_SEPARATOR.sub(r"\1", value)
    if value.isascii() and value.isdigit():
        if len(value) == 8:
            parts = (value[:4], value[4:6], value[6:])
        elif len(value) <= 7:
            return _from_excel_serial(int(value), text)
        else:
            raise _bad_date(text)
    else:
        match = _DATE_TEXT.fullmatch(value)
        if not match:
            raise _bad_date(text)
        parts = match.groups()
    try:
        result = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise _bad_date(text, "（该日期不存在）") from None
    if result.year < _MIN_YEAR:
        raise _bad_date(text)
    return result


def parse_date(value: object) -> date:
    """A date from a cell or an argument: date/datetime objects, text forms, Excel serials.

    Raises UserError ('日期格式不正确：…') for anything else and for impossible dates.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _bad_date(value)
    if isinstance(value, int):
        return _from_excel_serial(value, value)
    # Spreadsheet readers hand numbers back as floats; only whole days are dates.
    if isinstance(value, float) and value.is_integer():
        return _from_excel_serial(int(value), value)
    if isinstance(value, str):
        return _from_text(value)
    raise _bad_date(value)
