"""How an audit row reads on the 审计日志 screen: local days as UTC bounds of
`at`, the fields an entry changed, Chinese labels, masked personal numbers."""

from __future__ import annotations

from datetime import date, timedelta, timezone

from desktop.domain import audit_view as view

BEIJING = timezone(timedelta(hours=8))


def test_a_local_day_is_its_utc_span_of_at():
    assert view.day_bounds(date(2026, 12, 7), date(2026, 12, 7), BEIJING) == (
        "2026-12-06T16:00:00.000Z", "2026-12-07T16:00:00.000Z")
    assert view.day_bounds(None, date(2026, 12, 31), BEIJING) == ("", "2026-12-31T16:00:00.000Z")
    assert view.day_bounds(date(2026, 1, 1), None, BEIJING) == ("2025-12-31T16:00:00.000Z", "")
    assert view.day_bounds(None, None) == ("", "")


def test_the_bounds_compare_like_the_stored_stamps():
    first, after = view.day_bounds(date(2026, 12, 7), date(2026, 12, 7), BEIJING)
    # audit_log.at: strftime('%Y-%m-%dT%H:%M:%fZ'); 00:30 Beijing is 16:30 UTC the day before
    assert first <= "2026-12-06T16:30:00.123Z" < after
    assert not first <= "2026-12-06T15:59:59.999Z"
    assert not "2026-12-07T16:00:00.000Z" < after


def test_local_time_shows_the_stamp_in_the_zone():
    assert view.local_time("2026-12-06T16:30:05.123Z", BEIJING) == "2026-12-07 00:30:05"
    assert view.local_time("not a time", BEIJING) == "not a time"


def test_changed_fields_are_the_ones_that_differ_either_side():
    before = {"name": "甲", "phone": "1", "gone": 1}
    after = {"name": "甲", "phone": "2", "new": 3}
    assert view.changed_fields(before, after) == ["phone", "new", "gone"]
    assert view.changed_fields({}, {}) == []


def test_an_update_names_the_changed_fields_in_chinese_with_numbers_masked():
    before = {"name": "张三", "id_number": "110101199003071234", "phone": "13800001111",
              "bank_account": "6222020200112233", "updated_at": "2026-01-01T00:00:00Z"}
    after = {**before, "id_number": "110101199003075678", "phone": "13900002222",
             "bank_account": "6222020200119999", "updated_at": "2026-02-01T00:00:00Z"}
    text = view.summary("liaison_officer", "update", before, after)
    assert text == ("公民身份号码：110101********1234 → 110101********5678；"
                    "联系电话：138****1111 → 139****2222；"
                    "银行卡号：************2233 → ************9999")
    assert "13800001111" not in text and "修改时间" not in text  # bookkeeping is not news


def test_a_long_update_is_cut_to_a_few_fields():
    before = {f: "" for f in ("name", "address", "note", "contact_name", "position")}
    after = {f: "新" for f in before}
    assert view.summary("organization", "update", before, after).endswith(" 等 5 项")
    assert "等" not in view.summary("organization", "update", before, after, fields=None)


def test_codes_roles_flags_and_money_read_as_labels():
    assert view.summary("organization", "update", {"kind": "enterprise"},
                        {"kind": "social_org"}) == "类型：非公企业 → 社会组织"
    assert view.summary("payment_run", "update", {"status": "draft"},
                        {"status": "locked"}) == "状态：草稿 → 已锁定"
    assert view.summary("app_user", "update", {"roles": '["clerk"]', "disabled": 0},
                        {"roles": '["clerk", "finance"]', "disabled": 1}) == (
        "角色：录入员 → 录入员、财务；已停用：否 → 是")
    assert view.value_shown("subsidy_policy", "monthly_stipend_fen", 150000) == "1,500.00"


def test_inserts_deletes_and_soft_deletes_say_what_record():
    assert view.summary("organization", "insert", {}, {"id": "o1", "name": "甲公司"}) == \
        "新增组织“甲公司”"
    assert view.summary("assessment", "insert", {}, {"id": "a", "year": 2025, "grade": "good",
                                                    "created_at": "x"}) == \
        "新增考核等次：年度 2025，考核等次 良好"
    assert view.summary("organization", "update", {"name": "甲", "deleted_at": None},
                        {"name": "甲", "deleted_at": "2026-01-01"}) == "删除组织“甲”（标记删除）"
    assert view.summary("area", "delete", {"name": "城关镇"}, {}) == "删除区划“城关镇”"
    assert view.summary("organization", "update", {"updated_at": "a"}, {"updated_at": "b"}) == \
        "无内容变化"


def test_an_access_event_shows_its_kind_as_the_action():
    row = {"kind": "refused", "login": "viewer", "detail": "查看审计日志"}
    assert view.action_label("insert", "access_event", row) == "拒绝操作"
    assert view.summary("access_event", "insert", {}, row) == "viewer：查看审计日志"
    assert view.action_label("insert", "organization", {}) == "新增"
    assert view.table_label("access_event") == "登录与权限事件"
    assert view.table_label("organization") == "组织"


def test_detail_lists_every_field_changed_first_and_masked():
    before = {"id": "p1", "name": "张三", "phone": "13800001111"}
    after = {"id": "p1", "name": "张三", "phone": "13900002222"}
    lines = view.detail_lines("instructor", before, after)
    assert [(l.label, l.changed) for l in lines] == [
        ("联系电话", True), ("记录ID", False), ("姓名", False)]
    assert (lines[0].before, lines[0].after) == ("138****1111", "139****2222")
    inserted = view.detail_lines("instructor", {}, after)
    assert all(line.before == "" for line in inserted)


def test_parse_row_tolerates_null_and_junk():
    assert view.parse_row(None) == {} and view.parse_row("[1]") == {}
    assert view.parse_row("{broken") == {} and view.parse_row('{"a": 1}') == {"a": 1}


def test_every_access_event_kind_the_schema_allows_has_a_chinese_label():
    import re
    from pathlib import Path

    from desktop.domain import audit_view

    schema = (Path(__file__).resolve().parents[2] / "desktop" / "db"
              / "schema_v9_access_events.sql").read_text(encoding="utf-8")
    kinds = set(re.findall(r"'([a-z_]+)'", schema.split("CHECK (kind IN (")[1].split("))")[0]))
    assert kinds and kinds <= set(audit_view.EVENT_KIND_LABELS)
