"""Stored filter rules (filter_rules) and excluded items, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from babelwire.domain import FeedItem, Source
from babelwire.store import filter_rules, queries
from babelwire.store.db import Store
from babelwire.store.models import FilterRuleRow, ItemRow, ItemStatus, SourceRow
from babelwire.stories.filters import RuleError, parse_rule


def sources(store: Store) -> tuple[int, int]:
    with store.session() as session, session.begin():
        diari = queries.upsert_source(session, Source("El Diari", "https://diari.example/rss"))
        gaceta = queries.upsert_source(session, Source("Gaceta", "https://gaceta.example/feed"))
        return diari.id, gaceta.id


def test_rules_are_added_listed_scoped_and_removed(store: Store) -> None:
    diari, gaceta = sources(store)
    with store.session() as session, session.begin():
        everywhere = filter_rules.add_rule(session, parse_rule("block title:horoscope"))
        own = filter_rules.add_rule(session, parse_rule(r"block url:/\/esports\//"), diari)
        filter_rules.add_rule(session, parse_rule("keep language:es"), gaceta)
    assert everywhere.describe() == f"block title:horoscope (global, rule #{everywhere.stored_id})"
    assert own.describe() == rf"block url:/\/esports\// (El Diari, rule #{own.stored_id})"
    with store.session() as session:
        assert [r.text for r in filter_rules.stored_rules(session)] == [
            "block title:horoscope",
            r"block url:/\/esports\//",
            "keep language:es",
        ]
        mine = filter_rules.rules_for_source(session, diari)
        assert [(r.text, r.source_id, r.regex) for r in mine] == [
            ("block title:horoscope", None, False), (r"block url:/\/esports\//", diari, True)
        ]  # fmt: skip
        assert [r.text for r in filter_rules.stored_rules(session, everywhere=False)] == [
            "block title:horoscope"
        ]
    with store.session() as session, session.begin():
        assert filter_rules.remove_rule(session, own.stored_id or 0) == own.describe()
        assert filter_rules.remove_rule(session, own.stored_id or 0) is None
    with store.session() as session:
        assert [r.text for r in filter_rules.rules_for_source(session, diari)] == ["block title:horoscope"]


def test_an_unknown_source_or_a_repeated_rule_is_refused(store: Store) -> None:
    diari, _ = sources(store)
    with store.session() as session, session.begin():
        first = filter_rules.add_rule(session, parse_rule("block title:x"))
        filter_rules.add_rule(session, parse_rule("block title:x"), diari)  # the same words, another scope
        with pytest.raises(ValueError, match="no source 999"):
            filter_rules.add_rule(session, parse_rule("block title:y"), 999)
        with pytest.raises(ValueError, match=f"exists already as #{first.stored_id}"):
            filter_rules.add_rule(session, parse_rule("BLOCK title:x"))


def test_a_stored_row_that_no_longer_parses_says_how_to_remove_it(store: Store) -> None:
    with store.session() as session, session.begin():
        session.add(FilterRuleRow(action="block", field="title", pattern="(a+)+", regex=True))
    with store.session() as session:
        rule_id = session.scalar(select(FilterRuleRow.id))
        with pytest.raises(RuleError, match=f"remove it: babelwire filters remove {rule_id}"):
            filter_rules.stored_rules(session)
    with store.session() as session, session.begin():
        assert filter_rules.remove_rule(session, rule_id or 0) == f"rule #{rule_id}"


def test_rules_of_a_deleted_source_go_with_it(store: Store) -> None:
    diari, _ = sources(store)
    with store.session() as session, session.begin():
        filter_rules.add_rule(session, parse_rule("block title:x"), diari)
    with store.session() as session, session.begin():
        session.delete(session.get_one(SourceRow, diari))
    with store.session() as session:
        assert filter_rules.stored_rules(session) == []


def test_sources_are_found_by_id_url_or_name(store: Store) -> None:
    diari, gaceta = sources(store)
    with store.session() as session:
        found = [filter_rules.find_source(session, ref) for ref in (str(diari), "https://gaceta.example/feed",
                                                                   "el diari", "Nobody", "999")]  # fmt: skip
        assert [row.id if row else None for row in found] == [diari, gaceta, diari, None, None]


def test_items_keep_their_categories_and_excluded_ones_are_counted_by_rule(store: Store) -> None:
    diari, _ = sources(store)
    feed = (
        FeedItem("https://diari.example/a", "a", "A", categories=("Esports", "Futbol")),
        FeedItem("https://diari.example/b", "b", "B"),
        FeedItem("https://diari.example/c", "c", "C"),
    )
    with store.session() as session, session.begin():
        rows = queries.add_items(session, session.get_one(SourceRow, diari), feed)
        assert [row.categories for row in rows] == ["Esports\nFutbol", None, None]
        for row in rows:
            row.status, row.excluded_by = ItemStatus.EXCLUDED, "block title:x (global)"
        rows[2].excluded_by = "keep language:ca (El Diari)"
    with store.session() as session:
        assert filter_rules.excluded_counts(session) == [
            ("block title:x (global)", 2),
            ("keep language:ca (El Diari)", 1),
        ]
        latest = filter_rules.excluded_items(session, limit=2)
        assert [row.url for row in latest] == ["https://diari.example/c", "https://diari.example/b"]
        session.get_one(ItemRow, rows[0].id).status = ItemStatus.NEW  # only excluded items are listed
        assert len(filter_rules.excluded_items(session)) == 2
