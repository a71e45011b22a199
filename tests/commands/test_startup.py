"""`babelwire --help` and every `babelwire X --help` answer without loading the heavy libraries.

Not a timer (these machines are noisy): the test runs the CLI in a fresh interpreter and checks
which modules it imported. The commands import what they use inside the command.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "sqlalchemy", "alembic", "trafilatura", "lxml", "celery", "kombu", "redis", "ctranslate2",
    "sentencepiece", "fastapi", "starlette", "uvicorn", "httpx", "feedparser", "jinja2", "nh3",
    "sacrebleu", "py3langid", "babelwire.store", "babelwire.extract", "babelwire.web",
    "babelwire.pipeline.embedded", "babelwire.translate.engines", "babelwire.config",
)  # fmt: skip
COMMANDS = [
    [], ["sources"], ["sources", "add"], ["models"], ["models", "pull"], ["held"], ["admin"],
    ["admin", "set-password"], ["review"], ["run"], ["status"], ["stats"], ["serve"], ["translate"],
    ["segment"], ["extract"], ["demo"], ["doctor"], ["worker"], ["scheduler"], ["config"],
    ["filters"], ["filters", "add"], ["filters", "check"],
]  # fmt: skip
PROBE = """
import json, sys
sys.argv = ["babelwire", *json.loads(sys.argv[1]), "--help"]
from babelwire.cli import app
try:
    app()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def loaded_by_help(args: list[str]) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, timeout=60
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "babelwire")
def test_help_loads_no_heavy_module(args: list[str]) -> None:
    code, modules = loaded_by_help(args)
    assert code in (0, None)
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == [], f"babelwire {' '.join(args)} --help imported {heavy}"
    assert "babelwire.cli" in modules  # the probe really ran the CLI


def test_a_command_still_loads_what_it_uses() -> None:
    # The check above would pass on a CLI that imports nothing at all: `config` must load settings.
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['babelwire','config']\n"
         "from babelwire.cli import app\ntry:\n    app()\nexcept SystemExit:\n    pass\n"
         "print('babelwire.config' in sys.modules, file=sys.stderr)"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stderr.strip().splitlines()[-1] == "True"
    assert "target_languages" in result.stdout
