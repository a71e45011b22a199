"""`babelwire doctor` as a user runs it: one line per need, the fix under a failing one, exit 0 or 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.doctor.apertium import pair_fix
from babelwire.translate.engines.apertium import installed_modes
from tests.doctor.helpers import closed_port, needs_apertium


@needs_apertium
def test_demo_needs_on_this_machine_exit_0(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    if not {"spa-eng", "spa-cat"} <= installed_modes():
        pytest.skip("apt-get install apertium-eng-spa apertium-spa-cat")
    monkeypatch.setenv("BABELWIRE_TARGET_LANGUAGES", "en,ca")
    result = cli.invoke(app, ["doctor", "--demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in ("apertium", "apertium deformatter", "es->en", "es->ca", "database"):
        assert any(re.match(rf"OK\s+{re.escape(name)}\s{{2}}", line) for line in lines), name
    assert "FAIL" not in result.output and "fix:" not in result.output


@needs_apertium
def test_a_missing_pair_prints_its_fix_and_exits_1(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    if "spa-ita" in installed_modes():
        pytest.skip("this machine has apertium spa-ita")
    monkeypatch.setenv("BABELWIRE_TARGET_LANGUAGES", "en,it")
    result = cli.invoke(app, ["doctor", "--demo"])
    assert result.exit_code == 1
    failing = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert len(failing) == 2 and "es->it" in failing[0] and "ca->it" in failing[1]  # both demo papers
    for source in ("es", "ca"):
        assert f"fix: {pair_fix(source, 'it')}" in result.output


def test_an_unreachable_apy_fails_the_configured_setup(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("BABELWIRE_DEFAULT_ENGINE", "apertium-apy")
    monkeypatch.setenv(
        "BABELWIRE_ENGINE_OPTIONS", f'{{"apertium-apy": {{"url": "http://127.0.0.1:{port}"}}}}'
    )
    monkeypatch.setenv("BABELWIRE_ENGINES", '{"es-en": "apertium-apy"}')
    result = cli.invoke(app, ["doctor"])
    assert result.exit_code == 1
    server = [line for line in result.output.splitlines() if "apertium-apy server" in line]
    assert server and server[0].startswith("FAIL") and f"127.0.0.1:{port}" in server[0]
    assert "start APY" in result.output
    assert not (Path("data") / "babelwire.db").exists()  # the doctor never creates the store


def test_a_language_without_interface_strings_is_a_warning(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABELWIRE_TARGET_LANGUAGES", "es,de")
    output = cli.invoke(app, ["doctor", "--demo"]).output
    warned = [text for text in output.splitlines() if text.startswith("WARN")]
    assert len(warned) == 1 and re.match(r"WARN\s+interface strings\s{2,}none for de:", warned[0])
    assert "fix: copy " in output and "en.json to " in output
    assert output.splitlines()[-1].endswith("(1 warning)")
