"""`liangxin-cli template`, `import [--dry-run] [--errors]` and `export KIND` (CLI.md),
and the round trip: an unmasked export of every kind, imported into a new
database, exports the same registry."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from desktop.services import exports
from factories import build_workbook, uscc

HEAD = ["名称*", "统一社会信用代码", "类型*", "所属乡镇*"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _init(path):
    """A new database made by `init`: the other commands never create one (issue 14 §2)."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(path), "init"]) == 0
    return path


@pytest.fixture
def demo_db(tmp_path, capsys, monkeypatch):
    """The demo database, the commands run by its ready 录入员 (ACCESS.md)."""
    path = tmp_path / "demo.sqlite3"
    assert run(capsys, "--db", path, "demo")[0] == 0
    monkeypatch.setenv("LIANGXIN_PASSWORD", "demo1234")
    return path


def test_template_then_import_of_the_untouched_template(tmp_path, capsys):
    db = _init(tmp_path / "t.sqlite3")
    code, out, _ = run(capsys, "--db", db, "template", tmp_path / "模板.xlsx")
    assert code == 0 and "已生成导入模板" in out
    code, _, err = run(capsys, "--db", db, "import", tmp_path / "模板.xlsx")
    assert code == 1 and err.strip() == "错误：工作簿中没有需要导入的数据行（示例行不导入）"
    code, _, err = run(capsys, "--db", db, "template", tmp_path / "模板.xls")
    assert code == 1 and "应以 .xlsx 结尾" in err


def test_import_dry_run_then_for_real(tmp_path, capsys):
    db = _init(tmp_path / "t.sqlite3")
    book = build_workbook(tmp_path / "in.xlsx", {"组织": [HEAD, ["甲公司", uscc(1), "非公企业", "城关镇"]]})
    code, out, _ = run(capsys, "--db", db, "import", book, "--dry-run")
    assert code == 0 and out.startswith("试导入：检查通过") and "新增 1 条" in out
    code, out, _ = run(capsys, "--db", db, "export", "organizations", tmp_path / "o.xlsx")
    assert code == 0 and "已导出 0 条记录" in out
    code, out, _ = run(capsys, "--db", db, "import", book)
    assert code == 0 and "组织：新增 1 条，更新 0 条，无变化 0 条" in out
    assert "新建乡镇（街道、园区）：城关镇" in out


def test_import_prints_the_problems_and_visits_it_brings(tmp_path, capsys):
    db = _init(tmp_path / "t.sqlite3")
    book = build_workbook(tmp_path / "in.xlsx", {
        "组织": [HEAD, ["甲公司", uscc(1), "非公企业", "城关镇"]],
        "问题": [["组织名称*", "发现日期*", "问题类别*", "问题描述*", "责任单位*", "办结时限*", "状态",
                  "办结日期", "评价"],
                 ["甲公司", "2025-03-01", "融资", "贷款难", "县金融办", "2025-04-01", "已办结",
                  "2025-03-20", "满意"],
                 ["甲公司", "2025-03-02", "其他", "路灯坏", "城管局", "2025-04-01", None, None, None]],
        "走访": [["组织名称*", "走访日期*"], ["甲公司", "2025-03-01"]]})
    code, out, _ = run(capsys, "--db", db, "import", book)
    assert code == 0 and "问题：新增 2 条\n走访：新增 1 条" in out
    code, out, _ = run(capsys, "--db", db, "import", book)
    assert "问题：新增 0 条，数据库中已有 2 条（不重复导入）" in out


def test_import_refusal_lists_every_problem_and_writes_the_error_workbook(tmp_path, capsys):
    db = _init(tmp_path / "t.sqlite3")
    book = build_workbook(tmp_path / "in.xlsx", {"组织": [
        HEAD, ["甲公司", "91340800MA2N0X1230", "非公企业", "城关镇"], [None, None, "国企", "城关镇"]]})
    errors = tmp_path / "错误.xlsx"
    code, out, err = run(capsys, "--db", db, "import", book, "--errors", errors)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "错误：工作簿中有 3 个问题，未导入任何数据，请改正后重新导入"
    assert lines[1] == f"已保存标出问题的工作簿：{errors}"
    assert lines[2].startswith("  组织 第2行 统一社会信用代码「91340800MA2N0X1230」：")
    assert lines[3:] == ["  组织 第3行 名称：必填项不能为空",
                         "  组织 第3行 类型「国企」：应为以下之一：非公企业、社会组织"]
    assert load_workbook(errors).sheetnames == ["错误汇总", "组织"]


def test_not_a_workbook_is_refused_by_name(tmp_path, capsys):
    csv = tmp_path / "名单.xlsx"
    csv.write_text("名称,类型\n甲公司,非公企业\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", _init(tmp_path / "t.sqlite3"), "import", csv)
    assert code == 1 and "CSV" in err and "Traceback" not in err


def test_export_is_masked_by_default_and_never_writes_formulas(demo_db, tmp_path, capsys):
    out = tmp_path / "officers.xlsx"
    code, text, _ = run(capsys, "--db", demo_db, "--user", "clerk", "export", "officers", out)
    assert code == 0 and "已部分隐藏" in text
    ws = load_workbook(out)["联络员"]
    ids = [row[1] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert ids and all("********" in value for value in ids)
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    with pytest.raises(SystemExit) as usage:
        run(capsys, "--db", demo_db, "--user", "clerk", "export", "people", out)
    assert usage.value.code == 2


KINDS = ("organizations", "instructors", "officers", "assignments", "postings", "assessments")


def _rows(path):
    return list(load_workbook(path, read_only=True).active.iter_rows(min_row=3, values_only=True))


def test_round_trip_into_a_new_database(demo_db, tmp_path, capsys):
    new_db = _init(tmp_path / "new.sqlite3")
    for kind in KINDS:  # people before the links that name them
        first = tmp_path / f"{kind}.xlsx"
        assert run(capsys, "--db", demo_db, "--user", "clerk", "export", kind, first, "--unmasked")[0] == 0
        code, out, err = run(capsys, "--db", new_db, "import", first)
        assert code == 0, err
        assert "更新 0 条，无变化 0 条" in out
    for kind in KINDS:
        again = tmp_path / f"again-{kind}.xlsx"
        assert run(capsys, "--db", new_db, "export", kind, again, "--unmasked")[0] == 0
        assert _rows(again) == _rows(tmp_path / f"{kind}.xlsx"), kind
    assert len(_rows(tmp_path / "organizations.xlsx")) > 900
    # And back into the database it came from: nothing changes.
    code, out, _ = run(capsys, "--db", demo_db, "--user", "clerk", "import", tmp_path / "organizations.xlsx")
    assert code == 0 and "新增 0 条，更新 0 条" in out
    assert set(exports.KINDS) == set(KINDS)
