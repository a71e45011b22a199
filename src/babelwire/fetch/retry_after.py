"""Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, capped by the operator."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime, cap: float) -> float | None:
    """Seconds to wait, within [0, cap]; None when absent or unreadable (a server's odd header
    must not stop us, it only loses its say on when to come back)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), cap)


def retry_after_of(status: int, headers: Mapping[str, str], cap: float) -> float | None:
    """The Retry-After of a 429 or 503 answer (lower-case header names), in seconds; None for
    other statuses, or when it is absent or unreadable."""
    if status not in (429, 503):
        return None
    return parse_retry_after(headers.get("retry-after"), datetime.now(UTC), cap)
