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

import codecs
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urlsplit

import feedparser
from babel import Locale
from lxml import etree

Level = Literal["error", "warning"]

# Every rule a finding can name, and what it asks; the canary tests break each one on purpose.
RULES: dict[str, str] = {
    "feedparser-bozo": "feedparser reads the feed without complaint (bozo == 0)",
    "xml-wellformed": "the feed is well-formed XML",
    "encoding": "the body is UTF-8 and says so (XML declaration; JSON without a BOM)",
    "content-type": "the response's media type is the format's, and its charset (if any) utf-8",
    "language": "languages are ISO 639 codes (BCP 47 syntax)",
    "date-rfc3339": "Atom and JSON Feed dates are RFC 3339 date-times",
    "date-rfc822": "RSS dates are RFC 822 dates with a four-digit year and the right day of the week",
    "date-implausible": "no date more than a day ahead or before 1990 (ImplausibleDate)",
    "date-order": "an entry is not published after it was last updated",
    "relative-url": "URLs are absolute: a feed is read away from its site",
    "url-syntax": "URLs hold no spaces, quotes or other characters a URI cannot",
    "html-content": "escaped HTML content is balanced markup and not empty",
    "html-unsafe": "HTML content has no scripts, frames, forms, event handlers or script URLs",
    "atom-root": "the root is atom:feed",
    "atom-element-count": "a feed and each entry have exactly one id, title and updated",
    "atom-id": "atom:id is an absolute IRI without spaces, in canonical form (NonCanonicalURI)",
    "atom-id-unique": "no two entries share an id",
    "atom-author": "an author (with a name) on the feed, or on every entry or its source",
    "atom-self": "a rel=self link that names the URL the feed was fetched from",
    "atom-alternate": "the feed has a rel=alternate text/html link, and every entry a rel=alternate link",
    "atom-link-duplicate": "no two links with the same rel, type and hreflang",
    "atom-link-href": "every atom:link has an href",
    "atom-link-attrs": "link titles are not blank, hreflang a language, rel registered, rel=self a feed type",
    "atom-source": "every atom:source has an id, a title and an updated (RFC 4287 §4.2.11)",
    "rss-root": 'the root is <rss version="2.0"> with one channel',
    "rss-channel": "the channel has a title, a link and a description",
    "rss-link": "channel and item links are absolute http(s) URLs",
    "rss-self": "an atom:link rel=self of type application/rss+xml that names the fetched URL",
    "rss-item": "every item has a title or a description, and no blank title",
    "rss-guid": "every item has a guid, no two the same; isPermaLink true or false; permalinks absolute URLs",
    "rss-source": "an item's <source> has a url attribute, an absolute URL, and a name",
    "rss-author": "an item's <author> holds an e-mail address, and is not doubled by dc:creator",
    "json-parse": "the body is a JSON object",
    "json-version": 'version is "https://jsonfeed.org/version/1.1"',
    "json-title": "the feed has a title",
    "json-feed-url": "feed_url names the URL the feed was fetched from",
    "json-home-page-url": "home_page_url is an absolute http(s) URL",
    "json-items": "items is a list of objects",
    "json-item-id": "every item has a string id, no two the same",
    "json-item-content": "every item has content_html or content_text",
    "json-item-url": "an item's url and external_url are absolute http(s) URLs",
    "json-authors": "authors is a list of objects with a name (1.1's authors, not 1.0's author)",
    "json-language": "every item has a language, its own or the feed's",
    "json-extension": "keys the spec does not define start with an underscore",
}
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


A = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
RFC822_YEAR = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(\d+)\s")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
KNOWN_LANGUAGES = frozenset(Locale("en").languages)  # CLDR's ISO 639 codes
EMAIL = re.compile(r"[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+")
XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
VOID_TAGS = _words("area base br col embed hr img input link meta source track wbr")
UNSAFE_TAGS = _words("script iframe frame frameset object embed applet style form base meta link")
JSON_FEED_KEYS = _words(
    "version title home_page_url feed_url description user_comment next_url icon favicon authors author"
    " language expired hubs items"
)
JSON_ITEM_KEYS = _words(
    "id url external_url title content_html content_text summary image banner_image date_published"
    " date_modified authors author tags language attachments"
)
JSON_AUTHOR_KEYS = _words("name url avatar")
# feedvalidator's registered link relations (IANA's, as it knows them); other rels must be IRIs.
ATOM_RELS = _words(
    "alternate current describedby edit edit-media enclosure first hub last license next next-archive payment"
    " prev-archive previous related replies search self service up via"
)
SELF_TYPES = _words("application/atom+xml application/rss+xml application/rdf+xml")
NOT_IN_URI = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
DEFAULT_PORTS = {"http": 80, "https": 443}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Finding:
    level: Level
    rule: str  # a key of RULES: a typo in a rule id fails at once
    message: str

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise KeyError(f"no rule {self.rule!r}")

    def __str__(self) -> str:
        return f"{self.level} [{self.rule}] {self.message}"


class Findings(list[Finding]):
    """What a checker collects; an empty one is a clean feed."""

    def error(self, rule: str, message: str) -> None:
        self.append(Finding("error", rule, message))

    def warning(self, rule: str, message: str) -> None:
        self.append(Finding("warning", rule, message))


def is_absolute_iri(value: str) -> bool:
    """A scheme, no spaces, and a host for web URLs: `tag:` and `urn:` ids are absolute too."""
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) or NOT_IN_URI.search(value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() not in DEFAULT_PORTS or bool(parts.netloc)


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme.lower() in DEFAULT_PORTS and bool(parts.netloc) and not NOT_IN_URI.search(value)


def is_canonical(value: str) -> bool:
    """What feedvalidator's canonical form (RFC 3986 §6.2.2-3) changes in a web URL: the scheme's and host's
    case, a default port, an empty path, lower-case percent-escapes, dot segments."""
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return True
    host = parts.netloc.rpartition("@")[2]
    try:
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == scheme
        and host == host.lower()
        and port != DEFAULT_PORTS[scheme]
        and parts.path != ""
        and not re.search(r"%(?![0-9A-F]{2})", value)
        and not re.search(r"(^|/)\.\.?(/|$)", parts.path)
    )


def check_url(value: str, where: str, out: Findings) -> None:
    """A URL that may be relative (feedvalidator warns) but must be a URI."""
    if NOT_IN_URI.search(value.strip()):
        out.error("url-syntax", f"{where}: {value!r} holds characters a URI cannot")
    elif not urlsplit(value.strip()).scheme:
        out.warning("relative-url", f"{where}: relative {value!r}")


def check_language(value: str, where: str, out: Findings) -> None:
    if not LANGUAGE.fullmatch(value) or value.split("-")[0].lower() not in KNOWN_LANGUAGES:
        out.error("language", f"{where}: {value!r} is not a language code")


def _plausible(stamp: datetime, where: str, out: Findings, now: datetime | None) -> None:
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    if stamp > (now or datetime.now(UTC)) + timedelta(days=1) or stamp.year < 1990:
        out.warning("date-implausible", f"{where}: {stamp.isoformat()} is in the future or before 1990")


def rfc3339(value: object, where: str, out: Findings, now: datetime | None) -> datetime | None:
    """The date, or None (with a finding when it is there but not RFC 3339)."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        stamp = datetime.fromisoformat(text) if RFC3339.fullmatch(text) else None
    except ValueError:
        stamp = None
    if stamp is None:
        out.error("date-rfc3339", f"{where}: {value!r} is not an RFC 3339 date-time")
        return None
    _plausible(stamp, where, out, now)
    return stamp


def rfc822(value: str | None, where: str, out: Findings, now: datetime | None) -> None:
    if value is None:
        return
    try:
        stamp = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        out.error("date-rfc822", f"{where}: {value!r} is not an RFC 822 date")
        return
    year = RFC822_YEAR.match(value.strip())
    if not year or len(year[1]) != 4:
        out.warning("date-rfc822", f"{where}: {value!r} should have a four-digit year")
    day = re.match(r"\s*([A-Za-z]{3}),", value)
    if day and day[1].title() != WEEKDAYS[stamp.weekday()]:
        out.error("date-rfc822", f"{where}: {value!r} was a {WEEKDAYS[stamp.weekday()]}")
    _plausible(stamp, where, out, now)


def date_order(published: datetime | None, updated: datetime | None, where: str, out: Findings) -> None:
    if published and updated and published > updated:
        out.error("date-order", f"{where}: published {published.isoformat()}, updated {updated.isoformat()}")


class _HtmlCheck(HTMLParser):
    """Balanced tags (what feeds write: every element closed), and nothing that runs or leaves."""

    def __init__(self, where: str, out: Findings) -> None:
        super().__init__(convert_charrefs=True)
        self.where, self.out, self.open = where, out, list[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.out.warning("html-unsafe", f"{self.where}: a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.out.warning("html-unsafe", f"{self.where}: an event handler {name}= on <{tag}>")
            if name in ("href", "src") and value is not None:
                if re.match(r"\s*(javascript|vbscript|data):", value, re.IGNORECASE):
                    self.out.warning("html-unsafe", f"{self.where}: a script URL {value[:40]!r}")
                else:
                    check_url(value, f"{self.where} <{tag} {name}>", self.out)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if not self.open or self.open[-1] != tag:
            opened = self.open[-1] if self.open else "nothing"
            self.out.error("html-content", f"{self.where}: </{tag}> closes <{opened}>")
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def check_html(html: str | None, where: str, out: Findings) -> None:
    if not html or not html.strip():
        out.error("html-content", f"{where}: empty HTML content")
        return
    parser = _HtmlCheck(where, out)
    parser.feed(html)
    parser.close()
    if parser.open:
        out.error("html-content", f"{where}: unclosed {', '.join(f'<{tag}>' for tag in parser.open)}")


def check_content_type(fmt: str, content_type: str, out: Findings) -> None:
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower() != MEDIA_TYPES[fmt]:
        out.error("content-type", f"Content-Type {content_type!r}, not {MEDIA_TYPES[fmt]}")
    charset = re.search(r"charset\s*=\s*\"?([^\";\s]+)", params, re.IGNORECASE)
    if charset and charset[1].lower() != "utf-8":
        out.error("content-type", f"Content-Type {content_type!r}: the charset is not utf-8")


def _xml(body: bytes, out: Findings) -> etree._Element | None:
    """The parsed tree (None if it is not XML), after the checks every XML feed gets."""
    parsed = feedparser.parse(body)
    if parsed.bozo:
        out.error("feedparser-bozo", f"feedparser: {parsed.get('bozo_exception')}")
    declared = XML_ENCODING.match(body)
    if declared is None:
        out.warning("encoding", "no XML declaration naming the encoding (utf-8)")
    elif declared[1].decode("ascii", "replace").lower() != "utf-8":
        out.error("encoding", f"declared encoding {declared[1]!r}, not utf-8")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        out.error("encoding", f"not UTF-8: {error}")
    try:
        return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        out.error("xml-wellformed", str(error))
        return None


def _text(element: etree._Element, path: str) -> str | None:
    text = element.findtext(path)
    return None if text is None else text.strip()


def _duplicates(counts: Counter[str], rule: str, what: str, out: Findings) -> None:
    for value, count in counts.items():
        if count > 1:
            out.error(rule, f"{count} {what} have the id {value!r}")


def _atom_links(parent: etree._Element, where: str, out: Findings) -> list[etree._Element]:
    links = parent.findall(f"{A}link")
    for link in links:
        href, rel = link.get("href"), link.get("rel", "alternate")
        kind, title = link.get("type"), link.get("title")
        if not href:
            out.error("atom-link-href", f"{where}: a link without href")
        elif not any(node.get(f"{XML_NS}base") for node in (link, *link.iterancestors())):
            check_url(href, f"{where} link", out)
        if title is not None and not title.strip():
            out.warning("atom-link-attrs", f"{where}: a link with a blank title (AttrNotBlank)")
        if link.get("hreflang") is not None:
            check_language(link.get("hreflang", ""), f"{where} link hreflang", out)
        if rel not in ATOM_RELS and not is_absolute_iri(rel):
            out.warning("atom-link-attrs", f"{where}: unregistered link rel {rel!r}")
        if rel == "self" and kind is not None and kind.split(";")[0] not in SELF_TYPES:
            out.warning("atom-link-attrs", f"{where}: rel=self of type {kind!r}, not a feed's")
    kinds = Counter((link.get("rel", "alternate"), link.get("type"), link.get("hreflang")) for link in links)
    for (rel, kind, lang), count in kinds.items():
        if count > 1:
            out.error("atom-link-duplicate", f"{where}: {count} links rel={rel} type={kind} hreflang={lang}")
    return links


def _atom_basics(
    element: etree._Element, where: str, out: Findings, now: datetime | None, rule: str = "atom-element-count"
) -> tuple[str | None, datetime | None]:
    """Exactly one id (absolute), title and updated (RFC 3339), named authors: feed, entry, source."""
    for name in ("id", "title", "updated"):
        if (count := len(element.findall(f"{A}{name}"))) != 1:
            out.error(rule, f"{where}: {count} <{name}> elements, not 1")
    raw = element.findtext(f"{A}id")
    ident = None if raw is None else raw.strip()
    if ident is not None and (raw != ident or not is_absolute_iri(ident)):
        out.error("atom-id", f"{where}: id {raw!r} is not an absolute IRI without spaces")
    elif ident is not None and not is_canonical(ident):
        out.warning("atom-id", f"{where}: id {ident!r} is not in canonical form")
    for author in element.findall(f"{A}author"):
        if not _text(author, f"{A}name"):
            out.error("atom-author", f"{where}: an author without a name")
    return ident or None, rfc3339(_text(element, f"{A}updated"), f"{where} updated", out, now)


def _atom_entry(entry: etree._Element, where: str, out: Findings, now: datetime | None) -> str | None:
    ident, updated = _atom_basics(entry, where, out, now)
    published = rfc3339(_text(entry, f"{A}published"), f"{where} published", out, now)
    date_order(published, updated, where, out)
    if not any(link.get("rel", "alternate") == "alternate" for link in _atom_links(entry, where, out)):
        out.error("atom-alternate", f"{where}: no rel=alternate link")
    for content in entry.findall(f"{A}content"):
        if content.get("type") == "html":
            check_html(content.text, f"{where} content", out)
    for source in entry.findall(f"{A}source"):
        _atom_basics(source, f"{where} source", out, now, rule="atom-source")
        _atom_links(source, f"{where} source", out)
    return ident


def check_atom(body: bytes, url: str, *, now: datetime | None = None) -> list[Finding]:
    """RFC 4287, and feedvalidator's warnings."""
    out = Findings()
    root = _xml(body, out)
    if root is None:
        return out
    if root.tag != f"{A}feed":
        out.error("atom-root", f"the root is {root.tag}, not atom:feed")
        return out
    if root.get(f"{XML_NS}lang") is not None:
        check_language(root.get(f"{XML_NS}lang", ""), "feed xml:lang", out)
    _atom_basics(root, "feed", out, now)
    links = _atom_links(root, "feed", out)
    selves = [link.get("href") for link in links if link.get("rel") == "self"]
    if not selves:
        out.warning("atom-self", "no rel=self link")
    elif selves[0] != url:
        out.warning("atom-self", f"rel=self is {selves[0]!r}, fetched from {url!r}")
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    if not any(link.get("type") == "text/html" for link in alternates):
        out.error("atom-alternate", "no rel=alternate type=text/html link on the feed")
    ids: Counter[str] = Counter()
    for number, entry in enumerate(root.findall(f"{A}entry"), 1):
        ident = _atom_entry(entry, f"entry {number}", out, now)
        ids.update([ident] if ident else [])
        authored = (root, entry, entry.find(f"{A}source"))
        if not any(node is not None and node.find(f"{A}author") is not None for node in authored):
            out.error("atom-author", f"entry {number}: no author, nor on its source or the feed")
    _duplicates(ids, "atom-id-unique", "entries", out)
    return out


def _rss_item(item: etree._Element, where: str, out: Findings, now: datetime | None) -> str | None:
    """Checks one item; returns its guid."""
    description = item.findtext("description")
    if not (_text(item, "title") or (description or "").strip()):
        out.error("rss-item", f"{where}: neither title nor description")
    elif item.find("title") is not None and not _text(item, "title"):
        out.warning("rss-item", f"{where}: a blank title")
    if description is not None:
        check_html(description, f"{where} description", out)
    link = _text(item, "link")
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
    root = _xml(body, out)
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
    link = _text(channel, "link")
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
    if (language := _text(channel, "language")) is not None:
        check_language(language, "channel language", out)
    guids = Counter(
        _rss_item(item, f"item {n}", out, now) for n, item in enumerate(channel.findall("item"), 1)
    )
    _duplicates(Counter({guid: n for guid, n in guids.items() if guid is not None}), "rss-guid", "items", out)
    return out


def _json_keys(data: dict[str, Any], known: frozenset[str], where: str, out: Findings) -> None:
    for key in data:
        if key not in known and not key.startswith("_"):
            out.error("json-extension", f"{where}: {key!r} is not JSON Feed 1.1's and does not start with _")


def _json_authors(data: dict[str, Any], where: str, out: Findings) -> None:
    if "author" in data:
        out.warning("json-authors", f"{where}: 'author' is JSON Feed 1.0's; 1.1 has 'authors'")
    authors = data.get("authors", [])
    for author in authors if isinstance(authors, list) else [authors]:
        if not isinstance(author, dict) or not isinstance(author.get("name"), str) or not author["name"]:
            out.error("json-authors", f"{where}: authors holds {author!r}, not an object with a name")
        else:
            _json_keys(author, JSON_AUTHOR_KEYS, f"{where} author", out)


def _json_item(item: dict[str, Any], where: str, out: Findings, now: datetime | None) -> None:
    ident = item.get("id")
    if not isinstance(ident, str) or not ident:
        out.error("json-item-id", f"{where}: id {ident!r} is not a non-empty string")
    if not any(isinstance(item.get(key), str) for key in ("content_html", "content_text")):
        out.error("json-item-content", f"{where}: neither content_html nor content_text")
    if "content_html" in item:
        check_html(str(item["content_html"]), f"{where} content_html", out)
    for key in ("url", "external_url"):
        if key in item and not is_web_url(str(item[key])):
            out.error("json-item-url", f"{where}: {key} {item[key]!r} is not an absolute URL")
    published = rfc3339(item.get("date_published"), f"{where} date_published", out, now)
    modified = rfc3339(item.get("date_modified"), f"{where} date_modified", out, now)
    date_order(published, modified, where, out)
    _json_authors(item, where, out)
    if "language" in item:
        check_language(str(item["language"]), f"{where} language", out)
    _json_keys(item, JSON_ITEM_KEYS, where, out)


def check_json_feed(body: bytes, url: str, *, now: datetime | None = None) -> list[Finding]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    out = Findings()
    if body.startswith(codecs.BOM_UTF8):
        out.error("encoding", "a byte order mark before the JSON")
    try:
        data = json.loads(body.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as error:
        out.error("encoding", f"not UTF-8: {error}")
        return out
    except ValueError as error:
        out.error("json-parse", str(error))
        return out
    if not isinstance(data, dict):
        out.error("json-parse", f"a JSON {type(data).__name__}, not an object")
        return out
    if data.get("version") != JSON_FEED_VERSION:
        out.error("json-version", f"version {data.get('version')!r}, not {JSON_FEED_VERSION!r}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        out.error("json-title", "no title")
    if data.get("feed_url") != url:
        out.warning("json-feed-url", f"feed_url {data.get('feed_url')!r}, fetched from {url!r}")
    if "home_page_url" not in data:
        out.warning("json-home-page-url", "no home_page_url")
    elif not is_web_url(str(data["home_page_url"])):
        out.error("json-home-page-url", f"home_page_url {data['home_page_url']!r} is not an absolute URL")
    _json_keys(data, JSON_FEED_KEYS, "feed", out)
    _json_authors(data, "feed", out)
    if "language" in data:
        check_language(str(data["language"]), "feed language", out)
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        out.error("json-items", "items is not a list of objects")
        return out
    for number, item in enumerate(items, 1):
        _json_item(item, f"item {number}", out, now)
        if "language" not in item and "language" not in data:
            out.warning("json-language", f"item {number}: no language, and none on the feed")
    ids = Counter(item["id"] for item in items if isinstance(item.get("id"), str))
    _duplicates(ids, "json-item-id", "items", out)
    return out


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
