"""Where the database file lives: SQLite's WAL mode needs a local disk.

DESIGN.md: WAL does not work on network shares (its shared-memory index cannot be
shared between machines), so a database opened from one is warned about. A share
is recognised by its path (a Windows UNC path or a mapped network drive) or, on
Linux, by the file system it is mounted on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "davfs", "fuse.sshfs", "fuse.davfs2", "fuse.gvfsd-fuse", "fuse.smbnetfs", "lustre",
})
DRIVE_REMOTE = 4  # GetDriveTypeW


def on_network_share(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    """Whether `path` (a file or where it will be created) is on a network share."""
    if str(path).startswith("\\\\"):  # \\server\share\...
        return True
    if sys.platform == "win32":
        return _windows_remote_drive(path)
    return _mount_type(path, mounts_file) in NETWORK_FILESYSTEMS


def _windows_remote_drive(path: Path) -> bool:
    import ctypes

    drive = Path(os.path.abspath(path)).drive
    if not drive:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def _mount_type(path: Path, mounts_file: Path) -> str:
    """The file-system type of the mount holding `path` ('' when unknown)."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    target = os.path.realpath(path)
    best, kind = "", ""
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind
