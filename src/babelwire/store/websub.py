"""WebSub subscriptions on their source row: requested, verified (active), denied, given up.

`websub_expires_at` always says when the current state runs out: an active lease's end, how
long a request waits for the hub's verification, how long a denial is respected. The runner
asks again after that (sources.websub.needs_subscription).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from babelwire.sources.websub import SubscriptionState
from babelwire.store.models import MAX_ROW_ID, SourceRow

MAX_ID = MAX_ROW_ID  # ids in a URL are the caller's: past the column's range is "unknown", not an error
REQUEST_WAIT = timedelta(hours=1)  # a hub that never verifies is asked again after this
DENIAL_WAIT = timedelta(days=1)  # a hub that refused is not asked again before this


def callback_source(session: Session, source_id: int) -> SourceRow | None:
    """The source a callback URL names, or None (unknown id)."""
    return session.get(SourceRow, source_id) if 0 < source_id <= MAX_ID else None


def request_subscription(
    session: Session, source_id: int, hub: str, topic: str, secret: str, now: datetime
) -> SourceRow | None:
    """Record that we ask `hub` for `topic` with `secret`; commit before asking the hub.

    Pushes are checked against `secret` from now on, so a renewal should pass the secret
    already stored (sources.websub.subscription_secret does that).
    """
    row = session.get(SourceRow, source_id)
    if row is None:
        return None
    row.websub_hub = hub
    row.websub_topic = topic
    row.websub_secret = secret
    row.websub_state = SubscriptionState.REQUESTED
    row.websub_expires_at = now + REQUEST_WAIT
    session.flush()
    return row


def request_unsubscription(session: Session, source_id: int) -> SourceRow | None:
    """Record that we asked the hub to stop, so its verification of that is confirmed."""
    row = session.get(SourceRow, source_id)
    if row is None or row.websub_topic is None:
        return None
    row.websub_state = SubscriptionState.UNSUBSCRIBING
    session.flush()
    return row


def confirm_intent(session: Session, row: SourceRow, mode: str, topic: str, expires_at: datetime) -> bool:
    """The hub's verification of intent: True (and recorded) when we did ask for this.

    A subscription is confirmed for the topic we requested (or renew); an unsubscription only
    when we asked for one, so nobody can end our subscription by asking the hub in our name.
    """
    if topic != row.websub_topic:
        return False
    if mode == "subscribe" and row.websub_state in (SubscriptionState.REQUESTED, SubscriptionState.ACTIVE):
        row.websub_state = SubscriptionState.ACTIVE
        row.websub_expires_at = expires_at
    elif mode == "unsubscribe" and row.websub_state == SubscriptionState.UNSUBSCRIBING:
        forget_subscription(row)
    else:
        return False
    session.flush()
    return True


def record_denial(session: Session, row: SourceRow, topic: str, reason: str | None, now: datetime) -> bool:
    """The hub refused our subscription to `topic` (hub.mode=denied); False when it is not ours."""
    if topic != row.websub_topic or row.websub_state is None:
        return False
    row.websub_state = SubscriptionState.DENIED
    row.websub_expires_at = now + DENIAL_WAIT
    said = reason or "no reason given"
    row.last_error = _one_line(f"WebSub hub {row.websub_hub} denied the subscription: {said}")
    session.flush()
    return True


def record_push_error(session: Session, row: SourceRow, message: str) -> None:
    """Pushed content we could not use: shown on the source like a polling error."""
    row.last_error = _one_line(message)
    session.flush()


def forget_subscription(row: SourceRow) -> None:
    row.websub_hub = None
    row.websub_topic = None
    row.websub_secret = None
    row.websub_state = None
    row.websub_expires_at = None


def _one_line(text: str) -> str:
    """Hub-supplied text is untrusted: one line, bounded."""
    return " ".join(text.split())[:1000]
