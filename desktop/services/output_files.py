"""Writing an output file the clerk named: checked first, then written whole.

Every file the app produces (exports, subsidy sheets, reports, bulletins, error
workbooks) is written to a hidden temporary name beside the target and moved onto
it only when complete, so a crash, a full disk or a killed process never leaves a
half-written sheet under the name finance would open. A missing folder, a folder
given as the file, a wrong extension or a file held open by Excel/WPS each get a
Chinese message instead of an OS error.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from desktop.errors import UserError
from desktop.os_errors import os_reason as shared_os_reason

T = TypeVar("T")

# Writing gives these errors a more precise meaning than desktop.os_errors can.
_WRITE_REASONS = {"EACCES": "没有写入该位置的权限"}


def checked_target(out: str | Path, suffixes: Sequence[str]) -> Path:
    """`out` as a Path, refused with a clear message when it cannot be a new file of
    one of `suffixes` ('.xlsx', '.pdf')."""
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        names = " 或 ".join(suffixes)
        raise UserError(f"文件名应以 {names} 结尾：{path.name}")
    if path.is_dir():
        raise UserError(f"这是一个文件夹，不是文件：{path}")
    if not path.parent.is_dir():
        raise UserError(f"文件夹不存在：{path.parent}")
    return path


def write_atomically(out: Path, write: Callable[[Path], T]) -> T:
    """Run `write(tmp)` on a temporary file beside `out`, then move it onto `out`."""
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.part{out.suffix}")
    try:
        result = write(tmp)
        os.replace(tmp, out)
    except PermissionError as err:
        raise UserError(f"无法写入“{out.name}”：文件可能正在 Excel/WPS 中打开，"
                        "请关闭后重试") from err
    except OSError as err:
        raise UserError(f"无法写入“{out.name}”：{os_reason(err)}") from err
    finally:
        tmp.unlink(missing_ok=True)
    return result


def os_reason(err: OSError) -> str:
    """Why writing failed, in the clerk's words (never the system's English)."""
    name = errno.errorcode.get(err.errno or 0, "")
    return _WRITE_REASONS.get(name) or shared_os_reason(err)


def save_pdf_bytes(out: str | Path, data: bytes) -> Path:
    """Save an already rendered PDF (a preview's, a report's) at `out`, whole or not at all."""
    path = checked_target(out, (".pdf",))
    write_atomically(path, lambda tmp: tmp.write_bytes(data))
    return path
