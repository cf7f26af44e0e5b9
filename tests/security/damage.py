"""Ways a sealed file arrives wrong, each with the refusal it must get."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from desktop.domain import sealing as fmt
from tests.security.conftest import PASSWORD

H = fmt.HEADER_SIZE
SALT_AT, SIZE_AT, TAG_AT = 24, 16, H - fmt.TAG_SIZE


def chunk_size(data: bytes) -> int:
    return struct.unpack(">I", data[12:16])[0]


def record(data: bytes) -> int:
    """The length of one full chunk record."""
    return fmt.CHUNK_OVERHEAD + chunk_size(data)


def _flip(at: Callable[[bytes], int]) -> Callable[[bytearray], bytes]:
    def mangle(data: bytearray) -> bytes:
        data[at(data)] ^= 0x01
        return bytes(data)
    return mangle


def _swap_first_two(data: bytearray) -> bytes:
    n = record(data)
    first, second = data[H:H + n], data[H + n:H + 2 * n]
    return bytes(data[:H] + second + first + data[H + 2 * n:])


def _cut_at_chunk_boundary(data: bytearray) -> bytes:
    return bytes(data[:H + record(data)])


# (name, password given, how the file is changed, the refusal)
CASES: list[tuple[str, str, Callable[[bytearray], bytes], str]] = [
    ("wrong password", "wrongpass123", bytes, fmt.WRONG_PASSWORD),
    ("no password", "", bytes, fmt.NEED_PASSWORD),
    ("flipped scrypt parameter", PASSWORD, _flip(lambda d: 8), fmt.WRONG_PASSWORD),
    ("flipped size field", PASSWORD, _flip(lambda d: SIZE_AT + 7), fmt.WRONG_PASSWORD),
    ("flipped salt", PASSWORD, _flip(lambda d: SALT_AT + 5), fmt.WRONG_PASSWORD),
    ("flipped header tag", PASSWORD, _flip(lambda d: TAG_AT + 3), fmt.WRONG_PASSWORD),
    ("flipped chunk nonce", PASSWORD, _flip(lambda d: H + 2), fmt.TAMPERED),
    ("flipped body byte", PASSWORD, _flip(lambda d: H + fmt.NONCE_SIZE + 100), fmt.TAMPERED),
    ("flipped chunk tag", PASSWORD, _flip(lambda d: H + record(d) - 1), fmt.TAMPERED),
    ("flipped last byte", PASSWORD, _flip(lambda d: len(d) - 1), fmt.TAMPERED),
    ("truncated by one byte", PASSWORD, lambda d: bytes(d[:-1]), fmt.TRUNCATED),
    ("truncated at a chunk boundary", PASSWORD, _cut_at_chunk_boundary, fmt.TRUNCATED),
    ("header only", PASSWORD, lambda d: bytes(d[:H]), fmt.TRUNCATED),
    ("half a header", PASSWORD, lambda d: bytes(d[:H // 2]), fmt.TRUNCATED),
    ("a byte appended", PASSWORD, lambda d: bytes(d) + b"\x00", fmt.TAMPERED),
    ("chunks swapped", PASSWORD, _swap_first_two, fmt.TAMPERED),
]
IDS = [case[0] for case in CASES]


def damaged_copy(good: Path, folder: Path, mangle: Callable[[bytearray], bytes]) -> Path:
    """A copy of `good`, changed by `mangle`, under the same name in `folder`."""
    folder.mkdir(exist_ok=True)
    bad = folder / good.name
    bad.write_bytes(mangle(bytearray(good.read_bytes())))
    return bad
