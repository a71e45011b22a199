"""`babelwire demo --no-serve` end to end: both demo papers through the whole wire, into stories.

The shared events come out as stories with both papers as their sources, the agency story both
papers republished is one article with the other as its copy (one `duplicate` item), and every
other article is a story of its own. What the command prints is what README.md says it prints.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, SourceRow
from tests.commands.test_cli import cli  # noqa: F401  (the fixture)
from tests.demo.test_demo_stories import AGENCY, SAME_EVENTS

pytestmark = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa apertium-eng-cat"
)


def _key(item: ItemRow, paper_of_source: dict[int, str]) -> str:
    """The demo article an item is: `paper/slug`, as tests/demo names them."""
    return f"{paper_of_source[item.source_id]}/{item.url.rsplit('/', 1)[-1].removesuffix('.html')}"


def test_demo_shows_shared_events_as_stories_and_the_agency_copy_once(
    cli: CliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = tmp_path / "demo"
    result = cli.invoke(app, ["demo", "--no-serve", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "Demo news site (Spanish) serving at http://127.0.0.1:" in result.output
    assert "Demo news site (Catalan) serving at http://127.0.0.1:" in result.output
    assert "0 failed" in result.output
    assert "1 copy of an earlier article (listed under them as also published by)" in result.output

    store = Store(f"sqlite:///{(data / 'babelwire.db').resolve()}")
    try:
        with store.session() as session:
            papers = {
                source.id: "diario" if source.name.startswith("El Diario") else "gaseta"
                for source in session.scalars(select(SourceRow))
            }
            items = {_key(item, papers): item for item in session.scalars(select(ItemRow))}
    finally:
        store.close()
    statuses = defaultdict(set)
    for key, item in items.items():
        statuses[item.status].add(key)
    # One of the two agency versions (the first to reach the stories stage is the original).
    assert len(statuses[ItemStatus.DUPLICATE]) == 1 and statuses[ItemStatus.DUPLICATE] < set(AGENCY)
    assert set(statuses) == {ItemStatus.PUBLISHED, ItemStatus.DUPLICATE}, dict(statuses)
    (copy_key,) = statuses[ItemStatus.DUPLICATE]
    copy, original = items[copy_key], items[next(key for key in AGENCY if key != copy_key)]
    assert copy.copy_of_id == original.id and copy.story_id == original.story_id is not None

    by_story: dict[int, set[str]] = defaultdict(set)
    for key, item in items.items():
        assert item.story_id is not None, key
        by_story[item.story_id].add(key)
    shared = sorted(sorted(keys) for keys in by_story.values() if len(keys) > 1)
    assert shared == sorted(sorted(pair) for pair in (*SAME_EVENTS, AGENCY))
