"""The runner's polling on real parts: a local HTTP server, the real Fetcher, SQLite and PostgreSQL.

What each outcome does to its source: errors counted and backed off (never before a
server's Retry-After), the source disabled with its reason after N failures, adaptive
intervals and validators stored on success, WebSub hubs asked, pushed items picked up.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import select

from babelwire.config import FetchSettings, PollSettings, Settings, WebSubSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.domain import FeedItem, Source
from babelwire.fetch.fetcher import open_fetcher
from babelwire.pipeline import embedded
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.polling import Poller, interleave_by_host
from babelwire.pipeline.report import RunReport
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, SourceRow
from babelwire.store.sources import DueSource, due_sources
from tests.fetch.loopback import LoopbackOnlyBackend


def polite_settings(settings: Settings, **polling: object) -> Settings:
    """Test settings: 127.0.0.1 allowed, no per-host spacing, one request at a time (a fixed order)."""
    fetch = FetchSettings(
        allowed_networks=["127.0.0.1"],
        per_host_interval=0,
        concurrency=1,
        connect_timeout=2,
        read_timeout=2,
        total_timeout=3,
    )
    poll = PollSettings(**{"concurrency": 1, **polling})  # type: ignore[arg-type]
    return settings.model_copy(update={"fetch": fetch, "polling": poll})


def add_sources(store: Store, *sources: Source) -> list[int]:
    with store.session() as session, session.begin():
        return [queries.upsert_source(session, source).id for source in sources]


def poll_round(settings: Settings, store: Store, *, force: bool = True) -> RunReport:
    async def run() -> RunReport:
        report = RunReport()
        async with open_fetcher(settings.fetch, network_backend=LoopbackOnlyBackend()) as fetcher:
            await Poller(settings, store, fetcher, report).poll_due(force=force)
        return report

    return asyncio.run(run())


def source_row(store: Store, url: str) -> SourceRow:
    with store.session() as session:
        row = session.scalar(select(SourceRow).where(SourceRow.url == url))
    assert row is not None
    return row


def rss(*links: str, hub: str | None = None) -> Response:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{link}</title><link>{link}</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n))}</pubDate></item>"
        for n, link in enumerate(links)
    )
    hub_link = f'<atom:link rel="hub" href="{hub}"/>' if hub else ""
    body = (
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>'
        f"{hub_link}{items}</channel></rss>"
    )
    return Response(content_type="application/rss+xml", body=body.encode())


def test_a_source_failing_n_times_is_disabled_with_its_reason(settings: Settings, store: Store) -> None:
    settings = polite_settings(settings, max_failures=3)
    with SiteServer({"/feed": Response(status=500, body=b"oops")}) as server:
        url = server.url("/feed")
        add_sources(store, Source(name="broken", url=url))
        for attempt in (1, 2, 3):
            before = datetime.now(UTC)
            report = poll_round(settings, store)
            row = source_row(store, url)
            assert [f.reason for f in report.failures] == ["http_500"]
            assert row.error_count == attempt
            assert row.last_error and row.last_error.startswith("http_500")
            assert row.next_poll_at is not None and row.next_poll_at >= before + timedelta(seconds=900)
            assert row.enabled is (attempt < 3)
        assert row.disabled_reason == f"disabled after 3 consecutive failures: {row.last_error}"
        assert poll_round(settings, store).sources_polled == 0  # a disabled source is not polled again
        assert [r.path for r in server.requests].count("/feed") == 3


def test_retry_after_pushes_next_poll_out_and_pauses_the_host(settings: Settings, store: Store) -> None:
    settings = polite_settings(settings)
    busy = Response(status=429, body=b"slow down", headers={"Retry-After": "7200"})
    with SiteServer({"/a": busy, "/b": rss("https://example.org/x")}) as server:
        add_sources(store, Source(name="a", url=server.url("/a")), Source(name="b", url=server.url("/b")))
        before = datetime.now(UTC)
        report = poll_round(settings, store)
        first, second = source_row(store, server.url("/a")), source_row(store, server.url("/b"))
        asked = [r.path for r in server.requests]

    assert [f.reason for f in report.failures] == ["http_429"]
    # Backoff alone would say 900-1800 s; the server asked for two hours.
    assert first.next_poll_at is not None and first.next_poll_at >= before + timedelta(seconds=7200)
    assert first.error_count == 1
    # The same host's other source was not asked at all; waiting is not its failure.
    assert "/b" not in asked
    assert second.error_count == 0 and second.last_error is None
    assert second.next_poll_at is not None and second.next_poll_at >= before + timedelta(seconds=7000)


def test_success_stores_items_validators_and_an_adaptive_interval(settings: Settings, store: Store) -> None:
    settings = polite_settings(settings, min_interval=60)
    feed = rss("https://example.org/1", "https://example.org/2", "https://example.org/3")
    cached = Response(feed.status, feed.content_type, feed.body, {"Cache-Control": "max-age=7200"})
    with SiteServer({"/feed": feed, "/cached": cached}) as server:
        add_sources(
            store, Source(name="f", url=server.url("/feed")), Source(name="c", url=server.url("/cached"))
        )
        first = poll_round(settings, store)
        second = poll_round(settings, store)
        row, cached_row = source_row(store, server.url("/feed")), source_row(store, server.url("/cached"))

    assert (first.sources_polled, first.items_found, first.failures) == (2, 3, [])
    assert (second.sources_polled, second.sources_not_modified, second.items_found) == (2, 2, 0)
    assert row.etag == feed.etag and row.error_count == 0
    # Items an hour apart: poll every half hour; the server's max-age wins where it is longer.
    assert row.poll_interval == 1800
    assert cached_row.poll_interval == 7200
    assert row.next_poll_at is not None and row.last_polled_at is not None
    assert row.next_poll_at - row.last_polled_at == timedelta(seconds=1800)
    with store.session() as session:
        assert len(list(session.scalars(select(ItemRow)))) == 3


def test_a_hub_is_asked_and_its_refusal_recorded_without_stopping_polling(
    settings: Settings, store: Store
) -> None:
    settings = polite_settings(settings).model_copy(
        update={"websub": WebSubSettings(enabled=True, callback_base_url="https://wire.example")}
    )
    with SiteServer() as server:
        hub = server.url("/hub")  # SiteServer answers POST with 405: the hub refuses
        server.set_route("/feed", rss("https://example.org/1", hub=hub))
        add_sources(store, Source(name="f", url=server.url("/feed")))
        report = poll_round(settings, store)
        posted = [r for r in server.requests if r.method == "POST"]
    row = source_row(store, server.url("/feed"))
    assert report.items_found == 1 and report.sources_polled == 1
    assert [(f.stage, f.reason) for f in report.failures] == [("websub", "websub_http_405")]
    assert len(posted) == 1 and posted[0].path == "/hub"
    assert (row.websub_hub, row.websub_state) == (hub, "requested") and row.websub_secret
    assert row.last_error and "WebSub" in row.last_error and row.error_count == 0


def test_a_lease_renewal_keeps_the_subscription_secret(settings: Settings, store: Store) -> None:
    """Pushes signed with the old secret must keep verifying while the hub re-verifies."""
    settings = polite_settings(settings).model_copy(
        update={"websub": WebSubSettings(enabled=True, callback_base_url="https://wire.example")}
    )
    with SiteServer() as server:
        hub, feed = server.url("/hub"), server.url("/feed")
        server.set_route("/feed", rss("https://example.org/1", hub=hub))
        (source_id,) = add_sources(store, Source(name="f", url=feed))
        with store.session() as session, session.begin():
            row = session.get_one(SourceRow, source_id)
            row.websub_hub, row.websub_topic, row.websub_state = hub, feed, "active"
            row.websub_secret = "kept-secret"
            row.websub_expires_at = datetime.now(UTC) + timedelta(hours=2)  # ends within a day: renew
        poll_round(settings, store)
        posted = [r for r in server.requests if r.method == "POST"]
    assert len(posted) == 1  # the renewal was asked for
    row = source_row(store, feed)
    assert (row.websub_secret, row.websub_state) == ("kept-secret", "requested")


def test_the_idle_runner_wakes_for_pushed_items(settings: Settings, store: Store) -> None:
    """An item stored by a WebSub push is picked up within seconds, not at the next poll."""
    settings = polite_settings(settings).model_copy(update={"poll_interval": 3600})
    with SiteServer({"/feed": rss()}) as server:
        (source_id,) = add_sources(store, Source(name="f", url=server.url("/feed"), language="es"))

        async def scenario() -> float:
            runner = EmbeddedRunner(settings, store, network_backend=LoopbackOnlyBackend())
            stop = asyncio.Event()
            task = asyncio.create_task(runner.run_forever(stop=stop))
            try:
                await asyncio.sleep(0.5)  # the first round is done: nothing due for an hour
                with store.session() as session, session.begin():
                    row = session.get_one(SourceRow, source_id)
                    queries.add_items(session, row, (FeedItem(server.url("/pushed"), "g", "pushed"),))
                pushed = asyncio.get_running_loop().time()
                while asyncio.get_running_loop().time() - pushed < 10:
                    await asyncio.sleep(0.1)
                    with store.session() as session:
                        if session.scalar(select(ItemRow.status)) != ItemStatus.NEW:
                            return asyncio.get_running_loop().time() - pushed
                raise AssertionError("the pushed item was not picked up within 10 s")
            finally:
                stop.set()
                await task
                runner.close()

        waited = asyncio.run(scenario())
    assert waited < 5
    with store.session() as session:
        item = session.scalar(select(ItemRow))
    assert item is not None and (item.status, item.error_class) == (ItemStatus.FAILED, "http_404")


def test_work_that_came_during_a_round_starts_the_next_one_at_once(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The idle runner looks before it waits: a push stored while a round ran waits for no wake-up."""
    monkeypatch.setattr(embedded, "WAKE_CHECK_SECONDS", 3600)
    (source_id,) = add_sources(store, Source(name="f", url="https://news.example/feed"))
    with store.session() as session, session.begin():
        row = session.get_one(SourceRow, source_id)
        row.next_poll_at = datetime.now(UTC) + timedelta(hours=1)
        queries.add_items(session, row, (FeedItem("https://news.example/pushed", "g", "pushed"),))
    runner = EmbeddedRunner(polite_settings(settings), store)
    try:
        asyncio.run(asyncio.wait_for(runner._idle(asyncio.Event()), timeout=60))  # not an hour
    finally:
        runner.close()


def _due(n: int, host: str) -> DueSource:
    return DueSource(n, Source(name=str(n), url=f"https://{host}/feed/{n}"))


def test_sources_are_interleaved_by_host() -> None:
    due = [_due(1, "a.test"), _due(2, "a.test"), _due(3, "a.test"), _due(4, "b.test"), _due(5, "c.test")]
    assert [d.id for d in interleave_by_host(due)] == [1, 4, 5, 2, 3]


@pytest.mark.parametrize("force", [False, True])
def test_due_sources_skip_disabled_and_not_yet_due(store: Store, force: bool) -> None:
    ids = add_sources(store, *(Source(name=str(n), url=f"https://news.example/{n}") for n in range(3)))
    now = datetime.now(UTC)
    with store.session() as session, session.begin():
        session.get_one(SourceRow, ids[1]).next_poll_at = now + timedelta(hours=1)
        session.get_one(SourceRow, ids[2]).enabled = False
    with store.session() as session:
        due = [d.id for d in due_sources(session, now, force=force)]
    assert due == ([ids[0], ids[1]] if force else [ids[0]])
