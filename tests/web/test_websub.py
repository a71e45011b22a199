"""WebSub end to end: a real hub, a real feed server and the real web app, all on 127.0.0.1.

The feed advertises the hub; we subscribe through the guarded fetcher, the hub verifies our
callback (served by uvicorn), then publishes, and the pushed entry is in the store at once.
Forgeries, wrong verifications, denials, oversized and broken pushes are each answered
without a 500 and without storing anything they should not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from babelwire.config import FetchSettings, Settings, WebSubSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.domain import Source
from babelwire.fetch.fetcher import open_fetcher
from babelwire.sources.feeds import FEED_ACCEPT, parse_feed
from babelwire.sources.websub import needs_subscription, sign, subscribe, subscription_secret
from babelwire.store import queries
from babelwire.store import websub as subscriptions
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, SourceRow
from babelwire.web.app import create_app
from tests.web.browsing import bound_socket, serve_app
from tests.websub_hub import WebSubHub, post

CAP = 64 * 1024


def atom(hub: str, self_url: str, *entries: str) -> bytes:
    """An Atom feed advertising its WebSub hub and canonical URL, with entries at /news/<slug>."""
    items = "".join(
        f"<entry><id>urn:news:{slug}</id><title>{slug.replace('-', ' ')}</title>"
        f'<link href="http://127.0.0.1/news/{slug}"/><updated>2026-11-27T10:00:00Z</updated></entry>'
        for slug in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Push News</title><id>urn:push-news</id><updated>2026-11-27T10:00:00Z</updated>"
        f'<link rel="hub" href="{hub}"/><link rel="self" href="{self_url}"/>{items}</feed>'
    ).encode()


@dataclass
class Wire:
    """Our web app, its store and settings, a hub, and one source whose feed names the hub."""

    settings: Settings
    store: Store
    base_url: str
    hub: WebSubHub
    feed_url: str
    source_id: int

    @property
    def callback(self) -> str:
        return f"{self.base_url}/websub/{self.source_id}"

    def source(self) -> SourceRow:
        with self.store.session() as session:
            row = session.get(SourceRow, self.source_id)
            assert row is not None
            return row

    def item_urls(self) -> list[str]:
        with self.store.session() as session:
            query = select(ItemRow.url).where(ItemRow.source_id == self.source_id).order_by(ItemRow.url)
            return list(session.scalars(query))

    def subscribe(self) -> None:
        """What the runner does when a poll finds a hub: record the request, then ask the hub."""
        asyncio.run(self._subscribe())

    async def _subscribe(self) -> None:
        async with open_fetcher(self.settings.fetch) as fetcher:
            result = await fetcher.get(self.feed_url, accept=FEED_ACCEPT)
            poll = parse_feed(result.body, result.final_url, result.content_type)
            assert poll.hub_url == self.hub.url
            topic = poll.self_url or self.feed_url
            now = datetime.now(UTC)
            with self.store.session() as session, session.begin():
                row = session.get(SourceRow, self.source_id)
                assert row is not None
                assert needs_subscription(row, poll.hub_url, topic, row.websub_expires_at, now)
                secret = subscription_secret(row, poll.hub_url, topic)
                subscriptions.request_subscription(session, self.source_id, poll.hub_url, topic, secret, now)
            await subscribe(fetcher, self.settings, self.source_id, poll.hub_url, topic, secret)


def make_settings(tmp_path: Path, store: Store, base_url: str, *, enabled: bool = True) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=store.url,
        base_url=base_url,
        websub=WebSubSettings(enabled=enabled, lease_seconds=5 * 86400),
        fetch=FetchSettings(
            allowed_networks=["127.0.0.0/8", "::1/128"], max_bytes=CAP, per_host_interval=0.0, total_timeout=5
        ),
    )


@pytest.fixture
def wire(store: Store, tmp_path: Path) -> Iterator[Wire]:
    sock = bound_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = make_settings(tmp_path, store, base_url)
    with WebSubHub(lease_seconds=2 * 86400) as hub, SiteServer() as site:
        feed_url = site.url("/feed.xml")
        body = atom(hub.url, feed_url, "first-story")
        site.set_route("/feed.xml", Response(content_type="application/atom+xml", body=body))
        with store.session() as session, session.begin():
            source_id = queries.upsert_source(session, Source(name="Push News", url=feed_url)).id
        with serve_app(create_app(settings, store), sock) as served:
            yield Wire(settings, store, served, hub, feed_url, source_id)


def subscribed(wire: Wire) -> Wire:
    wire.subscribe()
    [verification] = wire.hub.wait_for_verifications(1)
    assert verification.confirmed, verification
    return wire


def test_subscribe_verify_publish_stores_the_item_at_once(wire: Wire) -> None:
    subscribed(wire)
    row = wire.source()
    assert row.websub_state == "active"
    assert row.websub_hub == wire.hub.url and row.websub_topic == wire.feed_url
    assert row.websub_expires_at is not None
    lease = row.websub_expires_at - datetime.now(UTC)
    assert timedelta(hours=47) < lease <= timedelta(days=2)  # the hub's lease, not the 5 days we asked
    assert wire.hub.subscriber(wire.callback, wire.feed_url) is not None

    statuses = wire.hub.publish(
        wire.feed_url, atom(wire.hub.url, wire.feed_url, "pushed-story", "second-push")
    )
    assert statuses == [202]
    # Stored by the time the hub's delivery is answered: no poll ran (a timer here was flaky under load).
    assert wire.item_urls() == ["http://127.0.0.1/news/pushed-story", "http://127.0.0.1/news/second-push"]

    # The same entries pushed again are not new items.
    assert wire.hub.publish(wire.feed_url, atom(wire.hub.url, wire.feed_url, "pushed-story")) == [202]
    assert len(wire.item_urls()) == 2
    assert not needs_subscription(row, wire.hub.url, wire.feed_url, row.websub_expires_at, datetime.now(UTC))


def test_forged_or_unsigned_pushes_store_nothing(wire: Wire) -> None:
    subscribed(wire)
    body = atom(wire.hub.url, wire.feed_url, "forged-story")
    forged = {"Content-Type": "application/atom+xml", "X-Hub-Signature": sign("not-the-secret", body)}
    assert post(wire.callback, body, forged)[0] == 202  # a 2xx, as the spec says: the forger learns nothing
    assert post(wire.callback, body, {"Content-Type": "application/atom+xml"})[0] == 202
    row = wire.source()
    assert row.websub_secret is not None
    tampered = {"X-Hub-Signature": sign(row.websub_secret, body), "Content-Type": "application/atom+xml"}
    assert post(wire.callback, body.replace(b"forged", b"sneaky"), tampered)[0] == 202
    assert wire.item_urls() == []
    assert wire.source().last_error is None


def test_verification_for_another_topic_or_without_a_request_is_404(wire: Wire) -> None:
    def subscription(topic: str) -> tuple[int, str]:
        return wire.hub.verify(wire.callback, "subscribe", topic, challenge="abc123", lease_seconds=60)

    # Nothing requested yet: a hub (or anyone) cannot make us confirm a subscription.
    assert subscription(wire.feed_url)[0] == 404
    subscribed(wire)
    assert subscription(wire.feed_url + "?other")[0] == 404
    assert subscription(wire.feed_url) == (200, "abc123")
    # An unsubscription we did not ask for is refused: nobody ends our subscription in our name.
    assert wire.hub.verify(wire.callback, "unsubscribe", wire.feed_url, challenge="x")[0] == 404
    assert wire.hub.verify(wire.callback, "subscribe", wire.feed_url)[0] == 404  # no challenge
    assert wire.hub.verify(wire.callback, "resubscribe", wire.feed_url, challenge="x")[0] == 404
    assert wire.source().websub_state == "active"


def test_the_challenge_is_echoed_as_plain_text(wire: Wire) -> None:
    subscribed(wire)
    hostile = "<script>alert(1)</script>"
    status, body = wire.hub.verify(wire.callback, "subscribe", wire.feed_url, challenge=hostile)
    assert (status, body) == (200, hostile)
    query = {"hub.mode": "subscribe", "hub.topic": wire.feed_url, "hub.challenge": hostile}
    answer = httpx.get(wire.callback, params=query, trust_env=False)
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in answer.headers


def test_denial_is_recorded(wire: Wire) -> None:
    wire.hub.deny = frozenset({wire.feed_url})
    wire.subscribe()
    [verification] = wire.hub.wait_for_verifications(1)
    assert verification.mode == "denied" and verification.status == 200
    row = wire.source()
    assert row.websub_state == "denied"
    assert row.last_error is not None and "denied the subscription: topic not served" in row.last_error
    # A denial is respected for a while: the runner does not ask again at once.
    assert not needs_subscription(row, wire.hub.url, wire.feed_url, row.websub_expires_at, datetime.now(UTC))
    assert wire.hub.publish(wire.feed_url, b"<feed/>") == []  # the hub has no subscriber


def test_unsubscribe_is_confirmed_when_we_asked(wire: Wire) -> None:
    subscribed(wire)
    with wire.store.session() as session, session.begin():
        assert subscriptions.request_unsubscription(session, wire.source_id) is not None
    assert wire.hub.verify(wire.callback, "unsubscribe", wire.feed_url, challenge="bye") == (200, "bye")
    row = wire.source()
    assert (row.websub_state, row.websub_hub, row.websub_secret) == (None, None, None)
    body = atom(wire.hub.url, wire.feed_url, "late-story")
    assert post(wire.callback, body, {"X-Hub-Signature": sign("anything", body)})[0] == 410
    assert wire.item_urls() == []


def test_a_disabled_source_tells_the_hub_to_stop(wire: Wire) -> None:
    subscribed(wire)
    with wire.store.session() as session, session.begin():
        session.get_one(SourceRow, wire.source_id).enabled = False
    assert wire.hub.publish(wire.feed_url, atom(wire.hub.url, wire.feed_url, "while-off")) == [410]
    assert wire.item_urls() == []
    row = wire.source()
    assert row.websub_state is None  # re-enabled, its next poll subscribes afresh
    assert needs_subscription(row, wire.hub.url, wire.feed_url, row.websub_expires_at, datetime.now(UTC))


def test_oversized_push_is_refused_without_a_500(wire: Wire) -> None:
    subscribed(wire)
    huge = atom(wire.hub.url, wire.feed_url, *(f"story-{n}-{'x' * 200}" for n in range(400)))
    assert len(huge) > CAP
    assert wire.hub.publish(wire.feed_url, huge) == [413]
    assert wire.item_urls() == []
    # Still healthy afterwards: the next push is stored.
    assert wire.hub.publish(wire.feed_url, atom(wire.hub.url, wire.feed_url, "small-story")) == [202]
    assert wire.item_urls() == ["http://127.0.0.1/news/small-story"]


UNUSABLE = (b"", b"not a feed at all", b"\xff\xfe\x00<rss", b'{"version": "https://jsonfeed.org/version/1.1"')


def test_unusable_pushes_are_recorded_on_the_source_never_a_500(wire: Wire) -> None:
    subscribed(wire)
    for body in UNUSABLE:
        with wire.store.session() as session, session.begin():
            session.get_one(SourceRow, wire.source_id).last_error = None
        assert wire.hub.publish(wire.feed_url, body, content_type="application/octet-stream") == [202], body
        last_error = wire.source().last_error
        assert last_error is not None and last_error.startswith("WebSub push unusable"), body
    assert wire.item_urls() == []


def test_unknown_source_or_websub_off_is_404(wire: Wire, store: Store, tmp_path: Path) -> None:
    unknown = f"{wire.base_url}/websub/{wire.source_id + 1000}"
    assert wire.hub.verify(unknown, "subscribe", wire.feed_url, challenge="c")[0] == 404
    assert post(unknown, b"<feed/>", {"X-Hub-Signature": sign("s", b"<feed/>")})[0] == 404
    assert post(f"{wire.base_url}/websub/abc", b"", {})[0] in (404, 405)
    huge = f"{wire.base_url}/websub/{10**30}"  # past any integer column: unknown, not a 500
    assert wire.hub.verify(huge, "subscribe", wire.feed_url, challenge="c")[0] == 404
    assert post(huge, b"<feed/>", {"X-Hub-Signature": sign("s", b"<feed/>")})[0] == 404

    off = make_settings(tmp_path, store, wire.base_url, enabled=False)
    with store.session() as session, session.begin():
        subscriptions.request_subscription(
            session, wire.source_id, wire.hub.url, wire.feed_url, "s", datetime.now(UTC)
        )
    with serve_app(create_app(off, store)) as base:
        callback = f"{base}/websub/{wire.source_id}"
        assert wire.hub.verify(callback, "subscribe", wire.feed_url, challenge="c")[0] == 404
        body = atom(wire.hub.url, wire.feed_url, "story")
        assert post(callback, body, {"X-Hub-Signature": sign("s", body)})[0] == 404
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ItemRow)) == 0
