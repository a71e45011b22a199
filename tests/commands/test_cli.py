"""Every user-facing command, run as a user would (in-process, through typer)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.demo.server import DemoSite
from tests.conftest import LOOPBACK_ENV

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns otherwise
    monkeypatch.setenv(*LOOPBACK_ENV)  # the demo site is on 127.0.0.1, which the SSRF guard refuses
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_help_explains_every_command(cli: CliRunner) -> None:
    result = cli.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "status", "stats", "serve", "translate", "extract", "demo", "sources", "config"):
        assert command in result.output


@needs_apertium
def test_translate_stdin_to_stdout(cli: CliRunner) -> None:
    result = cli.invoke(
        app,
        ["translate", "--from", "es", "--to", "en"],
        input="El gato & el perro.\nEl perro & el gato.\n\nBuenos días.\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["The cat & the dog. The dog & the cat.", "", "Good morning."]


@needs_apertium
def test_translate_lines_gives_one_line_per_input_line(cli: CliRunner) -> None:
    source = "El Sr. García llegó a EE. UU. el martes. Traía 3,5 kilos.\n\nHay 175.000 personas.\n"
    result = cli.invoke(
        app, ["translate", "--from", "es", "--to", "en", "--lines", "--no-memory"], input=source
    )
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert lines[1] == "" and lines[2] == "There are 175,000 people."
    assert "3.5" in lines[0] and len(lines) == 4  # three input lines, then the final newline


@needs_apertium
def test_translate_html_keeps_links(cli: CliRunner) -> None:
    source = 'Visite <a href="https://diario.example/">el diario</a> <script>alert(1)</script>hoy.'
    result = cli.invoke(app, ["translate", "--from", "es", "--to", "en", "--format", "html"], input=source)
    assert result.exit_code == 0, result.output
    assert '<a href="https://diario.example/" rel="noopener noreferrer nofollow">' in result.output
    assert "script" not in result.output


@needs_apertium
def test_translation_memory_shows_in_stats(cli: CliRunner) -> None:
    for _ in range(2):
        cli.invoke(app, ["translate", "--from", "es", "--to", "en"], input="El gato duerme. El perro come.")
    stats = cli.invoke(app, ["stats"])
    assert stats.exit_code == 0, stats.output
    row = next(line for line in stats.output.splitlines() if "es->en" in line and "apertium" in line)
    assert re.search(r"│\s*2\s*│\s*2\s*│\s*50\.0%", row), row  # 2 sentences sent once, then remembered


def test_translate_with_unknown_engine_is_a_one_line_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["translate", "--from", "es", "--to", "en", "--engine", "nope"], input="hola\n")
    assert result.exit_code == 1
    assert "unknown engine 'nope'" in result.output and "apertium" in result.output


def test_sources_add_list_export_import(cli: CliRunner, tmp_path: Path) -> None:
    added = cli.invoke(
        app,
        [
            "sources",
            "add",
            "https://diario.example/rss.xml",
            "--name",
            "Diario",
            "--language",
            "es",
            "--kind",
            "feed",
        ],
    )
    assert added.exit_code == 0, added.output
    listing = cli.invoke(app, ["sources", "list"])
    assert "Diario" in listing.output and "never" in listing.output
    exported = cli.invoke(app, ["sources", "export", str(tmp_path / "feeds.opml")])
    assert exported.exit_code == 0
    assert b'xmlUrl="https://diario.example/rss.xml"' in (tmp_path / "feeds.opml").read_bytes()

    other = tmp_path / "other"
    other.mkdir()
    imported = cli.invoke(
        app, ["sources", "import", str(tmp_path / "feeds.opml")], env={"BABELWIRE_DATA_DIR": str(other)}
    )
    assert "imported 1 sources" in imported.output
    assert "Diario" in cli.invoke(app, ["sources", "list"], env={"BABELWIRE_DATA_DIR": str(other)}).output


@pytest.mark.parametrize("url", ["ftp://x.example/feed", "diario.example/rss"])
def test_sources_add_refuses_non_http(cli: CliRunner, url: str) -> None:
    result = cli.invoke(app, ["sources", "add", url])
    assert result.exit_code == 1 and "not an http(s) URL" in result.output


def test_import_of_a_broken_opml_names_the_fix(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline")
    result = cli.invoke(app, ["sources", "import", str(bad)])
    assert result.exit_code == 1 and "not valid OPML" in result.output and "fix:" in result.output


@needs_apertium
def test_run_once_then_status(cli: CliRunner) -> None:
    with DemoSite() as site:
        cli.invoke(app, ["sources", "add", site.atom_url, "--name", "Diario", "--language", "es"])
        result = cli.invoke(app, ["run", "--once"])
    assert result.exit_code == 0, result.output
    assert "8 published" in result.output and "0 failed" in result.output
    status = cli.invoke(app, ["status"])
    assert "published" in status.output and "8" in status.output


def test_config_shows_effective_settings(cli: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "custom.toml"
    config.write_text('site_title = "Mi Wire"\n')
    result = cli.invoke(app, ["--config", str(config), "config"], env={"BABELWIRE_TARGET_LANGUAGES": "en,ca"})
    assert "site_title = 'Mi Wire'" in result.output
    assert "target_languages = ['en', 'ca']" in result.output


def test_bad_configuration_is_a_one_line_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["config"], env={"BABELWIRE_POLL_INTERVAL": "often"})
    assert result.exit_code == 1 and "invalid configuration" in result.output
