"""`babelwire sources add|list|enable|disable` as a user runs them, against a site on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.demo.server import Response, SiteServer

DATA = Path(__file__).resolve().parents[1] / "sources" / "testdata"
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Diario del Puerto</title><id>urn:d</id>
<updated>2026-03-10T10:00:00Z</updated></feed>"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BABELWIRE_FETCH__ALLOWED_NETWORKS", '["127.0.0.0/8", "::1/128"]')
    monkeypatch.setenv("BABELWIRE_FETCH__PER_HOST_INTERVAL", "0")
    monkeypatch.setenv("BABELWIRE_FETCH__TOTAL_TIMEOUT", "5")
    monkeypatch.setenv("COLUMNS", "250")  # rich wraps at 80 columns otherwise
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _line(output: str, needle: str) -> str:
    return next(line for line in output.splitlines() if needle in line)


def test_add_auto_finds_the_feed_a_home_page_announces(cli: CliRunner) -> None:
    home = (DATA / "home-with-feeds.html").read_bytes()
    with SiteServer({"/": Response(body=home)}) as site:
        site.set_route("/atom.xml", Response(content_type="application/atom+xml", body=ATOM))
        result = cli.invoke(app, ["sources", "add", site.url("/"), "--language", "es"])
    assert result.exit_code == 0, result.output
    assert f"found an Atom feed at {site.url('/atom.xml')}" in result.output
    assert "source 1: Diario del Puerto" in result.output and "(feed)" in result.output
    listing = cli.invoke(app, ["sources", "list"]).output
    row = _line(listing, "Diario del Puerto")
    assert "feed" in row and "enabled" in row and "never" in row and "15m" in row


def test_add_auto_falls_back_to_an_index_page(cli: CliRunner) -> None:
    with SiteServer({"/ultimas": Response(body=(DATA / "index-page.html").read_bytes())}) as site:
        result = cli.invoke(app, ["sources", "add", site.url("/ultimas")])
    assert result.exit_code == 0, result.output
    assert "an index page with 3 article links" in result.output and "(index)" in result.output


def test_add_with_explicit_kind_and_link_pattern_does_not_fetch(cli: CliRunner) -> None:
    with SiteServer() as site:
        result = cli.invoke(app, ["sources", "add", site.url("/news"), "--link-pattern", r"/\d{4}/"])
        assert site.requests == []
    assert result.exit_code == 0, result.output
    assert "(index)" in result.output
    sitemap = cli.invoke(app, ["sources", "add", "https://diario.example/news.xml", "--kind", "sitemap"])
    assert sitemap.exit_code == 0 and "(sitemap)" in sitemap.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--link-pattern", "(a+)+"], "nested repeat"),
        (["--link-pattern", "(unclosed"], "invalid link pattern"),
        (["--kind", "feed", "--link-pattern", "x"], "--link-pattern is for index pages"),
    ],
)
def test_bad_link_patterns_are_one_line_errors(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(app, ["sources", "add", "https://diario.example/", *args])
    assert result.exit_code == 1 and message in result.output


def test_add_auto_of_an_unreachable_or_empty_site_names_the_fix(cli: CliRunner) -> None:
    with SiteServer({"/": Response(body=b"<html><body>hello</body></html>")}) as site:
        empty = cli.invoke(app, ["sources", "add", site.url("/")])
        missing = cli.invoke(app, ["sources", "add", site.url("/missing")])
    assert empty.exit_code == 1 and "no feed, news sitemap or article links found" in empty.output
    assert missing.exit_code == 1 and "cannot read" in missing.output and "404" in missing.output
    assert "--kind feed|sitemap|index" in missing.output
    assert "Diario" not in cli.invoke(app, ["sources", "list"]).output


def test_add_auto_refuses_a_private_address_that_is_not_allow_listed(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BABELWIRE_FETCH__ALLOWED_NETWORKS")
    with SiteServer({"/": Response(body=b"<html></html>")}) as site:
        result = cli.invoke(app, ["sources", "add", site.url("/")])
        assert site.requests == []
    assert result.exit_code == 1 and "cannot read" in result.output


def test_disable_then_enable_resets_errors(cli: CliRunner) -> None:
    feed = "https://diario.example/rss.xml"
    cli.invoke(app, ["sources", "add", feed, "--kind", "feed", "--name", "Diario"])
    disabled = cli.invoke(app, ["sources", "disable", "1", "--reason", "paywalled since March"])
    assert disabled.exit_code == 0 and "disabled: paywalled since March" in disabled.output
    assert "disabled: paywalled since March" in _line(cli.invoke(app, ["sources", "list"]).output, "Diario")
    enabled = cli.invoke(app, ["sources", "enable", "1"])
    assert enabled.exit_code == 0 and "enabled" in enabled.output
    row = _line(cli.invoke(app, ["sources", "list"]).output, "Diario")
    assert "enabled" in row and "paywalled" not in row
    missing = cli.invoke(app, ["sources", "enable", "42"])
    assert missing.exit_code == 1 and "there is no source 42" in missing.output
    assert "babelwire sources list" in missing.output
