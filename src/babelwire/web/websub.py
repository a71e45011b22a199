"""The WebSub callback: /websub/{source_id}, where hubs verify subscriptions and push content.

Hubs are servers, not browsers: no session, no CSRF token, plain-text answers. What protects
the callback is the protocol itself: a verification is confirmed only for a (un)subscription
we asked for, and pushed content is used only when it carries a valid HMAC of the source's
secret. A push is stored as new items at once, so the runner translates it on its next pass.
Nothing a hub sends may cause a 500 (hubs retry those): bad content is answered 2xx and
recorded on the source, as the spec asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from babelwire.config import Settings
from babelwire.sources import websub
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import parse_feed
from babelwire.store import queries
from babelwire.store import websub as subscriptions
from babelwire.store.db import Store
from babelwire.store.models import SourceRow
from babelwire.web.deps import AppSettings, DbSession, get_settings, get_store

log = logging.getLogger(__name__)

router = APIRouter(prefix="/websub", include_in_schema=False)

# Content is taken while a subscription is active or being (re)requested: a hub may push
# before its verification reaches us, and the signature is what proves it is ours.
RECEIVING = (websub.SubscriptionState.ACTIVE, websub.SubscriptionState.REQUESTED)


@dataclass(frozen=True)
class Delivery:
    """What became of one push: the HTTP status for the hub and a note for it."""

    status: int
    note: str = ""


def text(body: str, status: int = 200) -> Response:
    return PlainTextResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def not_found() -> Response:
    return text("no WebSub subscription here", 404)


def accepting_source(settings: Settings, row: SourceRow | None) -> SourceRow | None:
    """The source, when callbacks for it are served at all (WebSub on; a source we know)."""
    return row if settings.websub.enabled and row is not None else None


@router.get("/{source_id:int}")
def verify_intent(
    source_id: int,
    session: DbSession,
    settings: AppSettings,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    topic: Annotated[str | None, Query(alias="hub.topic")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
    lease_seconds: Annotated[str | None, Query(alias="hub.lease_seconds")] = None,
    reason: Annotated[str | None, Query(alias="hub.reason")] = None,
) -> Response:
    """Echo hub.challenge only for a (un)subscription we asked for; record a denial (WebSub §5.3)."""
    row = accepting_source(settings, subscriptions.callback_source(session, source_id))
    if row is None or topic is None:
        return not_found()
    now = datetime.now(UTC)
    if mode == "denied":
        if not subscriptions.record_denial(session, row, topic, reason, now):
            return not_found()
        session.commit()
        log.warning("source %d: WebSub hub %s denied the subscription: %s", row.id, row.websub_hub, reason)
        return text("denial noted")
    if mode not in ("subscribe", "unsubscribe") or not challenge:
        return not_found()
    expires_at = websub.lease_end(now, lease_seconds, settings.websub.lease_seconds)
    if not subscriptions.confirm_intent(session, row, mode, topic, expires_at):
        return not_found()
    session.commit()
    log.info("source %d: WebSub %s to %s verified by %s", row.id, mode, topic, row.websub_hub)
    return text(challenge)


@router.post("/{source_id:int}")
async def distribute(source_id: int, request: Request) -> Response:
    """Content distribution (WebSub §7): read under the size cap, check the signature, store items."""
    settings, store = get_settings(request), get_store(request)
    if not settings.websub.enabled:
        return not_found()
    body = await read_capped(request, settings.fetch.max_bytes)
    delivery = await run_in_threadpool(
        deliver,
        store,
        settings,
        source_id,
        body,
        request.headers.get("content-type", ""),
        request.headers.get(websub.SIGNATURE_HEADER),
    )
    if delivery.status == 404:
        return not_found()
    return text(delivery.note, delivery.status)


async def read_capped(request: Request, cap: int) -> bytes | None:
    """The request body, or None as soon as it is longer than `cap` (never buffered past it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def deliver(
    store: Store,
    settings: Settings,
    source_id: int,
    body: bytes | None,
    content_type: str,
    signature: str | None,
) -> Delivery:
    """One push, in one transaction: checks first, then parse and store (runs in a worker thread)."""
    with store.session() as session, session.begin():
        row = accepting_source(settings, subscriptions.callback_source(session, source_id))
        if row is None:
            return Delivery(404)
        if body is None:
            # Unauthenticated (no signature can be checked unread), so logged, not put on the source.
            message = f"larger than the {settings.fetch.max_bytes}-byte cap (fetch.max_bytes)"
            log.warning("source %d: WebSub push refused: %s", row.id, message)
            return Delivery(413, note=message)
        if not row.enabled:
            # Switched off: the hub may end the subscription (410, WebSub §7), and re-enabling
            # the source subscribes afresh on its next poll.
            subscriptions.forget_subscription(row)
            return Delivery(410, note="this source is disabled")
        if row.websub_state not in RECEIVING or not row.websub_secret:
            return Delivery(410, note="no active subscription for this source")
        if not websub.signature_valid(row.websub_secret, body, signature):
            # The spec's answer to a forgery is a 2xx and nothing else, so a forger learns nothing.
            log.warning("source %d: WebSub push with a missing or wrong signature ignored", row.id)
            return Delivery(202, note="accepted")
        return _store_items(session, row, body, content_type)


def _store_items(session: Session, row: SourceRow, body: bytes, content_type: str) -> Delivery:
    try:
        poll = parse_feed(body, row.websub_topic or row.url, content_type)
    except Exception as exc:
        # SourceError is the parser's answer to bad content; anything else is a parser bug on
        # hostile input, and still the hub's content, not our failure: a 500 would make it retry.
        problem = exc.message if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
        subscriptions.record_push_error(session, row, f"WebSub push unusable: {problem}")
        log.warning("source %d: WebSub push unusable: %s", row.id, problem)
        return Delivery(202, note="accepted")
    added = queries.add_items(session, row, poll.items)
    log.info("source %d: WebSub push with %d entries, %d new", row.id, len(poll.items), len(added))
    return Delivery(202, note="accepted")
