"""Rotation as a property: whatever the folder holds, the promises hold."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.db.backup_rotation import (
    KEEP_DAILY, KEEP_NAMED_DAYS, KEEP_NAMED_LAST, BackupInfo, backup_file_name, kept_backups,
    list_backups, rotate,
)

BASE = datetime(2026, 1, 1, tzinfo=timezone.utc)
REASONS = ["", "daily", "manual", "import", "before-restore", "before-migration-v3",
           "before-restore-damaged"]

backup_sets = st.lists(
    st.tuples(st.integers(0, 200 * 24 * 60), st.sampled_from(REASONS)),
    max_size=80, unique_by=lambda t: t[0])
nows = st.integers(0, 260 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))


def _infos(spec) -> list[BackupInfo]:
    infos = []
    for minute, reason in spec:
        when = BASE + timedelta(minutes=minute)
        infos.append(BackupInfo(Path(backup_file_name(Path("live"), reason, when)), when, reason))
    return sorted(infos, key=lambda b: b.taken_at, reverse=True)


@settings(max_examples=300, deadline=None)
@given(backup_sets, nows)
def test_rotation_keeps_its_promises(spec, now):
    backups = _infos(spec)
    kept = set(kept_backups(backups, KEEP_DAILY, now))
    good = [b for b in backups if not b.damaged]
    for group in (good, [b for b in backups if b.damaged]):
        named = [b for b in group if b.named]
        assert set(named[:KEEP_NAMED_LAST]) <= kept  # the newest 10 named copies
        assert {b for b in named if now - b.taken_at < timedelta(days=KEEP_NAMED_DAYS)} <= kept
    if good:
        assert good[0] in kept  # never the last good copy
    newest_per_day: dict = {}
    for b in good:
        newest_per_day.setdefault(b.taken_at.date(), b)
    assert set(list(newest_per_day.values())[:KEEP_DAILY]) <= kept
    oldest_per_month: dict = {}
    for b in reversed(good):
        oldest_per_month.setdefault((b.taken_at.year, b.taken_at.month), b)
    assert set(oldest_per_month.values()) <= kept
    # Rotating again deletes nothing more.
    again = sorted(kept, key=lambda b: b.taken_at, reverse=True)
    assert set(kept_backups(again, KEEP_DAILY, now)) == kept


@settings(max_examples=200, deadline=None)
@given(backup_sets, backup_sets, nows)
def test_damaged_copies_never_change_which_good_copies_are_kept(spec, extra, now):
    good = [(m, r) for m, r in spec if not r.endswith("damaged")]
    damaged = [(m + 1, "before-restore-damaged") for m, _ in extra
               if m + 1 not in {g for g, _ in good}]
    alone = {b.path.name for b in kept_backups(_infos(good), KEEP_DAILY, now)}
    mixed = kept_backups(_infos(good + damaged), KEEP_DAILY, now)
    assert {b.path.name for b in mixed if not b.damaged} == alone


@settings(max_examples=40, deadline=None)
@given(backup_sets, nows)
def test_rotate_deletes_exactly_what_is_not_kept(spec, now):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for info in _infos(spec):
            (folder / info.path.name).write_bytes(b"x")
        (folder / "notes.sqlite3").write_bytes(b"x")  # not a backup's name: never touched
        expected = {b.path.name for b in kept_backups(list_backups(folder), KEEP_DAILY, now)}
        rotate(folder, now=now)
        assert {p.name for p in folder.iterdir()} == expected | {"notes.sqlite3"}
