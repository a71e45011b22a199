"""What every CLI test starts from: a data directory of its own, a wide terminal, its own cwd."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns otherwise
    monkeypatch.chdir(tmp_path)
    return CliRunner()
