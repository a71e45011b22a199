"""RSS 2.0 (the RSS Advisory Board's spec), as feedvalidator reads it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from lxml import etree

from tests.web.conformance.feed_rules.common import (
    DC,
    EMAIL,
    MEDIA_TYPES,
    A,
    Finding,
    Findings,
    check_html,
    check_language,
    child_text,
    is_web_url,
    parse_xml,
    report_duplicates,
    rfc822,
)


def _rss_item(item: etree._Element, where: str, out: Findings, now: datetime | None) -> str | None:
    """Checks one item; returns its guid."""
    description = item.findtext("description")
    if not (child_text(item, "title") or (description or "").strip()):
        out.error("rss-item", f"{where}: neither title nor description")
    elif item.find("title") is not None and not child_text(item, "title"):
        out.warning("rss-item", f"{where}: a blank title")
    if description is not None:
        check_html(description, f"{where} description", out)
    link = child_text(item, "link")
    if link is not None and not is_web_url(link):
        out.error("rss-link", f"{where}: link {link!r} is not an absolute http(s) URL")
    rfc822(item.findtext("pubDate"), f"{where} pubDate", out, now)
    for source in item.findall("source"):
        if not is_web_url(source.get("url", "")):
            out.error("rss-source", f"{where}: <source url={source.get('url')!r}> is not an absolute URL")
        if not (source.text or "").strip():
            out.warning("rss-source", f"{where}: <source> names no channel")
    for author in item.findall("author"):
        if not EMAIL.search(author.text or ""):
            out.error("rss-author", f"{where}: <author>{author.text}</author> has no e-mail address")
        if item.find(f"{DC}creator") is not None:
            out.warning("rss-author", f"{where}: both <author> and dc:creator (DuplicateItemSemantics)")
    guid = item.find("guid")
    if guid is None:
        out.warning("rss-guid", f"{where}: no guid")
        return None
    text = (guid.text or "").strip()
    if guid.get("isPermaLink", "true") not in ("true", "false"):
        out.error("rss-guid", f"{where}: isPermaLink={guid.get('isPermaLink')!r}, not true or false")
    elif guid.get("isPermaLink", "true") == "true" and not is_web_url(text):
        out.error("rss-guid", f"{where}: permalink guid {text!r} is not an absolute URL")
    return text


def check_rss(body: bytes, url: str, *, now: datetime | None = None) -> list[Finding]:
    """RSS 2.0 (rssboard.org's profile), and feedvalidator's warnings."""
    out = Findings()
    root = parse_xml(body, out)
    if root is None:
        return out
    channels = root.findall("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or len(channels) != 1:
        out.error("rss-root", f'<{root.tag} version="{root.get("version")}"> with {len(channels)} channels')
        return out
    channel = channels[0]
    for name in ("title", "link", "description"):
        if channel.find(name) is None:
            out.error("rss-channel", f"the channel has no <{name}>")
    link = child_text(channel, "link")
    if link is not None and not is_web_url(link):
        out.error("rss-link", f"channel link {link!r} is not an absolute http(s) URL")
    selves = [node for node in channel.findall(f"{A}link") if node.get("rel") == "self"]
    if not selves:
        out.warning("rss-self", "no atom:link rel=self")
    elif (selves[0].get("href"), selves[0].get("type")) != (url, MEDIA_TYPES["rss"]):
        found = (selves[0].get("href"), selves[0].get("type"))
        out.warning("rss-self", f"atom:link rel=self (href, type) {found}, fetched from {url!r}")
    for name in ("pubDate", "lastBuildDate"):
        rfc822(channel.findtext(name), f"channel {name}", out, now)
    if (language := child_text(channel, "language")) is not None:
        check_language(language, "channel language", out)
    guids = Counter(
        _rss_item(item, f"item {n}", out, now) for n, item in enumerate(channel.findall("item"), 1)
    )
    report_duplicates(
        Counter({guid: n for guid, n in guids.items() if guid is not None}), "rss-guid", "items", out
    )
    return out
