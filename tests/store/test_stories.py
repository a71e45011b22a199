"""Stories as readers see them, on both backends: the top-stories ranking and its window, a story's
versions and copies, the story of items, what is held staying out, and index-backed plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from babelwire.store.db import Store
from babelwire.store.models import ListingRow
from babelwire.store.stories import (
    _members,
    _numbers_query,
    copies_of,
    get_story,
    story_briefs,
    story_languages,
    story_of_item,
    top_stories,
    window_start,
)
from tests.story_rows import T0, StoryWriter, sample_wire

NOW = T0 + timedelta(days=2)


@dataclass
class Wire:
    store: Store
    ids: dict[str, int]


@pytest.fixture
def wire(store: Store) -> Wire:
    """tests/story_rows.py's sample wire: stories 1 to 5, a held version, a copy, an article alone."""
    return Wire(store, sample_wire(store))


def test_top_stories_rank_by_sources_then_languages_then_recency(wire: Wire) -> None:
    with wire.store.session() as session:
        found, total = top_stories(session, "en", limit=10, now=NOW)
    assert total == 4  # story 4 is outside the window; the article without a story is in none
    assert [s.id for s in found] == [1, 2, 3, 5]
    one, two, three, five = (s.numbers for s in found)
    assert (one.sources, one.languages, one.versions) == (4, 2, 3)  # the agency copy counts as a source
    assert (two.sources, two.languages, two.versions) == (2, 2, 2)  # the held version does not
    assert (three.sources, three.languages) == (five.sources, five.languages) == (1, 1)
    assert three.latest > five.latest  # the tie goes to the newer
    assert found[0].source_names == ("Agencia", "Diario", "Gaceta", "Herald")


def test_the_lead_is_the_newest_version_in_the_reader_s_language(wire: Wire) -> None:
    with wire.store.session() as session:
        english, _ = top_stories(session, "en", limit=1, now=NOW)
        spanish, _ = top_stories(session, "es", limit=1, now=NOW)
    assert english[0].lead.id == wire.ids["s1_herald"] and english[0].lead.title == "Flood at the harbour"
    assert not english[0].lead.is_machine_translated
    assert spanish[0].lead.id == wire.ids["s1_gaceta"]  # newer than the Diario's, both in Spanish
    with wire.store.session() as session:
        five, _ = top_stories(session, "es", limit=1, offset=3, now=NOW)
    assert five[0].id == 5 and five[0].lead.is_machine_translated  # no Spanish original: translated


def test_pages_of_top_stories_and_the_window(wire: Wire) -> None:
    with wire.store.session() as session:
        second, total = top_stories(session, "en", limit=2, offset=2, now=NOW)
        past, _ = top_stories(session, "en", limit=2, offset=4, now=NOW)
        wide, wide_total = top_stories(session, "en", limit=10, window=timedelta(days=30), now=NOW)
        newest = T0 + timedelta(hours=6)
        assert window_start(session, "en", timedelta(hours=1), NOW) == newest - timedelta(hours=1)
        # An article dated in the future does not move the window past now.
        assert window_start(session, "en", timedelta(hours=1), T0) == T0 - timedelta(hours=1)
        assert top_stories(session, "fr", limit=5, now=NOW) == ([], 0)
    assert [s.id for s in second] == [3, 5] and total == 4 and past == []
    assert wide_total == 5 and wide[-1].id == 4


def test_a_story_with_every_version_and_its_copies(wire: Wire) -> None:
    with wire.store.session() as session:
        story = get_story(session, "en", 1)
        assert story is not None
        assert [a.id for a in story.versions] == [
            wire.ids[k] for k in ("s1_gaceta", "s1_herald", "s1_diario")
        ]
        assert story.lead.id == wire.ids["s1_herald"]
        (copy,) = story.copies[wire.ids["s1_diario"]]
        assert (copy.item_id, copy.source_name) == (wire.ids["copy"], "Agencia")
        assert copy.url == f"https://agencia.example/copy-of-{wire.ids['s1_diario']}-{copy.source_id}"
        assert story.source_names == ("Agencia", "Diario", "Gaceta", "Herald")
        two = get_story(session, "en", 2)
        assert two is not None and wire.ids["s2_held"] not in {a.id for a in two.versions}
        assert get_story(session, "en", 999) is None
        assert story_languages(session, 1, ["ca", "es", "en"]) == ["es", "en"]


def test_a_story_whose_versions_are_all_held_is_not_shown(store: Store) -> None:
    w = StoryWriter(store)
    source = w.source("Diario", "https://diario.example/rss")
    w.article(source, 7, "Retenida", verdict="hold")
    with store.session() as session:
        assert get_story(session, "en", 7) is None
        assert top_stories(session, "en", limit=5, now=NOW) == ([], 0)


def test_the_story_of_items_for_search_grouping(wire: Wire) -> None:
    ids = wire.ids
    with wire.store.session() as session:
        briefs = story_briefs(session, "en", [ids["s1_diario"], ids["s1_gaceta"], ids["s3"], ids["no_story"]])
        assert set(briefs) == {ids["s1_diario"], ids["s1_gaceta"], ids["s3"]}
        assert briefs[ids["s1_diario"]] == briefs[ids["s1_gaceta"]]
        assert (
            briefs[ids["s1_diario"]].title == "Flood at the harbour"
            and briefs[ids["s3"]].numbers.versions == 1
        )
        assert story_of_item(session, "en", ids["no_story"]) is None
        assert story_of_item(session, "en", ids["s2_held"]) is None  # not listed: no story to show
        assert story_briefs(session, "en", []) == {}
        assert copies_of(session, [ids["s1_diario"], ids["s1_herald"]]).keys() == {ids["s1_diario"]}


def _plan(store: Store, query: object) -> str:
    compiled = query.compile(store.engine, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            return "\n".join(str(row[-1]) for row in rows)
        connection.execute(text("SET enable_seqscan = off"))  # what it would do at scale: index if it can
        return "\n".join(str(row[0]) for row in connection.execute(text(f"EXPLAIN {compiled}")))


def test_the_ranking_and_a_story_are_index_reads(wire: Wire) -> None:
    since = datetime(2026, 3, 1, tzinfo=UTC)
    ranking = _plan(wire.store, _numbers_query("en", ListingRow.sort_at >= since))
    members = _plan(wire.store, _numbers_query("en", _members([1, 2])))
    if wire.store.engine.dialect.name == "sqlite":
        assert "SEARCH listings USING INDEX ix_listings_language_sort (language=? AND sort_at>?)" in ranking
        assert "ix_items_copy_of_id (copy_of_id=?)" in ranking
        assert "ix_items_story_id (story_id=?)" in members and "ix_items_copy_of_id" in members
        for plan in (ranking, members):
            assert "SCAN listings" not in plan and "SCAN items" not in plan and "ix_items_status" not in plan
    else:
        for plan in (ranking, members):
            assert "Seq Scan on listings" not in plan and "Seq Scan on items" not in plan, plan
        # A story's members: on a dozen rows PostgreSQL reads the language's few listings by index
        # rather than the story index; at scale its statistics choose by story (SQLite proves the shape).
        assert "ix_listings_language_sort" in ranking
