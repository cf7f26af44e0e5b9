"""What kind of file the clerk chose, told by its content, never by its name.

`workbook_kind(path)` returns "xlsx" (also .xlsm), "xls" (old Excel, OLE2) or
"ods" (OpenDocument), so a renamed file is read as what it is. Anything else is
refused with a `UserError` whose Chinese message names the case: empty, CSV or
web page saved as .xls, Word file, plain zip, broken zip, password-protected
workbook, or a part too large to unpack safely.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from desktop.errors import UserError
from desktop.os_errors import file_error

# One part (a sheet, the shared strings) bigger than this when unzipped is refused:
# a zip bomb must not take the time and memory. 100,000 real rows are ~150 MB; a
# sheet this large with little data is nearly always cells formatted to the last row.
MAX_PART_BYTES = 256 * 1024 * 1024

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old .xls, and encrypted OOXML
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
BROKEN = "文件已损坏，无法作为 Excel 工作簿打开"
_ENCRYPTED = "工作簿已设置打开密码，请先取消密码再导入"
_SAVE_AS = "，请在 Excel/WPS 中打开后另存为 .xlsx 再导入"
TOO_LARGE = ("工作簿数据量过大（解压后超过 256 MB）。数据不多时，多半是表格下方有大量设置了"
             "格式（边框、底色、行高）的空行：请选中最后一行数据下方的所有空行，右键“删除”整行"
             "（不是按 Delete 清除内容）后保存，再导入；如数据确实很多，请拆分后分批导入")


def workbook_kind(path: str | Path) -> str:
    """'xlsx', 'xls' or 'ods' for a workbook the reader can open; UserError otherwise."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as err:
        raise file_error("无法读取文件", err, path) from err
    if not head:
        raise UserError("文件是空的（0 字节），不是 Excel 工作簿")
    if head.startswith(_CFB_MAGIC):
        if _cfb_is_encrypted_ooxml(path):
            raise UserError(_ENCRYPTED)
        return "xls"
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(b"PK"):
        raise UserError(BROKEN)
    raise UserError(_not_excel_reason(head))


def _cfb_is_encrypted_ooxml(path: str | Path) -> bool:
    """True when the OLE2 file holds an 'EncryptionInfo' stream: an .xlsx saved with a
    password to open. Scans the file in chunks, so memory stays small."""
    overlap = len(_ENCRYPTION_STREAM)
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if _ENCRYPTION_STREAM in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _zip_kind(path: str | Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as err:
        raise UserError(BROKEN) from err
    if mimetype.strip() == _ODS_MIMETYPE:
        kind = "ods"
    elif "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        kind = "xlsx"
    else:
        what = ("Word 文档" if any(n.startswith("word/") for n in names)
                else "PowerPoint 演示文稿" if any(n.startswith("ppt/") for n in names)
                else "OpenDocument 文字或演示文稿" if mimetype.startswith(b"application/vnd.oasis")
                else "普通的 zip 压缩包")
        raise UserError(f"文件不是 Excel 工作簿（是{what}），请选择 .xlsx、.xls 或 .ods 文件")
    if any(info.file_size > MAX_PART_BYTES for info in infos):
        raise UserError(TOO_LARGE)
    return kind


def _not_excel_reason(head: bytes) -> str:
    """Why a file that is neither OLE2 nor zip is refused: CSV, web page, text, unknown."""
    text = _as_text_or_none(head)
    if text is None:
        return "文件不是 Excel 工作簿（无法识别的文件格式），请选择 .xlsx、.xls 或 .ods 文件"
    lead = text.lstrip().lower()
    if lead.startswith(("<html", "<!doctype", "<table", "<?xml", "<meta", "<head")):
        return "文件不是 Excel 工作簿（看起来是网页或 XML 文件，常见于网站导出的表格）" + _SAVE_AS
    if any(sep in text for sep in (",", "\t", ";", "，")):
        return "文件不是 Excel 工作簿（看起来是 CSV 文本文件）" + _SAVE_AS
    return "文件不是 Excel 工作簿（看起来是纯文本文件），请选择 .xlsx、.xls 或 .ods 文件"


def _as_text_or_none(head: bytes) -> str | None:
    """`head` decoded as UTF-8 or GB18030 when it looks like text, else None."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ch < " " and ch not in "\r\n\t")
        if controls <= len(text) // 100:
            return text
    return None
