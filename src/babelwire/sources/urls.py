"""URL helpers every source parser shares: absolute http(s) links and "same site" checks.

Links in feeds, sitemaps and pages are written by strangers: `urljoin` raises ValueError on
some of them (an unclosed IPv6 bracket), and `javascript:` or `data:` links must never become
items. Every parser goes through `absolute_http` so those rules live in one place.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from tld import get_fld

MAX_URL_LENGTH = 2000  # the store's URL columns; longer links are junk or attacks


def absolute_http(base: str, link: object) -> str | None:
    """`link` resolved against `base`, without its fragment; None unless it is a usable http(s) URL."""
    if not isinstance(link, str):
        return None
    text = link.strip()
    if not text or len(text) > MAX_URL_LENGTH:
        return None
    try:
        joined = urljoin(base, text)
        parts = urlsplit(joined)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in joined):
        return None
    url = joined.split("#", 1)[0]
    return url if len(url) <= MAX_URL_LENGTH else None


def host_of(url: str) -> str:
    """The lower-case host name of `url` ("" when it has none or cannot be parsed)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def site_of(url: str) -> str:
    """The registrable domain ("bbc.co.uk" for news.bbc.co.uk), by the public suffix list.

    tld (already installed for trafilatura's courlan) knows the list; a host it cannot place
    (an IP address, a single label, a reserved TLD such as .example) is its own site, less "www.".
    """
    host = host_of(url)
    if not host:
        return ""
    try:
        found = get_fld(host, fix_protocol=True, fail_silently=True)
    except ValueError:
        found = None
    return str(found).lower() if found else host.removeprefix("www.")


def same_site(url: str, site: str) -> bool:
    """Whether `url` lives on `site` (a registrable domain) or one of its subdomains."""
    host = host_of(url)
    return bool(site) and (host == site or host.endswith("." + site))
