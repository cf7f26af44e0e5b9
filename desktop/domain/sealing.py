"""The sealed-file format: files that leave the PC, encrypted with the office's
exchange password (ACCESS.md, "Files that leave the PC").

A sealed file is a fixed header and then chunks:

    header  MAGIC(8) log2_n(1) r(1) p(1) 0(1) chunk_size(4) plain_size(8) salt(16)
            nonce(12) tag(16)
    chunk   nonce(12) ciphertext(<= chunk_size) tag(16)

The key is scrypt over the password and the header's random salt. The header's
own tag (AES-GCM over nothing, the header fields as associated data) tells a
wrong password, or a changed header, before any chunk is read. Each chunk's
associated data is the header fields, its index and whether it is the last, so
a reordered, dropped or altered chunk is refused; plain_size, covered by the
header tag, tells a file cut short from one that was changed.

Pure: byte layouts, key derivation and the messages. The file streaming and the
cipher are in desktop/db/sealed.py.
"""

from __future__ import annotations

import hmac
import os
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"LXSEAL1\x00"
CHUNK_SIZE = 1 << 20  # 1 MiB: memory stays flat however large the file
NONCE_SIZE = 12
TAG_SIZE = 16
SALT_SIZE = 16
KEY_SIZE = 32  # AES-256
# scrypt N=2^16, r=8: 64 MiB and about 0.26 s here (N=2^15: 0.12 s, 2^17: 0.57 s).
LOG2_N, R, P = 16, 8, 1
_FIELDS = struct.Struct(">8sBBBBIQ16s")
FIELDS_SIZE = _FIELDS.size  # 40
HEADER_SIZE = FIELDS_SIZE + NONCE_SIZE + TAG_SIZE  # 68
CHUNK_OVERHEAD = NONCE_SIZE + TAG_SIZE
# What a header may ask for: a hostile file must not make us allocate gigabytes.
MAX_SCRYPT_MEMORY = 256 << 20
MIN_CHUNK, MAX_CHUNK = 4096, 16 << 20

NEED_PASSWORD = "需要交换口令：该文件已用交换口令加密"
WRONG_PASSWORD = "交换口令不正确，或文件已被改动"
TRUNCATED = "文件不完整（拷贝或传送时可能中断），请重新拷贝一份"
TAMPERED = "文件已被改动或已损坏（交换口令正确，但内容校验不符）"


@dataclass(frozen=True)
class Header:
    """A sealed file's header fields (the tag and nonce are kept as read)."""

    log2_n: int
    r: int
    p: int
    chunk_size: int
    plain_size: int
    salt: bytes

    def fields(self) -> bytes:
        """The header's bytes before its nonce: the associated data of every tag."""
        return _FIELDS.pack(MAGIC, self.log2_n, self.r, self.p, 0, self.chunk_size,
                            self.plain_size, self.salt)

    @property
    def chunk_count(self) -> int:
        """Chunks in the file: an empty file still has one (empty) final chunk."""
        return max(1, -(-self.plain_size // self.chunk_size))

    @property
    def sealed_size(self) -> int:
        return HEADER_SIZE + self.chunk_count * CHUNK_OVERHEAD + self.plain_size


def new_header(plain_size: int, chunk_size: int = CHUNK_SIZE) -> Header:
    """The header for sealing `plain_size` bytes now, with a fresh random salt."""
    return Header(LOG2_N, R, P, chunk_size, plain_size, os.urandom(SALT_SIZE))


def parse_fields(data: bytes) -> Header | None:
    """The header fields of `data` (FIELDS_SIZE bytes), or None when they are not
    ones this version writes or accepts (changed, or asking too much memory)."""
    magic, log2_n, r, p, zero, chunk_size, plain_size, salt = _FIELDS.unpack(data)
    header = Header(log2_n, r, p, chunk_size, plain_size, salt)
    sane = (magic == MAGIC and zero == 0 and 1 <= r and 1 <= p <= 4 and 10 <= log2_n <= 24
            and _scrypt_memory(header) <= MAX_SCRYPT_MEMORY
            and MIN_CHUNK <= chunk_size <= MAX_CHUNK)
    return header if sane else None


def _scrypt_memory(header: Header) -> int:
    return 128 * header.r * (1 << header.log2_n) * header.p


def derive_key(password: str, header: Header) -> bytes:
    """The AES-256 key for `header` (scrypt over the password and its salt)."""
    return _scrypt(password, header.salt, header.log2_n, header.r, header.p)


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    # cryptography's scrypt, the same function as hashlib.scrypt: hashlib's comes
    # from OpenSSL's _hashlib, which the bundle leaves out (installer/liangxin.spec).
    return Scrypt(salt=salt, length=KEY_SIZE, n=1 << log2_n, r=r, p=p).derive(
        password.encode("utf-8"))


def chunk_aad(header_fields: bytes, index: int, final: bool) -> bytes:
    """A chunk's associated data: moving, dropping or re-marking it breaks its tag."""
    return header_fields + struct.pack(">QB", index, 1 if final else 0)


# ---------------------------------------------------------------- the stored verifier

_VERIFIER = "scrypt"


def make_verifier(password: str) -> str:
    """What the database keeps of the exchange password: scrypt with its own
    random salt, never the password. Lets the app refuse a mistyped password
    before it seals a file nobody could open."""
    salt = os.urandom(SALT_SIZE)
    digest = _scrypt(password, salt, LOG2_N, R, P)
    return f"{_VERIFIER}${LOG2_N}${R}${P}${salt.hex()}${digest.hex()}"


def matches_verifier(verifier: str, password: str) -> bool:
    """Whether `password` is the one `verifier` was made from."""
    try:
        kind, log2_n, r, p, salt, digest = verifier.split("$")
        if kind != _VERIFIER:
            return False
        actual = _scrypt(password, bytes.fromhex(salt), int(log2_n), int(r), int(p))
        return hmac.compare_digest(actual, bytes.fromhex(digest))
    except ValueError:
        return False


def password_problem(password: str, repeated: str) -> str:
    """Why a new exchange password is refused ('' when it is acceptable); the
    rule of ACCESS.md for passwords: at least 8 characters, letters and digits."""
    if password != repeated:
        return "两次输入的交换口令不一致"
    if len(password) < 8:
        return "交换口令至少 8 位"
    if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
        return "交换口令须同时包含字母和数字"
    return ""
