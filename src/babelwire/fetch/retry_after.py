"""Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, capped by the operator."""

from __future__ import annotations

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
