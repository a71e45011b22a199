"""Domain values shared by every stage.

Stages are plain functions from one of these values to the next; keeping them frozen
dataclasses (not ORM rows) is what lets a stage run in-process, in a worker, or in a test
without a database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


def content_hash(*parts: str) -> str:
    """Stable key for idempotent stages: the same input always gives the same key."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class SourceKind(StrEnum):
    FEED = "feed"  # RSS, Atom or JSON Feed
    SITEMAP = "sitemap"  # a (news) sitemap or sitemap index
    INDEX = "index"  # an HTML page listing articles, without any feed


@dataclass(frozen=True)
class Source:
    """A place news comes from: a feed, a news sitemap or an index page."""

    name: str
    url: str
    kind: SourceKind = SourceKind.FEED
    language: str | None = None
    site_url: str | None = None
    # Index pages: a regular expression article URLs must match (default: heuristics).
    link_pattern: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """One entry found in a source: where the article lives and what the feed says about it."""

    url: str
    guid: str
    title: str
    published: datetime | None = None
    author: str | None = None
    summary: str | None = None
    categories: tuple[str, ...] = ()  # the feed's tags for it (sources/categories.py): filter rules see them


@dataclass(frozen=True)
class FeedPoll:
    """The result of polling one source once."""

    items: tuple[FeedItem, ...]
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_url: str | None = None
    language: str | None = None
    # WebSub: the hub a feed advertises and its canonical (self) URL, the topic to subscribe to.
    hub_url: str | None = None
    self_url: str | None = None


@dataclass(frozen=True)
class Page:
    """A fetched web page: decoded HTML plus what the server said about it."""

    url: str
    final_url: str
    status: int
    content_type: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return content_hash(self.final_url, self.html)


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    CAPTION = "caption"


@dataclass(frozen=True)
class Block:
    """One unit of article structure.

    `html` is sanitized inline markup (links, emphasis, line breaks only); `text` is the
    same content as plain text, for search, language id and review.
    """

    kind: BlockKind
    html: str
    text: str


@dataclass(frozen=True)
class Document:
    """An extracted article: metadata plus body blocks in reading order."""

    url: str
    title: str
    blocks: tuple[Block, ...]
    language: str | None = None
    byline: str | None = None
    published: datetime | None = None
    lead_image: str | None = None
    site_name: str | None = None
    description: str | None = None

    @property
    def key(self) -> str:
        return content_hash(self.title, *(f"{b.kind}:{b.html}" for b in self.blocks))

    @property
    def body_text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["blocks"] = [{"kind": str(b.kind), "html": b.html, "text": b.text} for b in self.blocks]
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Document:
        raw_blocks = data.get("blocks") or []
        assert isinstance(raw_blocks, list)
        published = data.get("published")
        return cls(
            url=str(data["url"]),
            title=str(data["title"]),
            blocks=tuple(
                Block(kind=BlockKind(b["kind"]), html=str(b["html"]), text=str(b["text"])) for b in raw_blocks
            ),
            language=_opt_str(data.get("language")),
            byline=_opt_str(data.get("byline")),
            published=datetime.fromisoformat(published) if isinstance(published, str) else None,
            lead_image=_opt_str(data.get("lead_image")),
            site_name=_opt_str(data.get("site_name")),
            description=_opt_str(data.get("description")),
        )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class SentencePair:
    """A source sentence and its translation (inline HTML), for review checks and the bilingual view.

    `withheld` names what the automated editor found when it shows this sentence in the original
    language instead of its translation (review.withheld_sentences = "original")."""

    source_html: str
    target_html: str
    withheld: str = ""

    def to_json(self) -> list[str]:
        return [self.source_html, self.target_html, *([self.withheld] if self.withheld else [])]


@dataclass(frozen=True)
class RepairAttempt:
    """One more try at a flagged sentence: how it was made, the result, what the editor still found."""

    how: str
    target_html: str
    findings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"how": self.how, "target_html": self.target_html, "findings": list(self.findings)}


@dataclass(frozen=True)
class Repair:
    """What the editor did about one flagged sentence (`segment`: 0 is the title, as in review).

    `kept` is "first" (no try did better), the `how` of the attempt kept, or "original" when the
    sentence is shown in the original language."""

    segment: int
    source_html: str
    first_html: str
    first_findings: tuple[str, ...]
    attempts: tuple[RepairAttempt, ...]
    kept: str

    def to_json(self) -> dict[str, object]:
        return {
            "segment": self.segment,
            "source_html": self.source_html,
            "first_html": self.first_html,
            "first_findings": list(self.first_findings),
            "attempts": [a.to_json() for a in self.attempts],
            "kept": self.kept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Repair:
        return cls(
            segment=int(data["segment"]),
            source_html=str(data["source_html"]),
            first_html=str(data["first_html"]),
            first_findings=tuple(str(f) for f in data.get("first_findings", [])),
            attempts=tuple(
                RepairAttempt(
                    str(a["how"]), str(a["target_html"]), tuple(str(f) for f in a.get("findings", []))
                )
                for a in data.get("attempts", [])
            ),
            kept=str(data["kept"]),
        )


@dataclass(frozen=True)
class TranslatedBlock:
    kind: BlockKind
    html: str
    source_html: str
    sentences: tuple[SentencePair, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "html": self.html,
            "source_html": self.source_html,
            "sentences": [p.to_json() for p in self.sentences],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TranslatedBlock:
        pairs = data.get("sentences") or []
        assert isinstance(pairs, list)
        return cls(
            kind=BlockKind(str(data["kind"])),
            html=str(data["html"]),
            source_html=str(data["source_html"]),
            sentences=tuple(SentencePair(*(str(part) for part in pair[:3])) for pair in pairs),
        )


def repairs_from_json(text: str | None) -> tuple[Repair, ...]:
    """The stored `repairs_json` of a translation (None: the editor repaired nothing)."""
    return tuple(Repair.from_json(r) for r in json.loads(text or "[]"))


@dataclass(frozen=True)
class Translation:
    """A document in one target language, with the engine that made it (provenance is published)."""

    document_key: str
    source_lang: str
    target_lang: str
    engine: str
    model_version: str
    title: str
    blocks: tuple[TranslatedBlock, ...]
    pivot_lang: str | None = None
    repairs: tuple[Repair, ...] = ()

    @property
    def key(self) -> str:
        return content_hash(self.document_key, self.target_lang, self.engine, self.model_version)

    def blocks_json(self) -> str:
        return json.dumps([b.to_json() for b in self.blocks], ensure_ascii=False)

    def repairs_json(self) -> str:
        return json.dumps([r.to_json() for r in self.repairs], ensure_ascii=False)

    @property
    def withheld_sentences(self) -> int:
        return sum(1 for block in self.blocks for pair in block.sentences if pair.withheld)
