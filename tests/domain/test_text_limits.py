"""Length limits of typed text (issue 13, point 9): one table, used by every check."""

from __future__ import annotations

import pytest

from desktop.domain import text_limits
from desktop.domain.registry import (
    LIMIT_KINDS, Area, GuidanceStation, Instructor, LiaisonOfficer, Organization, check_area,
    check_instructor, check_officer, check_organization, check_station,
)
from desktop.sheets.formats import SHEETS

ID = "34080119850615001X"
CASES = [
    (Organization(name="示范科技有限公司", area_id="a"), check_organization),
    (Instructor(name="张三", id_number=ID), check_instructor),
    (LiaisonOfficer(name="李四", id_number=ID), check_officer),
    (Area(name="城关镇"), check_area),
    (GuidanceStation(name="城关镇党建工作指导站"), check_station),
]


@pytest.mark.parametrize(("record", "check"), CASES)
def test_every_limited_field_is_refused_one_past_its_limit(record, check):
    import dataclasses
    kind = LIMIT_KINDS[type(record)]
    for field, (label, most) in text_limits.LIMITS[kind].items():
        at_limit = dataclasses.replace(record, **{field: "字" * most})
        assert not [p for p in check(at_limit) if p[0] == field], field
        over = dataclasses.replace(record, **{field: "字" * (most + 1)})
        reasons = [reason for name, reason in check(over) if name == field]
        assert reasons == [f"{label}过长（{most + 1} 字），最多 {most} 字"], field


def test_rare_characters_count_as_one_character():
    most = text_limits.limit("officer", "name")
    assert text_limits.too_long("officer", "name", "𠀀" * most) is None


def test_the_import_columns_take_their_limits_from_the_same_table():
    kinds = {"organizations": "organization", "instructors": "instructor",
             "officers": "officer"}
    checked = 0
    for spec in SHEETS:
        kind = kinds.get(spec.key)
        for col in spec.columns:
            if kind and col.field in text_limits.LIMITS[kind]:
                assert col.max_length == text_limits.limit(kind, col.field), col.header
                checked += 1
            elif col.field == "township":
                assert col.max_length == text_limits.limit("area", "name")
    assert checked >= 10
