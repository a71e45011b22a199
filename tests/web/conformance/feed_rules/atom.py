"""RFC 4287 (Atom 1.0), as feedvalidator reads it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from lxml import etree

from tests.web.conformance.feed_rules.common import (
    ATOM_RELS,
    SELF_TYPES,
    XML_NS,
    A,
    Finding,
    Findings,
    check_html,
    check_language,
    check_url,
    child_text,
    date_order,
    is_absolute_iri,
    is_canonical,
    parse_xml,
    report_duplicates,
    rfc3339,
)


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
        if not child_text(author, f"{A}name"):
            out.error("atom-author", f"{where}: an author without a name")
    return ident or None, rfc3339(child_text(element, f"{A}updated"), f"{where} updated", out, now)


def _atom_entry(entry: etree._Element, where: str, out: Findings, now: datetime | None) -> str | None:
    ident, updated = _atom_basics(entry, where, out, now)
    published = rfc3339(child_text(entry, f"{A}published"), f"{where} published", out, now)
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
    root = parse_xml(body, out)
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
    report_duplicates(ids, "atom-id-unique", "entries", out)
    return out
