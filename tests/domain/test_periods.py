"""Periods (month, quarter, year) and date parsing of desktop.domain.periods."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from desktop.domain.periods import (
    Period,
    days_in_month,
    month_of,
    parse_date,
    parse_period,
    quarter_of,
    year_of,
)
from desktop.errors import UserError

# ---------------------------------------------------------------- Period


def test_month_period():
    p = Period("month", 2026, 3)
    assert (p.start, p.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (p.label, p.label_zh, str(p)) == ("2026-03", "2026年3月", "2026-03")
    assert p.months() == [(2026, 3)]
    assert p.previous() == Period("month", 2026, 2)
    assert Period("month", 2026, 1).previous() == Period("month", 2025, 12)


def test_quarter_period():
    p = Period("quarter", 2026, 2)
    assert (p.start, p.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (p.label, p.label_zh) == ("2026-Q2", "2026年第二季度")
    assert p.months() == [(2026, 4), (2026, 5), (2026, 6)]
    assert p.contains(date(2026, 4, 1)) and p.contains(date(2026, 6, 30))
    assert not p.contains(date(2026, 3, 31)) and not p.contains(date(2026, 7, 1))
    assert p.contains(datetime(2026, 5, 20, 23, 59))
    assert Period("quarter", 2026, 1).previous() == Period("quarter", 2025, 4)
    assert Period("quarter", 2025, 4).next() == Period("quarter", 2026, 1)


def test_year_period():
    p = Period("year", 2024, 0)
    assert (p.start, p.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (p.label, p.label_zh) == ("2024", "2024年度")
    assert p.months() == [(2024, m) for m in range(1, 13)]
    assert p.previous() == Period("year", 2023, 0)


@pytest.mark.parametrize(
    "args",
    [
        ("week", 2026, 1),
        ("month", 2026, 0),
        ("month", 2026, 13),
        ("quarter", 2026, 5),
        ("year", 2026, 1),
    ],
)
def test_invalid_periods_are_refused(args):
    with pytest.raises(ValueError):
        Period(*args)


def test_period_is_frozen_and_hashable():
    p = Period("month", 2026, 3)
    with pytest.raises(AttributeError):
        p.year = 2025  # type: ignore[misc]
    assert len({p, Period("month", 2026, 3)}) == 1


def test_of_functions():
    d = date(2026, 3, 10)
    assert month_of(d) == Period("month", 2026, 3)
    assert quarter_of(d) == Period("quarter", 2026, 1)
    assert quarter_of(date(2026, 12, 31)) == Period("quarter", 2026, 4)
    assert year_of(d) == Period("year", 2026, 0)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2026, 2, 28), (2024, 2, 29), (1900, 2, 28), (2000, 2, 29), (2026, 4, 30)],
)
def test_days_in_month(year, month, days):
    assert days_in_month(year, month) == days


dates = st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31))


@settings(max_examples=200)
@given(dates, st.sampled_from([month_of, quarter_of, year_of]))
def test_periods_tile_the_calendar(d, of):
    p = of(d)
    assert p.contains(d)
    assert p.previous().end + timedelta(days=1) == p.start
    assert p.next().start == p.end + timedelta(days=1)
    assert p.previous().next() == p
    assert (d.year, d.month) in p.months()
    assert sum(days_in_month(y, m) for y, m in p.months()) == (p.end - p.start).days + 1
    assert parse_period(p.label) == p
    assert parse_period(p.label_zh) == p


# ---------------------------------------------------------------- parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", Period("month", 2026, 3)),
        ("2026-3", Period("month", 2026, 3)),
        ("2026-Q2", Period("quarter", 2026, 2)),
        ("2026q2", Period("quarter", 2026, 2)),
        ("2026", Period("year", 2026, 0)),
        (" ２０２６－Ｑ２ ", Period("quarter", 2026, 2)),
        ("2026年3月", Period("month", 2026, 3)),
        ("2026年第二季度", Period("quarter", 2026, 2)),
        ("2026年度", Period("year", 2026, 0)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "26", "2026-13", "2026-00", "2026-Q5", "2026/03", "Q2", "1899", "abc"]
)
def test_parse_period_refuses(text):
    with pytest.raises(UserError) as err:
        parse_period(text)
    assert str(err.value) == f"期间格式不正确：{text.strip()}，应为 2026-03、2026-Q2 或 2026"


# ---------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 3, 10),
        datetime(2026, 3, 10, 8, 30),
        "2026-03-10",
        "2026/3/10",
        "2026年3月10日",
        "2026.3.10",
        " 2026-03-10 ",
        "２０２６－０３－１０",
        "２０２６年３月１０日",
        "2026 年 3 月 10 日",
        "20260310",
        "2026-03-10 00:00:00",
        "2026-03-10T08:30:00",
        46091,
        "46091",
        46091.0,
    ],
)
def test_parse_date_accepts(value):
    assert parse_date(value) == date(2026, 3, 10)


def test_parse_date_returns_plain_date_for_datetime():
    assert type(parse_date(datetime(2026, 3, 10, 8, 30))) is date


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serial_edges(serial, expected):
    assert parse_date(serial) == expected


@settings(max_examples=200)
@given(st.integers(1, 2958465).filter(lambda s: s != 60))
def test_excel_serials_agree_with_openpyxl(serial):
    assert parse_date(serial) == from_excel(serial).date()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "日期格式不正确：2026-02-30（该日期不存在）"),
        ("2026年13月1日", "日期格式不正确：2026年13月1日（该日期不存在）"),
        (60, "日期格式不正确：60（Excel 中的1900-02-29并不存在）"),
        (0, "日期格式不正确：0"),
        (-5, "日期格式不正确：-5"),
        (2958466, "日期格式不正确：2958466"),
        ("", "日期格式不正确：（空）"),
        ("abc", "日期格式不正确：abc"),
        ("2026-03", "日期格式不正确：2026-03"),
        ("2026-3-1 1", "日期格式不正确：2026-3-1 1"),
        ("202603101", "日期格式不正确：202603101"),
        ("18991231", "日期格式不正确：18991231"),
        (46091.5, "日期格式不正确：46091.5"),
        (True, "日期格式不正确：True"),
        (None, "日期格式不正确：None"),
    ],
)
def test_parse_date_refuses(value, message):
    with pytest.raises(UserError) as err:
        parse_date(value)
    assert str(err.value) == message


@settings(max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_date_round_trips_text_forms(d):
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"):
        assert parse_date(text) == d
