"""Shared by the crash tests: run a writer child until a random moment, SIGKILL it,
and read back the fsynced log it kept (a line the kill cut short is trimmed)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest


def run_and_kill(writer: Path, args: list[str], delay: float) -> None:
    """Start `writer` with `args`, let it write for `delay` seconds after it prints
    "ready", then SIGKILL it. Fails the test if it dies by itself."""
    proc = subprocess.Popen([sys.executable, str(writer), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if proc.stdout.readline() != "ready\n":
            proc.wait(timeout=30)
            pytest.fail(f"writer did not start: {proc.stderr.read()}")
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.returncode != -signal.SIGKILL:
            pytest.fail(f"writer stopped by itself ({proc.returncode}): {proc.stderr.read()}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def whole_lines(log_path: Path) -> list[str]:
    """The log's complete lines; a last line the kill cut short is removed from the
    file too, so the next writer appends after a whole line."""
    data = log_path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if whole != data:
        log_path.write_bytes(whole)
    return whole.decode("utf-8").splitlines()
