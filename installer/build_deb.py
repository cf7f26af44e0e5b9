"""Pack the PyInstaller bundle as a .deb for Debian-based desktops (UOS, Kylin).

    python installer/build_deb.py [dist/liangxin] [--out dist]

Layout: the bundle in /opt/liangxin-desk, launchers /usr/bin/liangxin and
/usr/bin/liangxin-cli, the desktop entry 两新党建工作台 and a hicolor icon.
Built with dpkg-deb (files owned by root without needing fakeroot).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEB = HERE / "deb"
PACKAGE = "liangxin-desk"
PREFIX = f"/opt/{PACKAGE}"
LAUNCHERS = {"liangxin": "liangxin", "liangxin-cli": "liangxin-cli"}  # /usr/bin name -> bundle exe
MAINTAINER = "Liangxin Desk maintainers <liangxin-desk@localhost>"
# Libraries PyInstaller leaves to the system (graphics drivers, display
# protocols, the CUPS client) or that the build machine lacked, by package and
# library file; every UOS/Kylin desktop has them.
SYSTEM_LIBRARIES = {
    "libgl1": ("libGL.so.1", "libGLX.so.0", "libGLdispatch.so.0"),
    "libegl1": ("libEGL.so.1",),
    "libxcb1": ("libxcb.so.1",),
    "libxcb-icccm4": ("libxcb-icccm.so.4",),
    "libxcb-keysyms1": ("libxcb-keysyms.so.1",),
    "libwayland-client0": ("libwayland-client.so.0",),
    "libwayland-cursor0": ("libwayland-cursor.so.0",),
    "libwayland-egl1": ("libwayland-egl.so.1",),
    "libcups2": ("libcups.so.2",),
    "libdbus-1-3": ("libdbus-1.so.3",),
}
GLIBC_SYMBOL = re.compile(rb"GLIBC_2\.(\d+)")


def required_glibc(bundle: Path) -> str:
    """The newest glibc symbol version any bundled binary asks for (e.g. '2.36'):
    the bundle runs only where libc6 is at least that new."""
    newest = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink() and _is_elf(path):
            found = (int(m) for m in GLIBC_SYMBOL.findall(path.read_bytes()))
            newest = max(newest, *found, 0)
    return f"2.{newest}"


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def architecture() -> str:
    """The Debian architecture name of this machine (amd64, arm64, …)."""
    done = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def control_text(version: str, installed_kib: int, glibc: str) -> str:
    """DEBIAN/control from the template."""
    depends = ", ".join([f"libc6 (>= {glibc})", *SYSTEM_LIBRARIES])
    return (DEB / "control.in").read_text(encoding="utf-8").format(
        version=version, architecture=architecture(), maintainer=MAINTAINER,
        installed_size=installed_kib, depends=depends)


def launcher_text(command: str, exe: str) -> str:
    """The /usr/bin script that runs the bundled executable `exe`."""
    return (DEB / "launcher.sh").read_text(encoding="utf-8").format(
        command=command, target=f"{PREFIX}/{exe}")


def stage(bundle: Path, root: Path, version: str) -> None:
    """Lay out the package tree under `root` (DEBIAN/ included)."""
    shutil.copytree(bundle, root / PREFIX.lstrip("/"), symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for command, exe in LAUNCHERS.items():
        _write(bin_dir / command, launcher_text(command, exe), 0o755)
    share = root / "usr" / "share"
    _write(share / "applications" / f"{PACKAGE}.desktop",
           (DEB / f"{PACKAGE}.desktop").read_text(encoding="utf-8"), 0o644)
    icon = share / "icons" / "hicolor" / "256x256" / "apps" / f"{PACKAGE}.png"
    icon.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "icons" / "icon.png", icon)
    icon.chmod(0o644)
    installed_kib = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file()) // 1024 + 1
    _write(root / "DEBIAN" / "control",
           control_text(version, installed_kib, required_glibc(bundle)), 0o644)


def _write(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def build_deb(bundle: Path, out_dir: Path, version: str, *, compression: str = "xz") -> Path:
    """Build liangxin-desk_<version>_<arch>.deb from the bundle; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE}_{version}_{architecture()}.deb"
    with tempfile.TemporaryDirectory(prefix="liangxin-deb-") as tmp:
        root = Path(tmp) / "root"
        stage(bundle, root, version)
        root.chmod(0o755)
        subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build",
                        str(root), str(target)], check=True, capture_output=True)
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the .deb from an existing bundle."""
    sys.path.insert(0, str(HERE))
    from project_version import version

    parser = argparse.ArgumentParser(description="Pack the bundle as a .deb")
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "liangxin")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--compression", default="xz", choices=("xz", "gzip", "zstd", "none"))
    args = parser.parse_args(argv)
    print(build_deb(args.bundle, args.out, version(), compression=args.compression))
    return 0


if __name__ == "__main__":
    sys.exit(main())
