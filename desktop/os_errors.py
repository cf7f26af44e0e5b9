"""Operating-system errors in the clerk's words: 无法读取文件：D:\\导入\\名单.xlsx（文件不存在）.

`OSError.strerror` is the system's text, English on most machines ("No such file or
directory", "Permission denied"): it must not reach a message box or the CLI's
stderr. Every place that turns an OSError into a UserError goes through here.
"""

from __future__ import annotations

import errno
from pathlib import Path

from desktop.errors import UserError

_IN_USE = "文件正被其他程序占用，可能正在 Excel/WPS 中打开，请关闭后重试"
_NETWORK = "网络位置或移动磁盘无法访问，请检查连接后重试"

# By errno name: not every name exists on every platform (EDQUOT, ETXTBSY…).
_REASONS = {
    "ENOENT": "文件不存在",
    "ENOTDIR": "路径中有一级不是文件夹",
    "EISDIR": "这是一个文件夹，不是文件",
    "EACCES": "没有访问权限",
    "EPERM": "操作不被允许，可能没有权限",
    "EEXIST": "文件已存在",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已用完",
    "EROFS": "该位置只读",
    "ENAMETOOLONG": "文件名或路径太长",
    "EINVAL": "文件名或路径无效",
    "EBUSY": _IN_USE,
    "ETXTBSY": _IN_USE,
    "EMFILE": "同时打开的文件过多",
    "ENFILE": "同时打开的文件过多",
    "EIO": "读写磁盘时出错，磁盘可能已损坏或已拔出",
    "EFBIG": "文件太大",
    "ENXIO": "设备不可用，移动磁盘可能已拔出",
    "ENODEV": "设备不可用，移动磁盘可能已拔出",
    "ELOOP": "路径中的快捷链接循环",
    "EXDEV": "不能跨磁盘移动文件",
    "ENOTEMPTY": "文件夹不是空的",
    "ESTALE": _NETWORK,
    "ETIMEDOUT": _NETWORK,
    "EHOSTDOWN": _NETWORK,
    "EHOSTUNREACH": _NETWORK,
    "ENETDOWN": _NETWORK,
    "ENETUNREACH": _NETWORK,
    "ECONNRESET": _NETWORK,
}

# Windows error codes that say more than the errno Python maps them to (a sharing
# violation becomes EACCES, but the cure is closing Excel, not asking for rights).
_WINDOWS_REASONS = {
    2: "文件不存在",
    3: "文件夹不存在",
    5: "没有访问权限",
    32: _IN_USE,
    33: _IN_USE,
    53: _NETWORK,
    64: _NETWORK,
    67: _NETWORK,
    112: "磁盘空间不足",
    123: "文件名、文件夹名或卷标语法不正确",
    1224: _IN_USE,
}


def os_reason(err: OSError) -> str:
    """Why `err` happened, in Chinese: '文件不存在', '没有访问权限', '磁盘空间不足'…;
    an unknown code is named, never shown in the system's (English) words."""
    windows = getattr(err, "winerror", None)
    if windows in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[windows]
    name = errno.errorcode.get(err.errno or 0, "")
    if name in _REASONS:
        return _REASONS[name]
    if windows:
        return f"系统错误（代码 {windows}）"
    return f"系统错误（{name or err.errno or type(err).__name__}）"


def file_error(lead: str, err: OSError, path: str | Path | None = None) -> UserError:
    """A refusal naming the file and the reason: file_error('无法读取文件', err, path)
    -> '无法读取文件：D:\\名单.xlsx（文件不存在）'. `path` defaults to the error's own."""
    where = path if path is not None else (err.filename or "")
    text = f"{lead}：{where}（{os_reason(err)}）" if where != "" else f"{lead}：{os_reason(err)}"
    return UserError(text)
