"""文件 → 导入 / 导出 / 保存导入模板 with the real services: a workbook with a bad
row shows its problems and nothing is written; a good one lands and the lists
refresh; the organization list exports as filtered, masked unless asked."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.services import registry
from desktop.views.dialogs import ProblemListDialog
from desktop.views.main_window import MainWindow
from factories import build_workbook, id_number, uscc

HEAD = ["名称*", "统一社会信用代码", "类型*", "所属乡镇*", "联系电话"]


def _window(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return window


def _action(window, text):
    return next(a for a in window.file_menu.actions() if a.text() == text)


def _choose(monkeypatch, method, path):
    monkeypatch.setattr(QFileDialog, method, staticmethod(lambda *a, **k: (str(path), "")))


def _import(qtbot, window, monkeypatch, path):
    window.importer.last_dialog = None
    _choose(monkeypatch, "getOpenFileName", path)
    _action(window, "导入…").trigger()
    qtbot.waitUntil(lambda: window.importer.last_dialog is not None, timeout=10000)
    return window.importer.last_dialog


def test_bad_row_lists_its_problems_writes_nothing_and_saves_the_marked_workbook(
        qtbot, context, db, monkeypatch, tmp_path):
    bad = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    source = build_workbook(tmp_path / "名单.xlsx", {"组织": [
        HEAD, ["甲快递有限公司", uscc(1), "非公企业", "城关镇", None],
        ["乙公司", bad, "非公企业", "城关镇", "12345"]]})
    window = _window(qtbot, context)
    dialog = _import(qtbot, window, monkeypatch, source)
    assert isinstance(dialog, ProblemListDialog)
    assert dialog.lines() == [
        f"组织 第3行 统一社会信用代码「{bad}」：统一社会信用代码校验位错误，应为{uscc(2)[-1]}",
        "组织 第3行 联系电话「12345」：联系电话格式不正确，应为11位手机号码或带区号的固定电话（如0556-1234567）",
    ]
    assert "未导入任何数据" in dialog.summary.text()
    assert registry.list_organizations(db).total == 0
    dest = tmp_path / "标注.xlsx"
    _choose(monkeypatch, "getSaveFileName", dest)
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    dialog.save_button.click()
    marked = load_workbook(dest)["组织"]
    assert marked["B3"].value == bad and marked["F3"].value.startswith("统一社会信用代码：")
    dialog.close()


def test_good_workbook_lands_and_the_list_refreshes(qtbot, context, db, monkeypatch, tmp_path,
                                                    answer):
    window = _window(qtbot, context)
    screen = window.screen("组织")
    assert screen.model.rowCount() == 0
    source = build_workbook(tmp_path / "名单.xlsx", {"组织": [
        HEAD, ["甲快递有限公司", uscc(1), "非公企业", "城关镇", "13800138000"]]})
    box = _import(qtbot, window, monkeypatch, source)
    assert answer.asked == ["工作簿检查通过，导入将会：\n组织：新增 1 条，更新 0 条，无变化 0 条"
                            "\n\n确定导入吗？"]
    assert isinstance(box, QMessageBox)
    assert box.text() == "导入完成：\n组织：新增 1 条，更新 0 条，无变化 0 条"
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)
    assert screen.count_label.text() == "共 1 家，已建党组织 0 家"
    box.close()
    again = _import(qtbot, window, monkeypatch, source)  # the same workbook a second time
    assert again.text() == "工作簿中的数据与数据库中的一致，没有需要导入的变化。"
    assert len(answer.asked) == 1
    again.close()


def test_export_writes_the_filtered_list_masked(qtbot, context, db, township_id, monkeypatch,
                                                tmp_path, type_text):
    for n, name in enumerate(["城关快递有限公司", "城关物业中心", "示范外卖平台"]):
        registry.create(db, Organization(name=name, area_id=township_id, uscc=uscc(n),
                                         contact_phone="13800138000"))
    window = _window(qtbot, context)
    screen = window.screen("组织")
    type_text(screen.search, "城关")
    qtbot.waitUntil(lambda: screen.model.total == 2, timeout=5000)
    dest = tmp_path / "导出.xlsx"
    _choose(monkeypatch, "getSaveFileName", dest)
    _action(window, "导出当前列表…").trigger()
    qtbot.waitUntil(lambda: window.screen("组织").exporter.last_dialog is not None, timeout=10000)
    box = screen.exporter.last_dialog
    assert box.text().startswith("已导出 2 条记录到：") and "已部分隐藏" in box.text()
    ws = load_workbook(dest)["组织"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows] == ["城关快递有限公司", "城关物业中心"]
    phone_column = [c.value for c in ws[3]].index("联系电话")
    assert rows[0][phone_column] == "138****8000"
    box.close()


def test_unmasked_export_asks_first_and_keeps_full_numbers(qtbot, context, db, monkeypatch,
                                                           tmp_path, answer):
    registry.create(db, LiaisonOfficer(name="李四", id_number=id_number(1),
                                       bank_account="6228480012345678901"))
    window = _window(qtbot, context)
    screen = window.screen("联络员")
    dest = tmp_path / "联络员"  # typed without the extension
    _choose(monkeypatch, "getSaveFileName", dest)
    answer.yes = False
    _action(window, "导出当前列表（含完整个人信息）…").trigger()
    assert answer.asked and screen.exporter.task is None and not dest.with_suffix(".xlsx").exists()
    answer.yes = True
    _action(window, "导出当前列表（含完整个人信息）…").trigger()
    qtbot.waitUntil(lambda: screen.exporter.last_dialog is not None, timeout=10000)
    row = list(load_workbook(tmp_path / "联络员.xlsx")["联络员"].iter_rows(min_row=4,
                                                                       values_only=True))[0]
    assert id_number(1) in row and "6228480012345678901" in row
    screen.exporter.last_dialog.close()


def test_export_from_a_screen_without_a_list_says_so(qtbot, context, monkeypatch):
    window = _window(qtbot, context)
    window.screen("设置")
    box = window.export_current(mask=False)
    assert box.text() == "当前页面没有可导出的内容。"
    box.close()


def test_save_template(qtbot, context, monkeypatch, tmp_path):
    window = _window(qtbot, context)
    dest = tmp_path / "模板.xlsx"
    _choose(monkeypatch, "getSaveFileName", dest)
    _action(window, "保存导入模板…").trigger()
    assert load_workbook(dest).sheetnames[:6] == ["组织", "指导员", "挂钩", "联络员", "派驻", "考核"]
    window.exporter.last_dialog.close()


def test_problems_and_visits_come_in_and_the_problem_list_refreshes(
        qtbot, context, db, monkeypatch, tmp_path, answer):
    window = _window(qtbot, context)
    screen = window.screen("问题清单")
    assert screen.model.rowCount() == 0
    source = build_workbook(tmp_path / "问题.xlsx", {
        "组织": [HEAD, ["甲快递有限公司", uscc(1), "非公企业", "城关镇", None]],
        "问题": [["组织名称*", "发现日期*", "问题类别*", "问题描述*", "责任单位*", "办结时限*", "状态"],
                 ["甲快递有限公司", "2025-03-01", "招聘用工", "缺少分拣员", "县人社局", "2025-04-01",
                  "督办中"]],
        "走访": [["组织名称*", "走访日期*", "走访方式"], ["甲快递有限公司", "2025-03-01", "座谈"]]})
    box = _import(qtbot, window, monkeypatch, source)
    assert "问题：新增 1 条\n走访：新增 1 条" in answer.asked[0]
    assert box.text().endswith("问题：新增 1 条\n走访：新增 1 条")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=5000)  # 督办中 is open
    box.close()
