"""Sealing and opening files with AES-256-GCM, a chunk at a time
(the format: desktop/domain/sealing.py).

A sealed file is written as `.part`, synced and then renamed, like every file
the app writes, so a full disk or a pulled drive never leaves half a file under
the real name. Opening decrypts into a file the caller names and checks every
chunk on the way; on any refusal that file is removed, so nothing unverified
is ever read by the restore or the import.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.domain import sealing as fmt
from desktop.domain.sealing import Header
from desktop.errors import UserError


def is_sealed(path: Path) -> bool:
    """Whether `path` starts with the sealed-file magic (False if unreadable:
    the caller's own reading then says why)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(fmt.MAGIC)) == fmt.MAGIC
    except OSError:
        return False


def seal_file(source: Path, dest: Path, password: str, *, chunk_size: int = 0) -> None:
    """Encrypt `source` into `dest` (through `dest.part`). OSError on a write
    failure, with the `.part` removed; `dest` is never left half written."""
    part = dest.with_name(dest.name + ".part")
    try:
        with open(source, "rb") as src, open(part, "wb") as out:
            header = fmt.new_header(os.fstat(src.fileno()).st_size,
                                    chunk_size or fmt.CHUNK_SIZE)
            _write_sealed(src, out, header, fmt.derive_key(password, header))
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def _write_sealed(src: BinaryIO, out: BinaryIO, header: Header, key: bytes) -> None:
    aes, fields = AESGCM(key), header.fields()
    nonce = os.urandom(fmt.NONCE_SIZE)
    out.write(fields + nonce + aes.encrypt(nonce, b"", fields))
    remaining = header.plain_size
    for index in range(header.chunk_count):
        data = src.read(min(header.chunk_size, remaining))
        if len(data) != min(header.chunk_size, remaining):
            raise OSError("the file changed size while it was being sealed")
        remaining -= len(data)
        final = index == header.chunk_count - 1
        nonce = os.urandom(fmt.NONCE_SIZE)
        out.write(nonce + aes.encrypt(nonce, data, fmt.chunk_aad(fields, index, final)))


def open_sealed(source: Path, dest: Path, password: str) -> None:
    """Decrypt `source` into `dest`, verifying every chunk. UserError with the
    reason (wrong password, cut short, changed); `dest` is then removed."""
    try:
        with open(source, "rb") as src, open(dest, "wb") as out:
            header, key = _opened_header(src, password)
            if os.fstat(src.fileno()).st_size < header.sealed_size:
                raise UserError(fmt.TRUNCATED)
            if os.fstat(src.fileno()).st_size > header.sealed_size:
                raise UserError(fmt.TAMPERED)
            _read_sealed(src, out, header, key)
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise


def _opened_header(src: BinaryIO, password: str) -> tuple[Header, bytes]:
    raw = src.read(fmt.HEADER_SIZE)
    if len(raw) < fmt.HEADER_SIZE:
        raise UserError(fmt.TRUNCATED)
    if not password:
        raise UserError(fmt.NEED_PASSWORD)
    fields = raw[:fmt.FIELDS_SIZE]
    header = fmt.parse_fields(fields)
    if header is None:
        raise UserError(fmt.WRONG_PASSWORD)  # a header we never write: changed
    key = fmt.derive_key(password, header)
    nonce, tag = raw[fmt.FIELDS_SIZE:fmt.FIELDS_SIZE + fmt.NONCE_SIZE], raw[-fmt.TAG_SIZE:]
    try:
        AESGCM(key).decrypt(nonce, tag, fields)
    except InvalidTag:
        raise UserError(fmt.WRONG_PASSWORD) from None
    return header, key


def _read_sealed(src: BinaryIO, out: BinaryIO, header: Header, key: bytes) -> None:
    aes, fields = AESGCM(key), header.fields()
    remaining = header.plain_size
    for index in range(header.chunk_count):
        size = min(header.chunk_size, remaining)
        record = src.read(fmt.CHUNK_OVERHEAD + size)
        if len(record) != fmt.CHUNK_OVERHEAD + size:
            raise UserError(fmt.TRUNCATED)  # the file shrank while it was being read
        final = index == header.chunk_count - 1
        try:
            out.write(aes.decrypt(record[:fmt.NONCE_SIZE], record[fmt.NONCE_SIZE:],
                                  fmt.chunk_aad(fields, index, final)))
        except InvalidTag:
            raise UserError(fmt.TAMPERED) from None
        remaining -= size
    out.flush()
