"""Trim what PyInstaller's Qt hooks collect but the app has no use for.

Used by liangxin.spec. The hooks take every plugin of every Qt module the app
imports; some of those plugins drag in whole system library stacks (the GTK 3
platform theme brings GTK, Pango, Cairo …). Dropping a plugin alone would leave
those libraries behind as orphans, so `prune` also removes every library that
only the dropped files needed, and nothing that a kept file still links to.
"""

from __future__ import annotations

import posixpath
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import PurePath

# Qt plugins the app never uses, as (folder, file stem): Linux names them
# "libqvnc.so", Windows "qvnc.dll". Whole folders are listed with stem "".
UNUSED_QT_PLUGINS = (
    # Platform plugins for embedded screens and remote framebuffers: an office
    # PC runs X11 or Wayland (Linux) or Windows; offscreen stays for the self-test.
    ("platforms", "qeglfs"), ("platforms", "qlinuxfb"), ("platforms", "qminimalegl"),
    ("platforms", "qvnc"), ("platforms", "qvkkhrdisplay"), ("platforms", "qminimal"),
    ("egldeviceintegrations", ""), ("generic", ""),
    # The GTK 3 theme would ship a partial GTK stack that must match the
    # desktop's own; Qt's built-in Fusion style looks the same everywhere.
    ("platformthemes", "qgtk3"),
    # Image formats no screen shows (PNG is built in; ICO, SVG, JPEG, GIF stay).
    ("imageformats", "qtiff"), ("imageformats", "qwebp"), ("imageformats", "qicns"),
    ("imageformats", "qtga"), ("imageformats", "qwbmp"), ("imageformats", "qpdf"),
    # QtNetwork serves only local sockets (one window per database): no TLS, so no
    # OpenSSL backend with its libssl and libcrypto, and no network-status probes.
    ("tls", ""), ("networkinformation", ""),
)

# Libraries better taken from the running system than bundled: the CUPS client
# must match the machine's print service (and would bring a TLS and Kerberos
# stack along). Qt's print plugin finds the system's libcups; the .deb depends on it.
# The D-Bus client likewise talks to the desktop's own bus daemon, is on every
# Linux desktop, and brings libsystemd, libgcrypt and lz4 (2.5 MB) along.
SYSTEM_LIBRARIES = ("libcups.so.2", "libdbus-1.so.3")


def is_unused_qt_file(dest: str) -> bool:
    """True for a collected Qt file the app has no use for: a listed plugin,
    or any Qt translation other than Simplified Chinese (the only UI language)."""
    path = _norm(dest)
    if "/translations/" in path and path.endswith(".qm"):
        return not path.endswith("_zh_CN.qm")
    if "/plugins/" not in path:
        return False
    folder, _, name = path.rpartition("/plugins/")[2].rpartition("/")
    return any(folder == unused and (not stem or name.startswith((f"lib{stem}.", f"{stem}.")))
               for unused, stem in UNUSED_QT_PLUGINS)


def _name(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name.lower()


def prune(binaries: list, datas: list,
          imports_of: Callable[[str], Iterable[str]]) -> tuple[list, list, list[str]]:
    """Return (binaries, datas, removed destination names).

    `binaries`/`datas` are PyInstaller TOC lists of (dest, source, typecode);
    `imports_of(source)` gives the library names a binary links to. SYMLINK
    entries (dest, target, "SYMLINK") go with the file they point at.
    """
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    dropped = [entry for entry in files if _left_out(entry[0])]
    kept = [entry for entry in files if not _left_out(entry[0])]
    by_name = {_name(entry[0]): entry for entry in kept}
    orphans = _reachable([entry[1] for entry in dropped], by_name, imports_of)
    roots = [entry[1] for entry in kept if _name(entry[0]) not in orphans]
    orphans -= _reachable(roots, by_name, imports_of)
    removed = {_norm(entry[0]) for entry in dropped}
    removed |= {_norm(entry[0]) for entry in kept if _name(entry[0]) in orphans}
    removed |= {_norm(entry[0]) for entry in datas if is_unused_qt_file(entry[0])}

    def keep(entry: tuple) -> bool:
        if entry[2] == "SYMLINK":  # the target is relative to the link's folder
            target = posixpath.join(posixpath.dirname(_norm(entry[0])), _norm(entry[1]))
            return posixpath.normpath(target) not in removed
        return _norm(entry[0]) not in removed

    return ([e for e in binaries if keep(e)], [e for e in datas if keep(e)], sorted(removed))


# OpenSSL, which PyInstaller's QtNetwork hook adds for the TLS backend left out
# above; nothing else links to it (Python's ssl and _hashlib are excluded too).
OPENSSL_PREFIXES = ("libssl.so", "libcrypto.so", "libssl-", "libcrypto-")


def _left_out(dest: str) -> bool:
    name = _name(dest)
    return (is_unused_qt_file(dest) or name in SYSTEM_LIBRARIES
            or name.startswith(OPENSSL_PREFIXES))


def _norm(path: str) -> str:
    return path.replace("\\", "/")


def _reachable(sources: list[str], by_name: dict, imports_of: Callable) -> set[str]:
    """Names of collected libraries that `sources` link to, directly or not."""
    seen: set[str] = set()
    todo = list(sources)
    while todo:
        for name in imports_of(todo.pop()):
            key = _name(name)
            if key in by_name and key not in seen:
                seen.add(key)
                todo.append(by_name[key][1])
    return seen


def direct_imports(source: str) -> list[str]:
    """The libraries a binary links to directly (its own imports, not theirs).

    ELF files: DT_NEEDED through objdump, which PyInstaller itself requires on
    Linux (PyInstaller's get_imports runs ldd there, which lists the whole
    closure and would make every library look needed by every plugin).
    Elsewhere PyInstaller's own reader, which gives direct imports."""
    if sys.platform.startswith("linux"):
        done = subprocess.run(["objdump", "-p", source], capture_output=True, text=True)
        return [line.split()[1] for line in done.stdout.splitlines()
                if line.strip().startswith("NEEDED")]
    from PyInstaller.depend import bindepend

    try:
        return [name for name, _ in bindepend.get_imports(source)]
    except Exception:  # noqa: BLE001 — a file it cannot parse links to nothing we track
        return []
