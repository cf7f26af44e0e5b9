"""The GUI's restore asks before bringing in another county's backup."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.domain.registry import LiaisonOfficer
from desktop.services import registry
from desktop.services.workspace import set_county
from desktop.views.maintenance_actions import MaintenanceActions
from factories import id_number, other_county_backup


def _restore(qtbot, context, monkeypatch, chosen):
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "")))
    window = QWidget()
    qtbot.addWidget(window)
    actions = MaintenanceActions(window, context)
    actions.restore()
    return actions


def test_restoring_another_countys_backup_names_both_and_asks(qtbot, context, db, answer,
                                                              monkeypatch, tmp_path):
    set_county(db, "宜城县")
    actions = _restore(qtbot, context, monkeypatch, other_county_backup(tmp_path))
    qtbot.waitUntil(lambda: actions.last_dialog is not None, timeout=5000)
    assert len(answer.asked) == 2
    assert "宿松县" in answer.asked[1] and "宜城县" in answer.asked[1]
    assert "已从备份恢复" in actions.last_dialog.text()
    assert [o.name for o, _ in registry.list_officers(db).rows] == ["宿松的人"]


def test_answering_no_to_the_other_county_keeps_the_data(qtbot, context, db, monkeypatch,
                                                         tmp_path):
    set_county(db, "宜城县")
    registry.create(db, LiaisonOfficer(name="宜城的人", id_number=id_number(1)))
    asked = []
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No

    def question(parent, title, text, *args, **kwargs):  # yes to 恢复, no to the other county
        asked.append(text)
        return yes if len(asked) == 1 else no

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    actions = _restore(qtbot, context, monkeypatch, other_county_backup(tmp_path))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    qtbot.wait(200)
    assert actions.last_dialog is None
    assert [o.name for o, _ in registry.list_officers(db).rows] == ["宜城的人"]
