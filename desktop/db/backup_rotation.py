"""The backups folder: what a backup is called and which copies rotation keeps.

A backup is `<db stem>-<UTC stamp>-<reason>.sqlite3`, e.g.
`liangxin-20260105-083000-123456-before-restore.sqlite3`; a copy of a damaged
database kept aside (for salvage, never as a good copy) ends in `-damaged`.

Rotation thins the automatic copies (Anki's daily/monthly thinning), but a copy
whose path the app has shown to the clerk ("恢复前的数据已另存为：…", the
import's backup, a manual backup, the one before a migration) is a promise: it
is kept for KEEP_NAMED_DAYS days and the newest KEEP_NAMED_LAST of them are
kept whatever their age. The newest good copy is never deleted.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from desktop.db.files import DB_SUFFIX, db_file_name

STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})(?:-(?P<reason>[\w-]+))?"
                   + re.escape(DB_SUFFIX) + "$")
KEEP_DAILY = 30  # days (that have a backup) whose newest good copy is kept
KEEP_NAMED_DAYS = 30  # a copy named to the clerk is kept at least this long …
KEEP_NAMED_LAST = 10  # … and the newest this many of them whatever their age
DAILY = "daily"
UNNAMED_REASONS = ("", DAILY)  # copies whose path the clerk was never shown
DAMAGED = "damaged"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file in the folder, as its name describes it."""

    path: Path
    taken_at: datetime
    reason: str

    @property
    def damaged(self) -> bool:
        """A copy of a damaged database, kept aside: never counted as good."""
        return self.reason == DAMAGED or self.reason.endswith("-" + DAMAGED)

    @property
    def named(self) -> bool:
        """Whether the app showed this copy's path to the clerk."""
        return self.reason not in UNNAMED_REASONS


def backup_file_name(db_path: Path, reason: str, when: datetime | None = None) -> str:
    """The file name of a new backup of `db_path` taken `when` (default: now)."""
    stamp = (when or datetime.now(timezone.utc)).strftime(STAMP)
    return db_file_name(f"{Path(db_path).stem}-{stamp}" + (f"-{reason}" if reason else ""))


def damaged_file_name(name: str) -> str:
    """'x-before-restore.sqlite3' -> 'x-before-restore-damaged.sqlite3'."""
    path = Path(name)
    return f"{path.stem}-{DAMAGED}{path.suffix}"


def is_damaged_copy(path: Path) -> bool:
    """Whether `path` is named as a copy of a damaged database."""
    return Path(path).stem.endswith("-" + DAMAGED)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in a folder, newest first; files not named like one are ignored."""
    found = []
    for path in Path(folder).glob(f"*{DB_SUFFIX}"):
        match = _NAME.match(path.name)
        if not match:
            continue
        try:
            taken = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=timezone.utc)
        except ValueError:  # digits in the right places, but no real date
            continue
        found.append(BackupInfo(path, taken, match["reason"] or ""))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def rotate(folder: Path, keep_daily: int = KEEP_DAILY, *, keep: Path | None = None,
           now: datetime | None = None) -> list[Path]:
    """Delete the backups rotation does not keep (see kept_backups) and return them.
    `keep` (the copy just written) is kept whatever its time stamp says."""
    backups = list_backups(folder)
    kept = {info.path.name for info in kept_backups(backups, keep_daily,
                                                    now or datetime.now(timezone.utc))}
    if keep is not None:
        kept.add(Path(keep).name)
    deleted = [info.path for info in backups if info.path.name not in kept]
    for path in deleted:
        with contextlib.suppress(OSError):  # a copy that cannot be deleted is merely kept
            path.unlink(missing_ok=True)
    return deleted


def kept_backups(backups: list[BackupInfo], keep_daily: int, now: datetime) -> list[BackupInfo]:
    """Of `backups` (newest first), the ones rotation keeps: the newest good copy
    of each of the last `keep_daily` days that have one; the oldest good copy of
    every month; every named copy younger than KEEP_NAMED_DAYS and the newest
    KEEP_NAMED_LAST named copies (good and damaged ones counted apart); and
    always the newest good copy."""
    good = [info for info in backups if not info.damaged]
    days: dict[date, BackupInfo] = {}
    for info in good:  # newest first: the first seen per day is its newest
        days.setdefault(info.taken_at.date(), info)
    months: dict[tuple[int, int], BackupInfo] = {}
    for info in reversed(good):  # oldest first: the first seen per month is its oldest
        months.setdefault((info.taken_at.year, info.taken_at.month), info)
    young = now - timedelta(days=KEEP_NAMED_DAYS)
    kept = {info.path.name for info in list(days.values())[:keep_daily]}
    kept |= {info.path.name for info in months.values()}
    # Damaged copies are counted apart, so they never crowd a good copy out.
    for group in (good, [info for info in backups if info.damaged]):
        named = [info for info in group if info.named]
        kept |= {info.path.name for info in named[:KEEP_NAMED_LAST]}
        kept |= {info.path.name for info in named if info.taken_at > young}
    kept |= {info.path.name for info in good[:1]}  # never the last good copy
    return [info for info in backups if info.path.name in kept]


def remove_stale_parts(folder: Path, now: datetime | None = None) -> None:
    """Delete `.part` files a crash or power cut left over an hour ago: they only
    eat the space the next backup needs (a running backup's are younger)."""
    cutoff = (now or datetime.now(timezone.utc)).timestamp() - 3600
    for path in Path(folder).glob("*.part*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def today_has_good_backup(folder: Path, today: date) -> bool:
    """Whether a good (not damaged) backup was taken on `today` (UTC)."""
    return any(info.taken_at.date() == today and not info.damaged
               for info in list_backups(folder))
