"""The self-test that checks a frozen build, run here from source."""

from __future__ import annotations

import pytest

from desktop import app, selftest

PASSED = "自检通过：数据库、演示数据、加密备份、补贴发放、发放表、季度报表、组工信息、PDF预览、主窗口"


@pytest.mark.slow
def test_self_test_passes_from_source(qapp, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "home"))

    assert selftest.run_self_test() == 0

    line = capsys.readouterr().out.strip()
    assert line.startswith(PASSED)
    # The user's data directory is left as it was: everything ran in a temporary one.
    assert not any((tmp_path / "home").glob("*.sqlite3"))


def test_a_failing_step_is_named_with_its_reason(capsys, monkeypatch):
    def broken(state):
        raise selftest.SelfTestFailure("没有生成有效的 PDF：季度报表.pdf")

    steps = (("数据库", selftest._database), ("季度报表", broken))
    monkeypatch.setattr(selftest, "STEPS", steps)

    assert selftest.run_self_test() == 1

    captured = capsys.readouterr()
    assert captured.out.strip() == "自检失败：季度报表：没有生成有效的 PDF：季度报表.pdf"


def test_an_unexpected_error_names_its_type(capsys, monkeypatch):
    def broken(state):
        raise ModuleNotFoundError("No module named 'pypdfium2_raw'")

    monkeypatch.setattr(selftest, "STEPS", (("PDF预览", broken),))

    assert selftest.run_self_test() == 1

    out = capsys.readouterr().out
    assert "自检失败：PDF预览：ModuleNotFoundError: No module named 'pypdfium2_raw'" in out


def test_the_app_runs_the_self_test_before_touching_the_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path))
    monkeypatch.setattr(app, "run_self_test", lambda: 7)
    monkeypatch.setattr(app, "install_excepthook", lambda: pytest.fail("excepthook installed"))

    assert app.main(["--self-test"]) == 7
    assert not (tmp_path / "liangxin.log").exists()
