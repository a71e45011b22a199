"""What every feed format's rules share: the rule table, findings, URL, language, date and HTML checks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Literal
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


def words(text: str) -> frozenset[str]:
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
VOID_TAGS = words("area base br col embed hr img input link meta source track wbr")
UNSAFE_TAGS = words("script iframe frame frameset object embed applet style form base meta link")
JSON_FEED_KEYS = words(
    "version title home_page_url feed_url description user_comment next_url icon favicon authors author"
    " language expired hubs items"
)
JSON_ITEM_KEYS = words(
    "id url external_url title content_html content_text summary image banner_image date_published"
    " date_modified authors author tags language attachments"
)
JSON_AUTHOR_KEYS = words("name url avatar")
# feedvalidator's registered link relations (IANA's, as it knows them); other rels must be IRIs.
ATOM_RELS = words(
    "alternate current describedby edit edit-media enclosure first hub last license next next-archive payment"
    " prev-archive previous related replies search self service up via"
)
SELF_TYPES = words("application/atom+xml application/rss+xml application/rdf+xml")
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


def plausible(stamp: datetime, where: str, out: Findings, now: datetime | None) -> None:
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
    plausible(stamp, where, out, now)
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
    plausible(stamp, where, out, now)


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


def parse_xml(body: bytes, out: Findings) -> etree._Element | None:
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


def child_text(element: etree._Element, path: str) -> str | None:
    text = element.findtext(path)
    return None if text is None else text.strip()


def report_duplicates(counts: Counter[str], rule: str, what: str, out: Findings) -> None:
    for value, count in counts.items():
        if count > 1:
            out.error(rule, f"{count} {what} have the id {value!r}")
