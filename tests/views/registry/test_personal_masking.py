"""Personal data on screen (ACCESS.md, PIPL): once a database has users, a form
shows an existing person's ID number, phone and bank card masked and read-only;
显示完整号码 is for the roles that need it and each use is an access event that
names the record and fields but never holds their values."""

from __future__ import annotations

import pytest

from desktop.db import users as user_store
from desktop.domain.registry import LiaisonOfficer
from desktop.errors import UserError
from desktop.services import accounts, exports, personal_data, registry, users
from desktop.views.registry.officer_form import OfficerForm
from factories import id_number

PASSWORD = "secret2026"
BANK = "6217000000000000001"
PHONE = "13912349000"


@pytest.fixture
def office(db):
    officer_id = registry.create(db, LiaisonOfficer(
        name="张三", id_number=id_number(7), phone=PHONE, home_unit="县委组织部",
        bank_name="县农商行", bank_account=BANK))
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    for role in ("clerk", "viewer"):
        accounts.add_user(db, role, [role], password=PASSWORD, must_change=False)
    users.sign_out(db)
    return db, officer_id


def _form(office, login, show_form, context):
    db, officer_id = office
    users.sign_in(db, login, PASSWORD)
    return show_form(OfficerForm(context, registry.get(db, LiaisonOfficer, officer_id)))


def test_a_clerk_sees_masked_numbers_until_revealing_and_the_reveal_is_logged(
        office, show_form, context):
    db, officer_id = office
    form = _form(office, "clerk", show_form, context)
    id_field, bank_field = form.fields["id_number"], form.fields["bank_account"]
    assert id_field.text() == id_number(7)[:6] + "********" + id_number(7)[-4:]
    assert bank_field.text().endswith("0001") and BANK not in bank_field.text()
    assert id_field.isReadOnly() and not form.dirty
    assert form.reveal()
    assert id_field.text() == id_number(7) and bank_field.text() == BANK
    assert not id_field.isReadOnly() and not form.dirty  # revealing is not an edit
    event = user_store.events(db)[-1]
    assert (event["kind"], event["login"]) == ("reveal", "clerk")
    assert "张三" in event["detail"] and "公民身份号码" in event["detail"]
    assert id_number(7) not in event["detail"] and BANK not in event["detail"]


def test_saving_with_the_numbers_masked_keeps_the_stored_numbers(office, show_form, context):
    db, officer_id = office
    form = _form(office, "clerk", show_form, context)
    form.fields["position"].setText("组织委员")
    assert form.store() == officer_id
    assert form.fields["id_number"].styleSheet()  # still greyed after the save's validation
    saved = registry.get(db, LiaisonOfficer, officer_id)
    assert (saved.position, saved.id_number, saved.bank_account, saved.phone) == (
        "组织委员", id_number(7), BANK, PHONE)
    assert form.masked  # still masked after the save


def test_a_viewer_cannot_reveal_on_screen_or_through_the_service(office, show_form, context):
    db, officer_id = office
    form = _form(office, "viewer", show_form, context)
    assert not form.reveal_button.isEnabled()
    assert not form.reveal() and "无权查看完整的个人信息" in form.banner.text()
    assert form.fields["id_number"].text() != id_number(7)
    with pytest.raises(UserError, match="无权查看完整的个人信息"):
        personal_data.reveal(db, LiaisonOfficer, officer_id)


def test_a_database_without_users_shows_numbers_as_before(db, show_form, context):
    officer_id = registry.create(db, LiaisonOfficer(name="李四", id_number=id_number(8),
                                                    bank_account=BANK))
    form = show_form(OfficerForm(context, registry.get(db, LiaisonOfficer, officer_id)))
    assert form.fields["id_number"].text() == id_number(8) and not form.masked


def test_an_unmasked_export_is_a_logged_reveal(office, tmp_path):
    db, _ = office
    users.sign_in(db, "clerk", PASSWORD)
    exports.export_registry(db, "officers", tmp_path / "full.xlsx", mask=False)
    event = user_store.events(db)[-1]
    assert event["kind"] == "reveal" and "导出完整个人信息" in event["detail"]
    assert "1 条" in event["detail"]


def test_a_new_person_is_typed_in_full(office, show_form, context):
    db, _ = office
    users.sign_in(db, "clerk", PASSWORD)
    form = show_form(OfficerForm(context))
    assert not form.masked and not form.fields["id_number"].isReadOnly()
