"""Build the one-folder bundle and its Linux packages (installer/README.md).

    python installer/build.py            # bundle + .tar.gz (Linux) into dist/
    python installer/build.py --deb      # … and the .deb as well
    python installer/build.py --self-test

The bundle is dist/liangxin/ with the windowed `liangxin` and the console
`liangxin-cli`. Needs PyInstaller (`pip install -e '.[build]'`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported by the tests
from project_version import version  # noqa: E402  (also build.version for the tests)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "liangxin.spec"
NAME = "liangxin"
PACKAGE = "liangxin-desk"
SIZE_LIMIT_MB = 165  # 150 until cryptography (12 MB, its Rust core with OpenSSL inside) joined for sealed files


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on liangxin.spec; returns the bundle folder."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT)
    bundle = dist / NAME
    if not (bundle / executable_name(NAME)).is_file():
        raise SystemExit(f"PyInstaller finished but {bundle} has no {executable_name(NAME)}")
    return bundle


def executable_name(name: str) -> str:
    """`name` with the platform's executable suffix."""
    return f"{name}.exe" if sys.platform == "win32" else name


def folder_size(folder: Path) -> int:
    """Bytes of all regular files under `folder` (symlinks not followed or counted twice)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(folder: Path, top: int = 8) -> str:
    """A few lines: total size, and the largest items directly in the bundle's
    library folder, so a size regression names its cause."""
    total = folder_size(folder)
    lines = [f"bundle {folder}: {total / 1e6:.1f} MB unpacked (limit {SIZE_LIMIT_MB} MB)"]
    internal = folder / "_internal"
    items = sorted(((folder_size(p) if p.is_dir() else p.lstat().st_size, p.name)
                    for p in internal.iterdir() if not p.is_symlink()),
                   reverse=True) if internal.is_dir() else []
    lines += [f"  {size / 1e6:6.1f} MB  {name}" for size, name in items[:top]]
    return "\n".join(lines)


def pack_tarball(bundle: Path, out_dir: Path, ver: str) -> Path:
    """The bundle as liangxin-desk-<version>-linux-<machine>.tar.gz, unpacking to
    liangxin-desk-<version>/ (modes kept, owner anonymised)."""
    machine = os.uname().machine if hasattr(os, "uname") else "x86_64"
    top = f"{PACKAGE}-{ver}"
    target = out_dir / f"{top}-linux-{machine}.tar.gz"

    def anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=top, filter=anonymous)
    return target


def run_self_test(bundle: Path) -> int:
    """Run the built GUI executable's --self-test offscreen; returns its exit code."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([str(bundle / executable_name(NAME)), "--self-test"], env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=300)
    print((done.stdout + done.stderr).strip())
    return done.returncode


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Options of this script."""
    parser = argparse.ArgumentParser(description="Build the Liangxin Desk bundle and packages.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder")
    parser.add_argument("--deb", action="store_true", help="also build the .deb (Linux)")
    parser.add_argument("--no-tar", action="store_true", help="skip the .tar.gz")
    parser.add_argument("--self-test", action="store_true", help="run the built app's self-test")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build everything asked for; returns the exit code."""
    args = parse_args(argv)
    ver = version()
    bundle = build_bundle(args.dist.resolve(), args.work.resolve())
    print(size_report(bundle))
    if sys.platform.startswith("linux") and not args.no_tar:
        print(f"tarball {pack_tarball(bundle, args.dist, ver)}")
    if args.deb:
        sys.path.insert(0, str(HERE))
        from build_deb import build_deb

        print(f"deb {build_deb(bundle, args.dist, ver)}")
    if sys.platform == "win32":
        print(f"next: iscc /DAppVersion={ver} installer\\windows\\liangxin.iss")
    if args.self_test:
        return run_self_test(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
