"""OS errors reach the clerk with the file name and Chinese text (issue 14 §2),
never the system's English strerror."""

from __future__ import annotations

import errno

import pytest

from desktop.errors import UserError
from desktop.os_errors import file_error, os_reason
from desktop.services import bulletins
from desktop.services.output_files import os_reason as write_reason
from desktop.sheets.reader import check_xlsx_file


@pytest.mark.parametrize("code, reason", [
    (errno.ENOENT, "文件不存在"),
    (errno.EACCES, "没有访问权限"),
    (errno.EISDIR, "这是一个文件夹，不是文件"),
    (errno.ENOSPC, "磁盘空间不足"),
    (errno.EROFS, "该位置只读"),
    (errno.ENAMETOOLONG, "文件名或路径太长"),
])
def test_common_errors_in_chinese(code, reason):
    assert os_reason(OSError(code, "English words")) == reason


def test_an_unknown_code_is_named_not_shown_in_english():
    reason = os_reason(OSError(errno.EDOM, "Numerical argument out of domain"))
    assert reason == "系统错误（EDOM）" and "Numerical" not in reason


def test_a_windows_sharing_violation_says_to_close_excel():
    err = PermissionError(errno.EACCES, "The process cannot access the file")
    err.winerror = 32  # what Windows sets; Python maps it to EACCES
    assert os_reason(err) == "文件正被其他程序占用，可能正在 Excel/WPS 中打开，请关闭后重试"
    assert write_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足"
    assert write_reason(OSError(errno.EACCES, "Permission denied")) == "没有写入该位置的权限"


def test_file_error_names_the_file():
    err = FileNotFoundError(errno.ENOENT, "No such file or directory", "名单.xlsx")
    assert str(file_error("无法读取文件", err)) == "无法读取文件：名单.xlsx（文件不存在）"
    assert str(file_error("无法读取文件", err, "D:/导入/名单.xlsx")) == \
        "无法读取文件：D:/导入/名单.xlsx（文件不存在）"
    assert str(file_error("自动备份失败", OSError(errno.ENOSPC, "x"))) == "自动备份失败：磁盘空间不足"


@pytest.mark.parametrize("read", [check_xlsx_file, bulletins.read_text_file])
def test_reading_a_missing_file_or_a_folder(tmp_path, read):
    missing = tmp_path / "名单.xlsx"
    with pytest.raises(UserError) as refused:
        read(missing)
    assert str(refused.value) == f"无法读取文件：{missing}（文件不存在）"
    with pytest.raises(UserError) as refused:
        read(tmp_path)
    assert str(refused.value) == f"无法读取文件：{tmp_path}（这是一个文件夹，不是文件）"
