"""A damaged database at start-up: restore the newest good backup, open another
file, or quit — never a dead end (see dialog.py)."""

from desktop.views.recovery.dialog import RecoveryDialog, open_or_recover

__all__ = ["RecoveryDialog", "open_or_recover"]
