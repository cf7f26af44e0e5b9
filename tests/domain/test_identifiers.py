"""Validators and masks of desktop.domain.identifiers (GB 11643-1999, GB 32100-2015)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import identifiers as ids
from desktop.domain.identifiers import (
    USCC_ALPHABET,
    check_bank_account,
    check_id_number,
    check_phone,
    check_uscc,
    id_check_char,
    mask_bank_account,
    mask_id_number,
    mask_phone,
    normalize_bank_account,
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
    uscc_check_char,
)

TODAY = date(2026, 11, 22)
PROVINCES = sorted(ids._PROVINCES)

# ---------------------------------------------------------------- ID numbers


def test_standard_example_from_gb11643_is_valid():
    assert id_check_char("11010519491231002") == "X"
    assert check_id_number("11010519491231002X", today=TODAY) is None


def test_normalization_of_spaces_fullwidth_and_lowercase_x():
    raw = " １１０１０５ 1949\u30001231 002x\u00a0"
    assert normalize_id_number(raw) == "11010519491231002X"
    assert check_id_number(raw, today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "公民身份号码应为18位"),
        ("11010519491231002", "公民身份号码应为18位"),
        ("110105194912310021", "公民身份号码校验位错误，应为X"),
        ("11010519491231002Y", "公民身份号码含有非法字符"),
        ("1101051949123100X2", "公民身份号码含有非法字符"),
        ("11010119990230123X", "公民身份号码中的出生日期无效（19990230）"),
        ("110101189912311234", "公民身份号码中的出生日期无效（18991231）"),
        ("990101199001011234", "公民身份号码中的地区码无效（990101）"),
        ("110000199001011234", "公民身份号码中的地区码无效（110000）"),
    ],
)
def test_invalid_id_numbers_say_why(value, reason):
    assert check_id_number(value, today=TODAY) == reason


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_hong_kong_macau_taiwan_residence_permits_are_valid(region):
    """港澳台居民居住证 numbers are GB 11643 numbers with a whole-region address code."""
    first17 = f"{region}19900101123"
    assert check_id_number(first17 + id_check_char(first17), today=TODAY) is None


def test_other_whole_province_codes_stay_invalid():
    first17 = "71000019900101123"  # Taiwan as a mainland province code, not a permit
    assert check_id_number(first17 + id_check_char(first17),
                           today=TODAY) == "公民身份号码中的地区码无效（710000）"


def test_birth_date_after_today_is_refused():
    first17 = "11010520261123123"
    value = first17 + id_check_char(first17)
    assert check_id_number(value, today=TODAY) == "公民身份号码中的出生日期无效（20261123）"
    assert check_id_number(value, today=date(2026, 11, 23)) is None


def test_id_check_char_refuses_bad_input():
    with pytest.raises(ValueError):
        id_check_char("1234")
    with pytest.raises(ValueError):
        id_check_char("1101051949123100X")


def _birth_dates():
    return st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def valid_id_numbers(draw):
    """A random valid ID number: real province, non-zero region, real birth date."""
    province = draw(st.sampled_from(PROVINCES))
    region = draw(st.integers(1, 9999))
    born = draw(_birth_dates())
    seq = draw(st.integers(0, 999))
    first17 = f"{province}{region:04d}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@settings(max_examples=200)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_17_digits_with_check_char_valid_iff_region_and_birth_valid(first17):
    try:
        born = date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        born = None
    expected_ok = (
        first17[:2] in ids._PROVINCES
        and (first17[2:6] != "0000" or first17[:6] in ("810000", "820000", "830000"))
        and born is not None
        and date(1900, 1, 1) <= born <= TODAY
    )
    result = check_id_number(first17 + id_check_char(first17), today=TODAY)
    assert (result is None) == expected_ok


@settings(max_examples=200)
@given(valid_id_numbers())
def test_generated_valid_ids_are_accepted(value):
    assert check_id_number(value, today=TODAY) is None
    assert check_id_number(value.lower(), today=TODAY) is None


@settings(max_examples=200)
@given(valid_id_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_in_an_id_is_detected(value, pos, ch):
    if value[pos] == ch:
        ch = "5" if ch != "5" else "6"
    changed = value[:pos] + ch + value[pos + 1:]
    assert check_id_number(changed, today=TODAY) is not None


def test_mod11_2_algebra_detects_every_single_digit_substitution():
    # Why the property above must hold: every weight is a unit mod 11 and digit
    # differences are 1..9, so a changed digit always changes the sum mod 11.
    for w in ids._ID_WEIGHTS:
        assert all((w * delta) % 11 != 0 for delta in range(1, 10))
    assert len(set(ids._ID_CHECK)) == 11


# ---------------------------------------------------------------- USCC


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]
)
def test_published_usccs_are_valid(code):
    assert check_uscc(code) is None


@pytest.mark.parametrize("first17", ["N2110106MF1234567", "Y1340100MJ0000001", "54340100MJ0000001"])
def test_usccs_starting_with_letters_are_valid(first17):
    code = first17 + uscc_check_char(first17)
    assert check_uscc(code) is None


def test_lowercase_and_spaced_uscc_is_normalized():
    assert normalize_uscc(" 91350100m000100y43\u3000") == "91350100M000100Y43"
    assert check_uscc("９１３５０１００ｍ０００１００ｙ４３") is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "统一社会信用代码应为18位"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误，应为3"),
        ("91350100O000100Y43", "统一社会信用代码含有不允许的字符I/O/Z/S/V"),
        ("91350100I000100Y43", "统一社会信用代码含有不允许的字符I/O/Z/S/V"),
        ("91350100s000100Y43", "统一社会信用代码含有不允许的字符I/O/Z/S/V"),
        ("91350100M000100Y4#", "统一社会信用代码含有非法字符"),
        ("913501A0M000100Y43", "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"),
    ],
)
def test_invalid_usccs_say_why(value, reason):
    assert check_uscc(value) == reason


def test_uscc_check_char_refuses_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("91350100O000100Y4")


@st.composite
def valid_usccs(draw):
    """A random valid USCC: any alphabet chars, numeric region code, computed check."""
    head = draw(st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + uscc_check_char(first17)


@settings(max_examples=200)
@given(valid_usccs(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_any_single_substitution_in_a_uscc_is_detected(code, pos, ch):
    assert check_uscc(code) is None
    if code[pos] == ch:
        ch = "5" if ch != "5" else "6"
    changed = code[:pos] + ch + code[pos + 1:]
    assert check_uscc(changed) is not None


def test_mod31_algebra_detects_every_single_substitution():
    for w in ids._USCC_WEIGHTS:
        assert all((w * delta) % 31 != 0 for delta in range(1, 31))
    assert len(set(USCC_ALPHABET)) == 31


# ---------------------------------------------------------------- phones and bank accounts


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("13800138000.0", "13800138000"),
        ("0556-1234567", "0556-1234567"),
        ("05561234567", "05561234567"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_valid_phones(raw, stored):
    assert normalize_phone(raw) == stored
    assert check_phone(raw) is None


@pytest.mark.parametrize(
    "raw", ["", "12800138000", "1380013800", "138001380001", "556-1234567", "0556-123456", "abc"]
)
def test_invalid_phones(raw):
    assert check_phone(raw).startswith("联系电话格式不正确")


def test_bank_accounts():
    assert normalize_bank_account("6222 0212 3456 7891 234") == "6222021234567891234"
    assert check_bank_account("6222 0212 3456 7891 234") is None
    assert check_bank_account("622202123456") is None
    assert check_bank_account("62220212345") == "银行卡号应为12至19位数字（现为11位）"
    assert check_bank_account("62220212345678912345") == "银行卡号应为12至19位数字（现为20位）"
    assert check_bank_account("6222-0212-3456-7891") == "银行卡号只能包含数字"
    assert check_bank_account("") == "银行卡号只能包含数字"


# ---------------------------------------------------------------- masks


def test_masks():
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_bank_account("6222021234561234") == "************1234"
    assert mask_bank_account("6222021234567891234") == "*" * 15 + "1234"
    assert mask_bank_account("123") == "***"
    assert mask_id_number("") == ""


def test_birth_date_range_boundaries():
    first17 = "11010519000101123"
    assert check_id_number(first17 + id_check_char(first17), today=TODAY) is None
    yesterday = TODAY - timedelta(days=1)
    first17 = f"110105{yesterday:%Y%m%d}123"
    assert check_id_number(first17 + id_check_char(first17), today=TODAY) is None
