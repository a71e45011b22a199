"""Schemathesis over the whole API, with every check, without a token and with one.

Schemathesis (PyPI, not written here) reads /api/v1/openapi.json and sends what the schema
allows and what it forbids: every answer must be documented, conform to its response schema,
and refuse exactly what the schema refuses. It writes (adds sources, releases translations),
so it runs against a scratch copy of the demo store. Every phase runs, stateful included, with a
fixed seed and a bounded number of examples so a run stays near a minute on a loaded machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.web.conformance.conftest import LiveSite

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PHASES = "examples,coverage,fuzzing,stateful"


def require_schemathesis() -> None:
    require_tool(SCHEMATHESIS.exists(), "the schemathesis CLI", "it is in the dev lock: make install")


def run_schemathesis(site: LiveSite, tmp_path: Path, *headers: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{site.base_url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--seed",
        "14",
        "--max-examples",
        "25",
        "--request-timeout",
        "30",
        "--report-dir",
        str(tmp_path),
        *(f"--header={header}" for header in headers),
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1", "HOME": str(tmp_path)}
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)


@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "token"])
def test_schemathesis_finds_nothing(
    scratch_site: Callable[[], AbstractContextManager[LiveSite]], tmp_path: Path, with_token: bool
) -> None:
    require_schemathesis()
    with scratch_site() as site:
        headers = [f"Authorization: Bearer {site.token}"] if with_token else []
        result = run_schemathesis(site, tmp_path, *headers)
    assert result.returncode == 0, result.stdout + result.stderr
