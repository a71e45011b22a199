"""OPML import and export: the lingua franca for moving feed lists between readers."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from babelwire.domain import Source, SourceKind
from babelwire.sources.errors import SourceError

# Never resolve entities or fetch DTDs from a file a stranger may have written.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_opml(data: bytes) -> list[Source]:
    """Every outline with an xmlUrl, at any depth; the title falls back to text, then the URL."""
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError("opml", "invalid_opml", f"not valid OPML XML: {exc}") from exc
    if root is None or root.tag != "opml":
        raise SourceError("opml", "invalid_opml", "the document's root element is not <opml>")
    sources: list[Source] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url or url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        name = (outline.get("title") or outline.get("text") or url).strip()
        sources.append(
            Source(
                name=name,
                url=url,
                kind=SourceKind.FEED,
                language=(outline.get("language") or None),
                site_url=(outline.get("htmlUrl") or None),
            )
        )
    return sources


def render_opml(sources: list[Source], title: str = "babelwire sources") -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = etree.SubElement(root, "body")
    for source in sources:
        attrs = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url}
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        if source.language:
            attrs["language"] = source.language
        etree.SubElement(body, "outline", attrs)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
