"""Money rules of POLICY.md §1: integer fen, Decimal parsing, half-up rounding."""

from __future__ import annotations


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
