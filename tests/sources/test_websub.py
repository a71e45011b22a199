"""WebSub subscriber pieces: signatures, when to (re)subscribe, leases, and the hub request itself."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.config import FetchSettings, Settings, WebSubSettings
from babelwire.demo.server import SiteServer
from babelwire.fetch.fetcher import open_fetcher
from babelwire.sources import websub
from babelwire.sources.errors import SourceError
from tests.websub_hub import WebSubHub

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HUB = "https://hub.example/"
TOPIC = "https://news.example/feed.xml"
LOCAL_FETCH = FetchSettings(
    allowed_networks=["127.0.0.0/8", "::1/128"], per_host_interval=0.0, total_timeout=5
)


def hub_signature(secret: str, body: bytes, method: str = "sha256") -> str:
    """What a hub sends, computed with hmac directly (not with the code under test)."""
    return f"{method}={hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()}"


@dataclass
class Stored:
    websub_state: str | None = None
    websub_hub: str | None = None
    websub_topic: str | None = None
    websub_secret: str | None = None


# -- signatures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_every_digest_method_of_the_spec_is_checked(method: str) -> None:
    body = b"<feed>entry</feed>"
    assert websub.signature_valid("s3cret", body, hub_signature("s3cret", body, method))
    assert websub.sign("s3cret", body, method) == hub_signature("s3cret", body, method)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256",
        "sha256=",
        "md5=" + hashlib.md5(b"x").hexdigest(),  # not one of the spec's methods
        "sha256=" + "0" * 64,
        "sha256=é" + "a" * 63,  # non-ASCII from the sender must not raise
        "sha256=" + hub_signature("another secret", b"<feed/>").split("=")[1],
        hub_signature("s3cret", b"<feed/>", "sha1").replace("sha1=", "sha256="),  # method swapped
    ],
)
def test_missing_forged_or_odd_signatures_are_refused(header: str | None) -> None:
    assert not websub.signature_valid("s3cret", b"<feed/>", header)


def test_signature_is_over_the_raw_body() -> None:
    body = b"<feed>\r\n caf\xc3\xa9 </feed>"
    header = hub_signature("k", body)
    assert websub.signature_valid("k", body, header)
    assert websub.signature_valid("k", body, " " + header.upper() + " ")
    assert not websub.signature_valid("k", body.replace(b"\r\n", b"\n"), header)


def test_sign_refuses_methods_outside_the_spec() -> None:
    with pytest.raises(ValueError, match="sha256"):
        websub.sign("k", b"", "md5")


@given(secret=st.text(min_size=1, max_size=64), body=st.binary(max_size=512), flip=st.integers(0, 511))
def test_any_changed_byte_breaks_the_signature(secret: str, body: bytes, flip: int) -> None:
    header = websub.sign(secret, body)
    assert websub.signature_valid(secret, body, header)
    if body:
        index = flip % len(body)
        changed = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
        assert not websub.signature_valid(secret, changed, header)


def test_new_secrets_are_random_and_fit_the_spec() -> None:
    secrets = {websub.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(16 <= len(secret.encode()) < 200 for secret in secrets)


# -- when to subscribe ----------------------------------------------------------------------------


def test_no_subscription_needs_one() -> None:
    assert websub.needs_subscription(Stored(), HUB, TOPIC, None, NOW)


@pytest.mark.parametrize(
    ("stored", "expires_at", "needed"),
    [
        (Stored("active", HUB, TOPIC), NOW + timedelta(days=5), False),
        (Stored("active", HUB, TOPIC), NOW + timedelta(hours=23), True),  # lease ends within a day
        (Stored("active", HUB, TOPIC), None, True),
        (Stored("active", "https://other-hub.example/", TOPIC), NOW + timedelta(days=5), True),
        (Stored("active", HUB, TOPIC + "?v=2"), NOW + timedelta(days=5), True),
        (Stored("requested", HUB, TOPIC), NOW + timedelta(minutes=30), False),  # waiting for the hub
        (Stored("requested", HUB, TOPIC), NOW - timedelta(seconds=1), True),  # it never verified
        (Stored("denied", HUB, TOPIC), NOW + timedelta(hours=12), False),  # a refusal is respected
        (Stored("denied", HUB, TOPIC), NOW - timedelta(hours=1), True),
        (Stored("unsubscribing", HUB, TOPIC), NOW + timedelta(days=5), True),
    ],
)
def test_needs_subscription(stored: Stored, expires_at: datetime | None, needed: bool) -> None:
    assert websub.needs_subscription(stored, HUB, TOPIC, expires_at, NOW) is needed


def test_a_renewal_keeps_the_secret_and_a_new_hub_gets_a_new_one() -> None:
    stored = Stored("active", HUB, TOPIC, "old-secret")
    assert websub.subscription_secret(stored, HUB, TOPIC) == "old-secret"
    assert websub.subscription_secret(stored, "https://other-hub.example/", TOPIC) != "old-secret"
    assert websub.subscription_secret(Stored(), HUB, TOPIC) != ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, timedelta(seconds=600)),
        ("3600", timedelta(hours=1)),
        ("soon", timedelta(seconds=600)),
        ("-5", timedelta(0)),
        ("9" * 40, websub.MAX_LEASE),  # must not overflow the date
    ],
)
def test_lease_end_from_the_hub(raw: str | None, expected: timedelta) -> None:
    assert websub.lease_end(NOW, raw, 600) == NOW + expected


def test_callback_url_prefers_the_callback_base() -> None:
    plain = Settings(base_url="https://wire.example/")
    assert websub.callback_url(plain, 7) == "https://wire.example/websub/7"
    behind_proxy = Settings(
        base_url="https://wire.example", websub=WebSubSettings(callback_base_url="https://push.example/bw/")
    )
    assert websub.callback_url(behind_proxy, 7) == "https://push.example/bw/websub/7"


# -- the hub request ------------------------------------------------------------------------------


def test_subscribe_sends_the_spec_form_to_the_hub() -> None:
    settings = Settings(
        base_url="http://127.0.0.1:9", fetch=LOCAL_FETCH, websub=WebSubSettings(lease_seconds=7200)
    )

    async def ask(hub: WebSubHub) -> None:
        async with open_fetcher(settings.fetch) as fetcher:
            await websub.subscribe(fetcher, settings, 42, hub.url, TOPIC, "the-secret")

    with WebSubHub() as hub:
        asyncio.run(ask(hub))
        assert hub.state.requests == [
            {
                "hub.mode": "subscribe",
                "hub.topic": TOPIC,
                "hub.callback": "http://127.0.0.1:9/websub/42",
                "hub.secret": "the-secret",
                "hub.lease_seconds": "7200",
            }
        ]


def test_unsubscribe_sends_no_secret() -> None:
    settings = Settings(base_url="http://127.0.0.1:9", fetch=LOCAL_FETCH)

    async def ask(hub: WebSubHub) -> None:
        async with open_fetcher(settings.fetch) as fetcher:
            await websub.unsubscribe(fetcher, settings, 42, hub.url, TOPIC)

    with WebSubHub() as hub:
        asyncio.run(ask(hub))
        assert hub.state.requests == [
            {"hub.mode": "unsubscribe", "hub.topic": TOPIC, "hub.callback": "http://127.0.0.1:9/websub/42"}
        ]


def test_a_hub_that_refuses_is_a_clear_source_error() -> None:
    settings = Settings(base_url="http://127.0.0.1:9", fetch=LOCAL_FETCH)

    async def ask(url: str) -> None:
        async with open_fetcher(settings.fetch) as fetcher:
            await websub.subscribe(fetcher, settings, 1, url, TOPIC, "s")

    with SiteServer() as not_a_hub, pytest.raises(SourceError) as raised:
        asyncio.run(ask(not_a_hub.url("/hub")))  # answers POST with 405 Method Not Allowed
    assert raised.value.reason == "websub_http_405"
    assert "(HTTP 405): Method Not Allowed" in raised.value.message
    assert "\n" not in raised.value.message
