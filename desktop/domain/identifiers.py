"""Identifiers a clerk types or imports: 公民身份号码, 统一社会信用代码, phones, bank accounts.

Each kind has a `normalize_*` function (what we store) and a `check_*` function that
returns None when the value is valid, else a Chinese reason the clerk can act on.
The check functions normalize first, so callers may pass raw cell text.
"""

from __future__ import annotations

import re
from datetime import date

# Full-width ASCII (U+FF01..U+FF5E) maps onto U+0021..U+007E by a fixed offset.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20  # ideographic space
# Invisible characters that Excel and web pages leave inside copied numbers.
_INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII (Chinese IMEs type them)."""
    return text.translate(_HALFWIDTH)


def _compact(text: str) -> str:
    """Half-width text with every space (ASCII, full-width, NBSP) and invisible char removed."""
    return "".join(to_halfwidth(text).translate(_INVISIBLE).split())


# ---------------------------------------------------------------- 公民身份号码

# ISO 7064 MOD 11-2 weights 2^(17-i) mod 11, as printed in GB 11643-1999.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83 91".split()
)
# Residence permits of Hong Kong, Macau and Taiwan residents (港澳台居民居住证, issued
# since 2018) carry a whole-region address code: a valid GB 11643 number whose
# region digits are all zero, unlike any mainland ID card.
_RESIDENCE_PERMIT_REGIONS = frozenset(("810000", "820000", "830000"))
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character ('0'-'9' or 'X') for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {first17!r}")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def normalize_id_number(text: str) -> str:
    """The stored form of an ID number: no spaces, ASCII digits, upper-case X."""
    return _compact(text).replace("x", "X")


def _id_birth_problem(birth: str, today: date) -> str | None:
    """Why the 8-digit birth date inside an ID number is impossible, or None."""
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        born = None
    if born is None or not _EARLIEST_BIRTH <= born <= today:
        return f"公民身份号码中的出生日期无效（{birth}）"
    return None


def check_id_number(text: str, today: date | None = None) -> str | None:
    """None when `text` is a valid 18-digit 公民身份号码, else the reason in Chinese.

    Checks length, characters, the province and region code (the Hong Kong, Macau
    and Taiwan residence-permit codes 810000/820000/830000 included), the birth date
    (a real date from 1900-01-01 to `today`) and the check character.
    """
    value = normalize_id_number(text)
    if len(value) != 18:
        return "公民身份号码应为18位"
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        return "公民身份号码含有非法字符"
    if value[:2] not in _PROVINCES or (
            value[2:6] == "0000" and value[:6] not in _RESIDENCE_PERMIT_REGIONS):
        return f"公民身份号码中的地区码无效（{value[:6]}）"
    problem = _id_birth_problem(value[6:14], today or date.today())
    if problem:
        return problem
    expected = id_check_char(value[:17])
    if value[17] != expected:
        return f"公民身份号码校验位错误，应为{expected}"
    return None


# ---------------------------------------------------------------- 统一社会信用代码

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_BANNED = frozenset("IOZSV")


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character (MOD 31) for the first 17 characters."""
    if len(first17) != 17 or any(ch not in _USCC_VALUE for ch in first17):
        raise ValueError(f"need 17 characters of the USCC alphabet, got {first17!r}")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(text: str) -> str:
    """The stored form of a 统一社会信用代码: no spaces, ASCII, upper case."""
    return _compact(text).upper()


def check_uscc(text: str) -> str | None:
    """None when `text` is a valid 统一社会信用代码, else the reason in Chinese.

    Any alphabet character is accepted as the registration authority (first
    character): codes starting with N or Y are real and valid.
    """
    value = normalize_uscc(text)
    if len(value) != 18:
        return "统一社会信用代码应为18位"
    if any(ch in _USCC_BANNED for ch in value):
        return "统一社会信用代码含有不允许的字符I/O/Z/S/V"
    if any(ch not in _USCC_VALUE for ch in value):
        return "统一社会信用代码含有非法字符"
    if not value[2:8].isdigit():
        return "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        return f"统一社会信用代码校验位错误，应为{expected}"
    return None


# ---------------------------------------------------------------- phones

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def _strip_excel_float(value: str) -> str:
    """'13800138000.0' -> '13800138000': a number cell read back as a float."""
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value


def normalize_phone(text: str) -> str:
    """The stored form of a phone number: no spaces, ASCII, no Excel '.0' tail."""
    return _strip_excel_float(_compact(text))


def check_phone(text: str) -> str | None:
    """None for a mainland mobile (1[3-9] + 9 digits) or a landline with area code."""
    value = normalize_phone(text)
    if value.isascii() and (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        return None
    return "联系电话格式不正确，应为11位手机号码或带区号的固定电话（如0556-1234567）"


# ---------------------------------------------------------------- bank accounts


def normalize_bank_account(text: str) -> str:
    """The stored form of a bank account number: digits without spaces."""
    return _compact(text)


def check_bank_account(text: str) -> str | None:
    """None when `text` is 12 to 19 digits once spaces are removed, else the reason."""
    value = normalize_bank_account(text)
    if not (value.isascii() and value.isdigit()):
        return "银行卡号只能包含数字"
    if not 12 <= len(value) <= 19:
        return f"银行卡号应为12至19位数字（现为{len(value)}位）"
    return None


# ---------------------------------------------------------------- masking for screens and prints


def _mask(value: str, head: int, tail: int) -> str:
    """Keep `head` leading and `tail` trailing characters, star the rest (same length)."""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


def mask_id_number(value: str) -> str:
    """'110101********1234': an ID number safe to show on a list or a printout."""
    return _mask(normalize_id_number(value), 6, 4)


def mask_phone(value: str) -> str:
    """'138****1234': a phone number safe to show on a list or a printout."""
    return _mask(normalize_phone(value), 3, 4)


def mask_bank_account(value: str) -> str:
    """'************1234': only the last four digits of a bank account stay visible."""
    return _mask(normalize_bank_account(value), 0, 4)
