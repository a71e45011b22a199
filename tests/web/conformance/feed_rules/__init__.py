"""Feed conformance rules, as pure functions: what W3C's feedvalidator and careful feed readers check.

Each checker takes a feed's bytes and the URL it was fetched from (its self link must name it) and
returns Findings; an empty list is a clean feed. The levels follow feedvalidator's: an "error" breaks
the spec, a "warning" is what feedvalidator warns about (no self link, a relative URL, an implausible
date, a non-canonical id). feedvalidator is the W3C's service, not a package on PyPI, so the rules of
it that apply to these feeds are written out here; feedparser 6.0 cannot read JSON Feed, so JSON Feed
1.1's are too. Left out on purpose: feedvalidator's DuplicateUpdated (two entries with one atom:updated),
which its own documentation says needs no action when they did change together, as a wire's batch does.
"""

from __future__ import annotations

from datetime import datetime

from tests.web.conformance.feed_rules.atom import check_atom
from tests.web.conformance.feed_rules.common import MEDIA_TYPES, RULES, Finding, Findings, check_content_type
from tests.web.conformance.feed_rules.json_feed import check_json_feed
from tests.web.conformance.feed_rules.rss import check_rss

__all__ = ["MEDIA_TYPES", "RULES", "Finding", "check_feed"]

CHECKERS = {"rss": check_rss, "atom": check_atom, "json": check_json_feed}


def check_feed(
    fmt: str, body: bytes, url: str, content_type: str | None = None, *, now: datetime | None = None
) -> list[Finding]:
    """Every rule of the format (rss, atom, json), and the response's Content-Type when given."""
    out = Findings()
    if content_type is not None:
        check_content_type(fmt, content_type, out)
    out.extend(CHECKERS[fmt](body, url, now=now))
    return out
