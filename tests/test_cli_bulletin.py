"""`liangxin-cli bulletin …`: import text, list, render, issue; refusals exit 1 in Chinese."""

from __future__ import annotations

import contextlib
import io
from pypdf import PdfReader

from desktop.cli import main
from desktop.paths import resource_path


def _new_db(tmp_path):
    """A database made by `init`: the other commands no longer create one (issue 14 §2)."""
    db_path = tmp_path / "cli.sqlite3"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(db_path), "init"]) == 0
    return db_path


def run(capsys, db_path, *args):
    code = main(["--db", str(db_path), "bulletin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_render_issue(capsys, tmp_path):
    db_path = _new_db(tmp_path)
    code, out, _ = run(capsys, db_path, "import-text", str(resource_path("bulletin/sample_bulletin.txt")))
    assert code == 0
    new_id = out.strip()
    assert len(new_id) == 36

    code, out, _ = run(capsys, db_path, "list")
    assert code == 0 and "2022年第20期" in out and "草稿" in out and new_id in out
    assert "桐城市以“新”为媒" in out

    pdf = tmp_path / "draft.pdf"
    code, out, _ = run(capsys, db_path, "render", new_id, str(pdf))
    pages = len(PdfReader(pdf).pages)
    assert code == 0 and f"{pages} 页" in out

    code, out, _ = run(capsys, db_path, "issue", new_id)
    assert code == 0 and "已印发" in out
    code, out, _ = run(capsys, db_path, "list", "--year", "2022")
    assert "已印发" in out

    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    run(capsys, db_path, "render", new_id, str(first))
    run(capsys, db_path, "render", new_id, str(second))
    assert first.read_bytes() == second.read_bytes()


def test_refusals_exit_1_with_chinese_reason(capsys, tmp_path):
    db_path = _new_db(tmp_path)
    code, _, err = run(capsys, db_path, "render", "no-such-id", str(tmp_path / "x.pdf"))
    assert code == 1 and "不存在" in err
    bad = tmp_path / "bad.txt"
    bad.write_text("没有栏目的文字。", encoding="utf-8")
    code, _, err = run(capsys, db_path, "import-text", str(bad))
    assert code == 1 and "没有找到栏目" in err and "Traceback" not in err
    code, out, _ = run(capsys, db_path, "list")
    assert code == 0 and "还没有" in out


def test_issued_bulletin_refuses_a_second_issue(capsys, tmp_path):
    db_path = _new_db(tmp_path)
    _, out, _ = run(capsys, db_path, "import-text", str(resource_path("bulletin/sample_bulletin.txt")))
    new_id = out.strip()
    assert run(capsys, db_path, "issue", new_id)[0] == 0
    code, _, err = run(capsys, db_path, "issue", new_id)
    assert code == 1 and "已印发" in err


def test_import_text_says_when_the_number_was_taken(tmp_path, capsys):
    from desktop.cli import main
    from desktop.paths import resource_path

    db = _new_db(tmp_path)
    sample = resource_path("bulletin/sample_bulletin.txt")
    assert main(["--db", str(db), "bulletin", "import-text", str(sample)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["--db", str(db), "bulletin", "import-text", str(sample)]) == 0
    assert "原文为第20期" in capsys.readouterr().err
