"""`babelwire filters list|add|remove|check` and `status` as a user runs them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.domain import FeedItem, Source
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemStatus

CONFIG = """
[filters]
rules = ["block title:horoscope"]
[filters.sources]
"El Diari" = ["keep language:ca"]
"Ghost Paper" = ["block title:x"]
"""


@pytest.fixture
def wire(tmp_path: Path) -> Iterator[Store]:
    """The CLI's own SQLite store (cli sets BABELWIRE_DATA_DIR to tmp_path/data), with two sources."""
    (tmp_path / "data").mkdir()
    store = Store(f"sqlite:///{tmp_path / 'data' / 'babelwire.db'}")
    with store.session() as session, session.begin():
        queries.upsert_source(session, Source("El Diari", "https://diari.example/rss"))
        queries.upsert_source(session, Source("Gaceta", "https://gaceta.example/feed"))
    yield store
    store.close()


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "babelwire.toml"
    config.write_text(CONFIG)
    monkeypatch.setenv("BABELWIRE_CONFIG", str(config))
    return config


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, ["filters", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_add_list_check_and_remove(cli: CliRunner, wire: Store, configured: Path) -> None:
    assert "added block url:/\\/esports\\// (global, rule #1)" in run(cli, "add", "block url:/\\/esports\\//")
    assert "added keep category:economia (Gaceta, rule #2)" in run(
        cli, "add", "--source", "Gaceta", "keep", "category:economia"
    )
    listed = run(cli, "list")
    assert "block title:horoscope" in listed and "every source" in listed
    assert "El Diari" in listed and "keep language:ca" in listed
    assert "Ghost Paper (no such source)" in listed  # a configured key no source has
    assert "block url:/\\/esports\\//" in listed and "keep category:economia" in listed

    assert "excluded by rule block title:horoscope (global)" in run(cli, "check", "--title", "Horoscope!")
    assert "excluded by rule block url:/\\/esports\\// (global, rule #1)" in run(
        cli, "check", "--url", "https://diari.example/esports/a"
    )
    # El Diari keeps Catalan only (a configured rule for it by name); Gaceta keeps economy stories.
    assert "excluded by rule keep language:ca (El Diari)" in run(
        cli, "check", "-s", "1", "--language", "es-ES"
    )
    assert "kept: no rule excludes it (3 rules apply)" in run(cli, "check", "-s", "1", "--language", "ca")
    assert "kept" in run(cli, "check", "-s", "https://gaceta.example/feed", "--category", "Economia")
    assert "excluded by rule keep category:economia (Gaceta, rule #2)" in run(
        cli, "check", "-s", "2", "--category", "Esports", "--category", "Futbol"
    )
    assert "kept: no rule excludes it (2 rules apply)" in run(cli, "check", "--title", "Port news")

    assert "removed block url:/\\/esports\\// (global, rule #1)" in run(cli, "remove", "1")
    assert "kept" in run(cli, "check", "--url", "https://diari.example/esports/a")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "blok", "title:x"], "rule 'blok title:x': unknown action 'blok'; start the rule with"),
        (["add", "block url:/(a+)+/"], "filter regex has a nested repeat; use a short regex"),
        (["add", "--source", "99", "block title:x"], "there is no source '99'"),
        (["remove", "42"], "there is no stored rule 42"),
        (["check", "--source", "Nobody", "--title", "x"], "there is no source 'Nobody'"),
    ],
)
def test_mistakes_are_one_line_errors_with_the_fix(
    cli: CliRunner, wire: Store, args: list[str], says: str
) -> None:
    result = cli.invoke(app, ["filters", *args])
    assert result.exit_code == 1
    assert says in " ".join(result.output.split())


def test_a_repeated_rule_is_refused(cli: CliRunner, wire: Store) -> None:
    run(cli, "add", "block title:x")
    result = cli.invoke(app, ["filters", "add", "block", "title:x"])
    assert result.exit_code == 1 and "exists already as #1" in result.output


def test_a_bad_configured_rule_stops_every_command_naming_it(
    cli: CliRunner, wire: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[filters]\nrules = ["block title:x", "block tilte:y"]\n')
    monkeypatch.setenv("BABELWIRE_CONFIG", str(config))
    result = cli.invoke(app, ["filters", "list"])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(
        "error: invalid configuration: filters.rules: rule 2 'block tilte:y': unknown field"
    )
    assert "use one of title, body, url" in " ".join(result.output.split())


def test_no_rules_says_how_to_add_one(cli: CliRunner, wire: Store) -> None:
    assert "no filter rules: every article is translated (add one: babelwire filters add RULE)" in run(
        cli, "list"
    )


def test_status_shows_what_the_filters_excluded(cli: CliRunner, wire: Store) -> None:
    with wire.session() as session, session.begin():
        source = queries.list_sources(session)[0]
        feed = tuple(FeedItem(f"https://diari.example/{n}", str(n), f"Article {n}") for n in range(3))
        for row in queries.add_items(session, source, feed)[:2]:
            row.status, row.excluded_by = ItemStatus.EXCLUDED, "block title:horoscope (global)"
    result = cli.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "Excluded by filter rules" in result.output
    line = next(line for line in result.output.splitlines() if "block title:horoscope (global)" in line)
    assert "2" in line.split("block title:horoscope (global)")[1]
    assert any("excluded" in line and "2" in line for line in result.output.splitlines())
