"""What the doctor tests share: settings on a temporary store, fake binaries, a closed port."""

from __future__ import annotations

import shutil
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from babelwire.config import Settings
from babelwire.doctor import CheckResult

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or shutil.which("dpkg-query") is None,
    reason="apt-get install apertium apertium-eng-spa apertium-spa-cat",
)


def doctor_settings(tmp_path: Path, **values: Any) -> Settings:
    """Settings on an SQLite store in tmp_path (not created until something opens it)."""
    values.setdefault("data_dir", tmp_path / "data")
    return Settings(**values)


def fake_apertium(directory: Path, modes: list[str]) -> str:
    """An `apertium` that lists only `modes` (and translates nothing): a machine missing pairs."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "apertium"
    listing = "\\n".join(modes)
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then printf "{listing}\\n"; exit 0; fi\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def line(results: list[CheckResult], name: str) -> CheckResult:
    """The result called `name` (fails the test, listing the names, when there is none)."""
    found = [result for result in results if result.name == name]
    assert found, f"no {name!r} line in {[result.name for result in results]}"
    return found[0]
