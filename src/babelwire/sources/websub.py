"""WebSub subscriber (W3C Recommendation, 2018): subscription requests and content signatures.

A hub pushes a feed's new entries to us the moment they appear, instead of us polling for
them. Three things make that safe: the hub asks our callback to confirm each (un)subscription
it receives ("verification of intent", answered in web/websub.py from what store/websub.py
recorded), every pushed body carries an HMAC of our per-source secret (checked here), and the
hub request itself goes out through the SSRF-guarded fetcher like every other request.

The runner subscribes in three steps: `needs_subscription` decides, `store.websub.request_subscription`
records the pending request with `subscription_secret` (committed first: a hub may verify before
it answers), `subscribe` asks.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from babelwire.config import Settings
from babelwire.fetch.client import FetchResult
from babelwire.sources.errors import SourceError

SIGNATURE_HEADER = "X-Hub-Signature"
# The digest methods a hub may use (WebSub §8); anything else is refused, never guessed.
DIGESTS = frozenset({"sha1", "sha256", "sha384", "sha512"})
HUB_ACCEPTED = (202, 204)  # 202 is the spec's answer; some hubs send 204
RENEW_BEFORE = timedelta(days=1)  # renew a lease this long before it ends
MAX_LEASE = timedelta(days=366)  # a hub's lease_seconds is capped: absurd values must not overflow dates
CALLBACK_PATH = "/websub/{source_id}"


class SubscriptionState(StrEnum):
    """`SourceRow.websub_state`; `websub_expires_at` says when the state runs out."""

    REQUESTED = "requested"  # asked the hub, waiting for its verification (until expires_at)
    ACTIVE = "active"  # verified; the lease ends at expires_at
    DENIED = "denied"  # the hub refused; asked again after expires_at
    UNSUBSCRIBING = "unsubscribing"  # asked the hub to stop


class StoredSubscription(Protocol):
    """What the store knows of a source's subscription (a SourceRow fits)."""

    @property
    def websub_state(self) -> str | None: ...

    @property
    def websub_hub(self) -> str | None: ...

    @property
    def websub_topic(self) -> str | None: ...

    @property
    def websub_secret(self) -> str | None: ...


class FormPoster(Protocol):
    """The part of fetch.fetcher.Fetcher this module needs: one guarded form POST."""

    async def post_form(self, url: str, data: Mapping[str, str]) -> FetchResult: ...


def new_secret() -> str:
    """A fresh HMAC secret for one subscription: 256 random bits, well under the spec's 200 bytes."""
    return secrets.token_hex(32)


def subscription_secret(current: StoredSubscription, hub: str, topic: str) -> str:
    """The secret to subscribe with: the stored one when renewing (the hub's pushes keep
    verifying while it re-verifies), a new one for a new hub or topic."""
    if current.websub_secret and current.websub_hub == hub and current.websub_topic == topic:
        return current.websub_secret
    return new_secret()


def callback_url(settings: Settings, source_id: int) -> str:
    """Where the hub calls us back for one source: the public base URL plus /websub/{id}."""
    base = (settings.websub.callback_base_url or settings.base_url).rstrip("/")
    return base + CALLBACK_PATH.format(source_id=source_id)


def needs_subscription(
    row_state: StoredSubscription, hub: str, topic: str, expires_at: datetime | None, now: datetime
) -> bool:
    """Should we (re)subscribe to `topic` at `hub`, given what is stored for the source?

    Yes when there is no subscription, it is for another hub or topic, its lease ends within
    a day, or a pending request or a denial has run its time (`expires_at`).
    """
    if row_state.websub_hub != hub or row_state.websub_topic != topic:
        return True
    state = row_state.websub_state
    if state == SubscriptionState.ACTIVE:
        return expires_at is None or expires_at - now <= RENEW_BEFORE
    if state in (SubscriptionState.REQUESTED, SubscriptionState.DENIED):
        return expires_at is None or expires_at <= now
    return True


def lease_end(now: datetime, lease_seconds: str | None, default: int) -> datetime:
    """When a verified lease ends: the hub's hub.lease_seconds (capped), else our requested lease."""
    try:
        seconds = int(lease_seconds) if lease_seconds is not None else default
    except ValueError:
        seconds = default
    return now + timedelta(seconds=min(max(seconds, 0), MAX_LEASE.total_seconds()))


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """The X-Hub-Signature value a hub sends for `body`: "method=hexdigest"."""
    if method not in DIGESTS:
        raise ValueError(f"WebSub signatures use one of {sorted(DIGESTS)}, not {method!r}")
    digest = hmac.new(secret.encode("utf-8"), body, method).hexdigest()
    return f"{method}={digest}"


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Does X-Hub-Signature prove the body came from a hub that knows our secret?

    HMAC over the raw body with the header's digest method; compared in constant time so a
    forger learns nothing from our answer's timing.
    """
    if not header:
        return False
    method, _, digest = header.strip().partition("=")
    method = method.strip().lower()
    if method not in DIGESTS or not digest:
        return False
    expected = sign(secret, body, method).partition("=")[2]
    # As bytes: compare_digest refuses non-ASCII str, and the header is the sender's to choose.
    return hmac.compare_digest(expected.encode("ascii"), digest.strip().lower().encode("utf-8", "replace"))


def subscription_form(
    mode: str, topic: str, callback: str, *, secret: str | None = None, lease_seconds: int | None = None
) -> dict[str, str]:
    """The hub request's form fields (WebSub §5.1)."""
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if secret is not None:
        # The spec says a secret SHOULD only travel over HTTPS. We send it over http too: without
        # it no pushed body can be authenticated at all, and an http hub is the operator's choice.
        form["hub.secret"] = secret
    if lease_seconds is not None:
        form["hub.lease_seconds"] = str(lease_seconds)
    return form


async def subscribe(
    fetcher: FormPoster, settings: Settings, source_id: int, hub: str, topic: str, secret: str
) -> None:
    """Ask `hub` to push `topic` to the source's callback; returns once the hub accepted the request.

    The subscription is live only after the hub verifies it against the callback, so record
    it as requested (store.websub.request_subscription) and commit before calling this.
    Raises FetchError (the hub cannot be reached) or SourceError (the hub said no).
    """
    form = subscription_form(
        "subscribe",
        topic,
        callback_url(settings, source_id),
        secret=secret,
        lease_seconds=settings.websub.lease_seconds,
    )
    await _ask_hub(fetcher, hub, form)


async def unsubscribe(fetcher: FormPoster, settings: Settings, source_id: int, hub: str, topic: str) -> None:
    """Ask `hub` to stop pushing `topic`; record it first (store.websub.request_unsubscription)."""
    await _ask_hub(fetcher, hub, subscription_form("unsubscribe", topic, callback_url(settings, source_id)))


async def _ask_hub(fetcher: FormPoster, hub: str, form: Mapping[str, str]) -> None:
    result = await fetcher.post_form(hub, form)
    if result.status not in HUB_ACCEPTED:
        raise SourceError(
            hub,
            f"websub_http_{result.status}",
            f"the WebSub hub refused to {form['hub.mode']} (HTTP {result.status}){_hub_says(result.body)}; "
            "the source is still polled",
        )


def _hub_says(body: bytes) -> str:
    """The hub's own explanation (the spec asks hubs for plain text), on one short line."""
    text = " ".join(body[:1000].decode("utf-8", errors="replace").split())
    return f": {text[:200]}" if text else ""
