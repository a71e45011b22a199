"""The one sanitizer for third-party HTML (DESIGN.md: sanitized once, in extract/).

An allow-list, not a block-list: only inline markup survives (links, emphasis, line
breaks, code, sub/superscript), links keep only an http/https/mailto `href`, relative
links are made absolute against the page URL or dropped when there is none (a relative
link would point into our own site once republished), and every link gets
rel="noopener noreferrer nofollow" because we vouch for none of them. nh3 (ammonia)
parses like a browser, so broken markup cannot smuggle anything past the allow-list.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from urllib.parse import urljoin, urlsplit

import nh3

INLINE_TAGS = frozenset({"a", "em", "strong", "b", "i", "br", "code", "sub", "sup"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# Text without these can hold no markup, and nh3 returns it as it is: it escapes & < > and
# U+00A0, normalises CR and NUL, drops a leading BOM and cannot encode lone surrogates.
# tests/extract/test_sanitize.py checks the shortcut against nh3 on random strings.
_PARSER_NEEDED = re.compile(r"[<>&\x00\r\xa0\ufeff\ud800-\udfff]")
# ammonia keeps an <a> whose href it removed; a link that goes nowhere is just its text.
_DEAD_LINK = re.compile(r'<a rel="' + re.escape(LINK_REL) + r'">(.*?)</a>', re.DOTALL)


def _filter_attribute(base_url: str | None, tag: str, attribute: str, value: str) -> str | None:
    """Resolve hrefs against the page and re-check the scheme of the result."""
    if tag != "a" or attribute != "href":
        return value
    href = value.strip()
    if base_url:
        try:
            href = urljoin(base_url, href)
        except ValueError:
            return None
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    # No scheme left means a relative link with no page to resolve it against: drop it.
    return href if scheme in URL_SCHEMES else None


@lru_cache(maxsize=16)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    """One allow-list per page URL, built once: building it cost a third of every clean()."""
    return nh3.Cleaner(
        tags=set(INLINE_TAGS),
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "textarea"},
        attributes={"a": {"href"}, "*": set()},  # "*": no generic attributes (title, lang...)
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=partial(_filter_attribute, base_url),
    )


def sanitize_inline(html: str, base_url: str | None = None) -> str:
    """Reduce `html` to allow-listed inline markup; links absolutised against `base_url`."""
    if not html:
        return ""
    if _PARSER_NEEDED.search(html) is None:
        return html  # plain text the parser would hand back unchanged (most blocks: half the cost)
    return _DEAD_LINK.sub(r"\1", _cleaner(base_url).clean(html))
