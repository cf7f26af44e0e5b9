"""Sealed files (desktop/db/sealed.py): what goes in comes out, and a wrong
password, a changed byte, a cut or reordered file are each refused with the
reason, leaving no output behind."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc

import pytest

from desktop.db import sealed
from desktop.domain import sealing as fmt
from desktop.errors import UserError
from tests.security.conftest import PASSWORD
from tests.security.damage import CASES, IDS, damaged_copy


@pytest.mark.parametrize("size", [0, 1, fmt.CHUNK_SIZE, 2 * fmt.CHUNK_SIZE + 12345])
def test_a_file_comes_back_as_it_went_in(tmp_path, size):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(size))
    sealed.seal_file(plain, tmp_path / "sealed.bin", PASSWORD)
    sealed.open_sealed(tmp_path / "sealed.bin", tmp_path / "back.bin", PASSWORD)

    assert (tmp_path / "back.bin").read_bytes() == plain.read_bytes()
    assert sealed.is_sealed(tmp_path / "sealed.bin") and not sealed.is_sealed(plain)
    assert not (tmp_path / "sealed.bin.part").exists()


def test_the_sealed_file_shows_nothing_of_the_plain_text(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_bytes("身份证号 342501199001011234 银行卡 6222020200112233445\n".encode() * 5000)
    sealed.seal_file(plain, tmp_path / "sealed.bin", PASSWORD)
    data = (tmp_path / "sealed.bin").read_bytes()

    assert b"342501199001011234" not in data and "身份证".encode() not in data
    assert data.startswith(fmt.MAGIC)


def test_two_seals_of_one_file_differ(tmp_path):
    """A fresh salt and fresh nonces every time: equal files are not seen as equal."""
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"x" * 10000)
    sealed.seal_file(plain, tmp_path / "a", PASSWORD)
    sealed.seal_file(plain, tmp_path / "b", PASSWORD)
    assert (tmp_path / "a").read_bytes()[24:] != (tmp_path / "b").read_bytes()[24:]


@pytest.fixture
def good(tmp_path, small_chunks):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(small_chunks * 3 + 777))
    path = tmp_path / "good.sealed"
    sealed.seal_file(plain, path, PASSWORD)
    return path


@pytest.mark.parametrize("name,password,mangle,refusal", CASES, ids=IDS)
def test_a_damaged_file_or_wrong_password_is_refused(good, tmp_path, name, password, mangle,
                                                     refusal):
    bad = damaged_copy(good, tmp_path / "bad", mangle)
    out = tmp_path / "out.bin"

    with pytest.raises(UserError) as caught:
        sealed.open_sealed(bad, out, password)

    assert str(caught.value) == refusal
    assert not out.exists()  # nothing unverified is left to be read


def test_no_password_in_any_refusal(good, tmp_path):
    for password in ("wrongpass123", PASSWORD):
        bad = damaged_copy(good, tmp_path / "bad", lambda d: bytes(d[:-1]))
        with pytest.raises(UserError) as caught:
            sealed.open_sealed(bad, tmp_path / "out", password)
        assert password not in str(caught.value)


def test_a_failed_seal_leaves_no_part_file(tmp_path, monkeypatch):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(300_000))

    def full_disk(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        sealed.seal_file(plain, tmp_path / "sealed.bin", PASSWORD)
    assert not (tmp_path / "sealed.bin").exists() and not (tmp_path / "sealed.bin.part").exists()


def test_memory_stays_flat_for_a_large_file(tmp_path):
    """32 MiB through a chunk at a time: Python never holds more than a few chunks."""
    plain = tmp_path / "plain.bin"
    with open(plain, "wb") as f:
        for _ in range(32):
            f.write(os.urandom(fmt.CHUNK_SIZE))
    tracemalloc.start()
    try:
        sealed.seal_file(plain, tmp_path / "sealed.bin", PASSWORD)
        sealed.open_sealed(tmp_path / "sealed.bin", tmp_path / "back.bin", PASSWORD)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * fmt.CHUNK_SIZE
    assert _sha(tmp_path / "back.bin") == _sha(plain)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_real_key_derivation_stays_well_under_half_a_second(monkeypatch):
    monkeypatch.setattr(fmt, "LOG2_N", 16)
    header = fmt.new_header(0)
    start = time.perf_counter()
    fmt.derive_key(PASSWORD, header)
    assert time.perf_counter() - start < 0.6  # ~0.26 s here; slack for a loaded machine
    assert header.log2_n == 16 and header.r == 8


def test_a_header_asking_for_gigabytes_is_refused_before_any_work(good, tmp_path):
    data = bytearray(good.read_bytes())
    data[8] = 30  # N = 2^30: 128 GiB of scrypt
    bad = tmp_path / "greedy.sealed"
    bad.write_bytes(bytes(data))
    start = time.perf_counter()
    with pytest.raises(UserError, match=fmt.WRONG_PASSWORD):
        sealed.open_sealed(bad, tmp_path / "out", PASSWORD)
    assert time.perf_counter() - start < 0.5


def test_the_verifier_knows_the_password_and_holds_none_of_it():
    verifier = fmt.make_verifier(PASSWORD)
    assert fmt.matches_verifier(verifier, PASSWORD)
    assert not fmt.matches_verifier(verifier, PASSWORD + "x")
    assert not fmt.matches_verifier("garbage", PASSWORD)
    assert PASSWORD not in verifier and fmt.make_verifier(PASSWORD) != verifier
