"""Money parsing, formatting and amounts in words (POLICY.md §1, DESIGN.md examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.money import (
    MAX_FEN,
    amount_in_words,
    div_round_half_up,
    fen_to_decimal_yuan,
    format_fen,
    parse_yuan,
)
from desktop.errors import UserError

# ---------------------------------------------------------------- div_round_half_up (kept)


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (200000 * 22, 31, 141935),
        (200000 * 20, 31, 129032),
        (5, 2, 3),
        (4, 2, 2),
        (-5, 2, -3),
        (5, -2, -3),
    ],
)
def test_div_round_half_up(num, den, expected):
    assert div_round_half_up(num, den) == expected


def test_div_round_half_up_by_zero():
    with pytest.raises(ZeroDivisionError):
        div_round_half_up(1, 0)


# ---------------------------------------------------------------- parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1,234.5", 123450),
        ("１２３", 12300),
        (" 12 ", 1200),
        ("12元", 1200),
        ("￥12.30", 1230),
        ("0.05", 5),
        ("1,234,567.89", 123456789),
        ("１，２３４．５６", 123456),
        ("12.500", 1250),
        ("+3", 300),
        (0, 0),
        (12, 1200),
        (Decimal("3.21"), 321),
        (Decimal("1E+2"), 10000),
    ],
)
def test_parse_yuan_accepts(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.345", "金额最多保留两位小数"),
        (Decimal("0.001"), "金额最多保留两位小数"),
        ("-1", "金额不能为负数"),
        (-1, "金额不能为负数"),
        ("abc", "金额格式不正确：abc"),
        ("", "金额格式不正确：（空）"),
        ("1e3", "金额格式不正确：1e3"),
        ("NaN", "金额格式不正确：NaN"),
        ("inf", "金额格式不正确：inf"),
        (Decimal("NaN"), "金额格式不正确：NaN"),
        (Decimal("Infinity"), "金额格式不正确：Infinity"),
        ("12,34", "金额格式不正确：12,34"),
        ("1,2345", "金额格式不正确：1,2345"),
        (".5", "金额格式不正确：.5"),
        ("1 000 000 000 000 000", "金额过大"),
        ("9" * 40, "金额过大"),
    ],
)
def test_parse_yuan_refuses(text, message):
    with pytest.raises(UserError) as err:
        parse_yuan(text)
    assert str(err.value) == message


def test_parse_yuan_negative_when_allowed():
    assert parse_yuan("-1.05", allow_negative=True) == -105
    assert parse_yuan("-0", allow_negative=False) == 0


@pytest.mark.parametrize("bad", [1.5, 12.0, True, None, [1]])
def test_parse_yuan_refuses_floats_and_other_types(bad):
    with pytest.raises(TypeError):
        parse_yuan(bad)


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (1234560, "12,345.60"),
        (-105, "-1.05"),
        (0, "0.00"),
        (5, "0.05"),
        (-5, "-0.05"),
        (100, "1.00"),
    ],
)
def test_format_fen(fen, text):
    assert format_fen(fen) == text


def test_fen_to_decimal_yuan_is_exact():
    assert fen_to_decimal_yuan(123456) == Decimal("1234.56")
    assert str(fen_to_decimal_yuan(0)) == "0.00"
    assert str(fen_to_decimal_yuan(-5)) == "-0.05"
    assert str(fen_to_decimal_yuan(MAX_FEN)) == "9999999999999.99"


# Realistic amounts often, the whole accepted range too.
money = st.one_of(
    st.integers(-(10**8), 10**8), st.integers(min_value=-MAX_FEN, max_value=MAX_FEN)
)


@settings(max_examples=200)
@given(money)
def test_parse_of_format_round_trips(fen):
    assert parse_yuan(format_fen(fen), allow_negative=True) == fen
    assert parse_yuan(fen_to_decimal_yuan(fen), allow_negative=True) == fen


# ---------------------------------------------------------------- amounts in words


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (140950, "人民币壹仟肆佰零玖元伍角整"),
        (1640902, "人民币壹万陆仟肆佰零玖元零贰分"),
        (32504, "人民币叁佰贰拾伍元零肆分"),
        (1200000, "人民币壹万贰仟元整"),
        (200550, "人民币贰仟零伍元伍角整"),
        (0, "人民币零元整"),
        (10000000100, "人民币壹亿零壹元整"),
        (1001000, "人民币壹万零壹拾元整"),
        (5, "人民币伍分"),
        (50, "人民币伍角整"),
        (55, "人民币伍角伍分"),
        (200553, "人民币贰仟零伍元伍角叁分"),
        (-50, "人民币负伍角整"),
        (1000010, "人民币壹万元壹角整"),
        (105, "人民币壹元零伍分"),
        (-105, "人民币负壹元零伍分"),
        (1000, "人民币壹拾元整"),
        (100100, "人民币壹仟零壹元整"),
        (141935, "人民币壹仟肆佰壹拾玖元叁角伍分"),
        (100010000000, "人民币壹拾亿零壹拾万元整"),
        (1000000000000, "人民币壹佰亿元整"),
        (100000000000000, "人民币壹万亿元整"),
        (123456789012345, "人民币壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分"),
    ],
)
def test_amount_in_words(fen, words):
    assert amount_in_words(fen) == words


def test_amount_in_words_too_large():
    with pytest.raises(ValueError):
        amount_in_words(MAX_FEN + 1)


@settings(max_examples=200)
@given(money)
def test_amount_in_words_shape(fen):
    words = amount_in_words(fen)
    assert words.startswith("人民币")
    assert words[-1] in "整角分"
    assert "零零" not in words
    assert not words.endswith("零整")
    assert words.startswith("人民币负") == (fen < 0)
    # 会计基础工作规范 §52: 整 after 元 or 角, never after 分.
    assert ("整" in words) == (fen % 10 == 0)
    assert words.endswith("分") == (fen % 10 != 0)


def _words_to_int(words: str) -> int:
    """Independent reader of finance numerals, to check amount_in_words end to end."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if unit in words:
            high, low = words.rsplit(unit, 1)
            return _words_to_int(high) * size + _words_to_int(low)
    total, digit = 0, 0
    for ch in words:
        if ch in "拾佰仟":
            total += digit * {"拾": 10, "佰": 100, "仟": 1000}[ch]
            digit = 0
        else:
            digit = "零壹贰叁肆伍陆柒捌玖".index(ch)
    return total + digit


def _read_amount(words: str) -> int:
    body = words.removeprefix("人民币")
    sign = -1 if body.startswith("负") else 1
    body = body.removeprefix("负").removesuffix("整")
    yuan, _, rest = body.rpartition("元")
    jiao = cents = 0
    if "角" in rest:
        jiao_text, rest = rest.split("角")
        jiao = "零壹贰叁肆伍陆柒捌玖".index(jiao_text)
    if rest.endswith("分"):
        cents = "零壹贰叁肆伍陆柒捌玖".index(rest.removeprefix("零")[:-1])
    return sign * (_words_to_int(yuan) * 100 + jiao * 10 + cents)


@settings(max_examples=300)
@given(money)
def test_amount_in_words_reads_back_to_the_same_amount(fen):
    assert _read_amount(amount_in_words(fen)) == fen
