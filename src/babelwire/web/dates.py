"""Which date of an article is which, and how a machine-readable date is written.

Pages (`<time datetime>`), JSON-LD and feeds must say the same instant the same way: HTML's
datetime allows at most 3 digits of fractional seconds, so every stamp is whole seconds in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babelwire.store.articles import PublishedArticle


def utc_seconds(value: datetime) -> datetime:
    """The instant in UTC, whole seconds; a naive value is taken as UTC (the store writes UTC)."""
    stamp = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).replace(microsecond=0)


def iso_datetime(value: datetime | None) -> str:
    """`2026-12-02T04:55:25Z`: RFC 3339, W3C datetime and HTML's datetime at once; None is ""."""
    if value is None:
        return ""
    return utc_seconds(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def publication_date(article: PublishedArticle) -> datetime:
    """The original's date when known, else when this site published it (what the feeds say)."""
    return utc_seconds(article.published or article.site_published or article.fetched)


def last_change(article: PublishedArticle) -> datetime:
    """The latest of publication, translation or review, release and fetch (the feeds' `updated`).

    A new translation (another model), a review or a later release changes what the reader gets."""
    changes = (article.updated, article.site_published, article.fetched)
    return max([publication_date(article), *(utc_seconds(stamp) for stamp in changes if stamp is not None)])
