"""Turn a fetch result into a Page: check it is HTML and decode it with the right charset."""

from __future__ import annotations

from babelwire.domain import Page
from babelwire.fetch.client import FetchResult
from babelwire.fetch.encoding import decode_html
from babelwire.fetch.errors import FetchError

HTML_TYPES = ("text/html", "application/xhtml+xml")


def page_from_result(result: FetchResult) -> Page:
    """Raise FetchError(reason="not_html") for anything that is not an HTML page."""
    mime = result.content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        raise FetchError(result.url, "not_html", f"expected an HTML page, got {mime!r}")
    if not result.body.strip():
        raise FetchError(result.url, "empty", "the page is empty")
    html = decode_html(result.body, result.content_type)
    return Page(
        url=result.url,
        final_url=result.final_url,
        status=result.status,
        content_type=result.content_type,
        html=html,
        headers=result.headers,
    )
