"""Money rules of POLICY.md §1: integer fen, Decimal parsing, half-up rounding."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from desktop.domain.identifiers import to_halfwidth
from desktop.errors import UserError


def div_round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up to an integer, exactly (no floats).

    For non-negative results this is the POLICY.md rounding; negative values round
    half away from zero, as finance expects for adjustments.
    """
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


# ---------------------------------------------------------------- parsing and formatting

# Largest amount accepted anywhere: 9,999,999,999,999.99 yuan. Far above any real
# subsidy, yet small enough for a signed 64-bit column and for amount_in_words.
MAX_FEN = 10**15 - 1
_FEN = Decimal("0.01")
_MAX_YUAN = Decimal(MAX_FEN).scaleb(-2)
_NUMBER = re.compile(r"([+-]?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")


def _clean_amount_text(text: str) -> str:
    """Cell or field text without spaces, full-width forms, a leading ¥ or a trailing 元."""
    value = "".join(to_halfwidth(text).split())
    if value[:1] in ("¥", "￥"):
        value = value[1:]
    if value.endswith("元"):
        value = value[:-1]
    return value


def _decimal_from_text(text: str) -> Decimal:
    """The exact yuan value of `text`; thousands separators must be well placed."""
    cleaned = _clean_amount_text(text)
    # Plain digits and group-of-three commas only: "12,34" may mean 12.34 in some
    # locales, so it is refused rather than read as 1234 yuan.
    if not _NUMBER.fullmatch(cleaned):
        raise UserError(f"金额格式不正确：{text.strip() or '（空）'}")
    return Decimal(cleaned.replace(",", ""))


def parse_yuan(text: str | int | Decimal, *, allow_negative: bool = False) -> int:
    """Yuan as typed or imported ("1,234.5", "１２３", "12元") to integer fen, exactly.

    Raises UserError for non-numbers, more than two decimals, negatives (unless
    allowed) and absurdly large amounts; TypeError for floats, which never hold money.
    """
    if isinstance(text, (bool, float)) or not isinstance(text, (str, int, Decimal)):
        raise TypeError(f"amounts must be str, int or Decimal, not {type(text).__name__}")
    if isinstance(text, str):
        value = _decimal_from_text(text)
    else:
        value = Decimal(text)
        if not value.is_finite():
            raise UserError(f"金额格式不正确：{text}")
    # Compare before any arithmetic: Decimal rounds results beyond 28 digits.
    if abs(value) > _MAX_YUAN:
        raise UserError("金额过大")
    if value != value.quantize(_FEN, rounding=ROUND_HALF_UP):
        raise UserError("金额最多保留两位小数")
    if value < 0 and not allow_negative:
        raise UserError("金额不能为负数")
    return int(value * 100)


def fen_to_decimal_yuan(fen: int) -> Decimal:
    """Exact yuan as a two-place Decimal (for spreadsheet cells): 123456 -> Decimal('1234.56')."""
    return Decimal(int(fen)).scaleb(-2)


def format_fen(fen: int) -> str:
    """Fen shown as yuan with thousands separators: 1234560 -> '12,345.60', -105 -> '-1.05'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


# ---------------------------------------------------------------- amounts in words

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")


def _words_below_10000(n: int) -> str:
    """1..9999 in finance numerals; one 零 for any run of inner zeros, none trailing."""
    out: list[str] = []
    zero_pending = False
    for digit, place in zip(f"{n:04d}", _PLACES):
        if digit == "0":
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[int(digit)] + place)
    return "".join(out)


def _integer_words(n: int) -> str:
    """1 and up in finance numerals with 万 and 亿 groups.

    A lower group that does not fill its top place (e.g. 壹万零壹拾, 壹亿零壹) gets
    one 零, as the People's Bank convention writes it.
    """
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if n >= size:
            high, low = divmod(n, size)
            words = _integer_words(high) + unit
            if low:
                words += ("零" if low < size // 10 else "") + _integer_words(low)
            return words
    return _words_below_10000(n)


def amount_in_words(fen: int) -> str:
    """Chinese finance capitals for payment sheets: 140950 -> '人民币壹仟肆佰零玖元伍角整'.

    整 ends every amount that ends in 元 or 角 and never one that ends in 分
    (会计基础工作规范 §52, POLICY.md §1); a missing 角 before 分 is written 零.
    """
    if abs(fen) > MAX_FEN:
        raise ValueError(f"amount too large for words: {fen}")
    sign = "负" if fen < 0 else ""
    yuan, rest = divmod(abs(int(fen)), 100)
    jiao, cents = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "人民币零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif cents and yuan:
        words += "零"
    words += _DIGITS[cents] + "分" if cents else "整"
    return f"人民币{sign}{words}"
