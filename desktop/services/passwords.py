"""Password and recovery-code hashing: scrypt, a random salt, the cost
parameters kept in the stored text so they can be raised later without breaking
old hashes.

Stored form: ``scrypt$<n>$<r>$<p>$<salt base64>$<key base64>``.
N = 2**15, r = 8, p = 1 (32 MiB): one verify took 0.10 s on the development
machine (2**16: 0.27 s), within the 0.2 s a sign-in may spend on it.
scrypt is cryptography's (the same function as hashlib.scrypt, which exists only
with OpenSSL's _hashlib: the bundle leaves that out with libcrypto, and carries
cryptography for the sealed files anyway).
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

N, R, P = 2**15, 8, 1
_KEY_BYTES = 32
_SALT_BYTES = 16
_MAX_N = 2**20  # a stored hash asking for more is not ours: refuse, do not spend a minute
# Any password checked against an unknown login costs the same as a real one, so the
# time taken does not tell which logins exist.
_DUMMY = f"scrypt${N}${R}${P}$" + base64.b64encode(b"\0" * _SALT_BYTES).decode() + "$" + \
    base64.b64encode(b"\0" * _KEY_BYTES).decode()

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=_KEY_BYTES, n=n, r=r, p=p).derive(secret.encode("utf-8"))


def hash_secret(secret: str, *, n: int | None = None, r: int = R, p: int = P) -> str:
    """The stored form of a password or recovery code (cost N unless given)."""
    n = n or N
    salt = os.urandom(_SALT_BYTES)
    key = _derive(secret, salt, n, r, p)
    return "$".join(["scrypt", str(n), str(r), str(p), base64.b64encode(salt).decode(),
                     base64.b64encode(key).decode()])


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        if scheme != "scrypt" or not 1 < n_ <= _MAX_N or r_ > 32 or p_ > 16:
            return False
        expected = base64.b64decode(key)
        got = _derive(secret, base64.b64decode(salt), n_, r_, p_)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def spend_like_verify(secret: str) -> None:
    """Take as long as a verify, for an unknown login."""
    verify_secret(secret, _DUMMY)


def new_recovery_code() -> str:
    """20 characters (100 bits) in groups of five: XXXXX-XXXXX-XXXXX-XXXXX."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(20))
    return "-".join(chars[i:i + 5] for i in range(0, 20, 5))


def normal_recovery_code(code: str) -> str:
    """A typed code as stored: upper case, no dashes or spaces."""
    return "".join(c for c in code.upper() if c.isalnum())


def temporary_password() -> str:
    """A password for an account an administrator made or reset (must change it):
    ten letters and digits, at least one of each."""
    while True:
        text = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(10))
        if any(c.isalpha() for c in text) and any(c.isdigit() for c in text):
            return text
