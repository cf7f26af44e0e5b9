"""The exchange password and the files it seals (ACCESS.md, "Files that leave the PC").

The database keeps only a scrypt verifier of the password, never the password,
and keeps it in app_secret, which is not audited: the audit log, which any
reviewer reads and which travels in every backup, must not hold even a
verifier to guess against. The audited app_setting `exchange_password` says
only whether one is set ('1'), so setting, changing and clearing it are logged. The password is asked for each
time a sealed file is made or opened (the GUI's dialog, the CLI's prompt or
LIANGXIN_EXCHANGE_PASSWORD); nothing of this process's keeps it afterwards.
Nothing is written unattended to a removable drive, so nothing needs it kept.

Plaintext never touches the destination's drive: a file is first written, or
decrypted, in a private folder beside the database (where the plain data lives
already), and that folder is removed afterwards, also on an error.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop import paths
from desktop.db import backup, sealed, settings_store
from desktop.db import users as user_store
from desktop.db.connection import transaction
from desktop.db.connection import Database
from desktop.domain import access as acl
from desktop.domain import sealing as fmt
from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.services.users import require

SETTING = "exchange_password"  # app_setting: '1' when set (audited)
SECRET = "exchange_password"  # app_secret: the verifier (not audited)


class PasswordNeeded(UserError):
    """A sealed file is to be made or opened and no password was given: the
    front end asks for one and tries again."""

    def __init__(self, message: str = fmt.NEED_PASSWORD) -> None:
        super().__init__(message)


# ---------------------------------------------------------------- the setting

def is_set(db: Database) -> bool:
    """Whether the office has set an exchange password (files leaving are sealed)."""
    return bool(_verifier(db))


def _verifier(db: Database) -> str:
    """The stored verifier; '' when none is set. A database from before the
    verifier moved to app_secret still has it as the setting's value."""
    flag = settings_store.get(db, SETTING)
    if not flag:
        return ""
    return user_store.get_secret(db, SECRET) if flag == "1" else flag


def _store(db: Database, verifier: str) -> None:
    with transaction(db):
        user_store.put_secret(db, SECRET, verifier)
        settings_store.put(db, SETTING, "1" if verifier else "")


def set_password(db: Database, password: str, repeated: str) -> None:
    """Set or change the exchange password (typed twice). Files sealed before
    keep the password they were sealed with."""
    require(db, acl.CHANGE_SETTINGS)
    problem = fmt.password_problem(password, repeated)
    if problem:
        raise UserError(f"{problem}，交换口令未保存")
    _store(db, fmt.make_verifier(password))


def clear_password(db: Database) -> None:
    """Stop sealing: backups to a chosen folder and packages are written plain."""
    require(db, acl.CHANGE_SETTINGS)
    _store(db, "")


def sealing_password(db: Database, password: str | None) -> str | None:
    """The password to seal a file with now, None when none is set (plain file).
    A password that is not the office's is refused: the file would open nowhere."""
    verifier = _verifier(db)
    if not verifier:
        return None
    if not password:
        raise PasswordNeeded("需要交换口令：已在设置中设置交换口令，生成的文件须加密")
    if not fmt.matches_verifier(verifier, password):
        raise UserError("交换口令不正确（与设置中的交换口令不一致），文件没有生成")
    return password


# ---------------------------------------------------------------- the files

def is_sealed(path: Path) -> bool:
    """Whether `path` is a sealed file (the front end then asks for the password)."""
    return sealed.is_sealed(Path(path))


@contextlib.contextmanager
def plain_folder(beside: Path) -> Iterator[Path]:
    """A private folder next to `beside` (the database) for plaintext, removed
    afterwards whatever happens."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=".lxseal-", dir=beside.parent))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="lxseal-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def unsealed(path: Path, password: str | None, beside: Path, refused: str) -> Iterator[Path]:
    """`path` itself when it is plain; else its contents decrypted and fully
    verified into a temporary file (same name, private folder beside the
    database), removed afterwards. A refusal ends with `refused` (e.g.
    "，未导入"): nothing has been read from the file, nothing changed."""
    path = Path(path)
    if not sealed.is_sealed(path):
        yield path
        return
    if not password:
        raise PasswordNeeded(f"{fmt.NEED_PASSWORD}{refused}")
    with plain_folder(beside) as folder:
        plain = folder / path.name
        try:
            sealed.open_sealed(path, plain, password)
        except UserError as err:
            raise UserError(f"{err}{refused}") from err
        except OSError as exc:
            raise file_error("无法读取文件", exc, path) from exc
        yield plain


def write_sealed(dest: Path, password: str, beside: Path,
                 write_plain: Callable[[Path], None]) -> None:
    """Have `write_plain` write the file into the private folder beside the
    database, then seal it to `dest` (through `dest.part`). OSError from the
    sealing is left to the caller, who knows what the file was."""
    with plain_folder(beside) as folder:
        plain = folder / dest.name
        write_plain(plain)
        sealed.seal_file(plain, dest, password)


def leaves_data_folder(live: Path, target: Path) -> bool:
    """Whether a file written to `target` leaves the data folder: the folder of
    the database `live` itself or its rotating backups folder. Only those are
    sealed (a folder beneath either is a chosen place like any other)."""
    home = {live.resolve().parent, paths.backups_dir(live).resolve()}
    return target.resolve().parent not in home


def sealed_backup(db: Database, live: Path, target: Path, password: str) -> Path:
    """A verified online backup of `live`, sealed to `target`."""
    write_sealed(target, password, live,
                 lambda plain: backup.backup_database(db, live, reason="manual", dest=plain))
    return target
