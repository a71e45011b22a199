"""What the JSON API takes and gives. Input is validated here, so the admin forms reuse it;
output is built here from store rows, with foreign HTML through the sanitizer once more."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import Row

from babelwire.domain import BlockKind, Repair, TranslatedBlock, repairs_from_json
from babelwire.extract.sanitize import sanitize_inline
from babelwire.store.models import DocumentRow, ItemRow, SourceRow, TranslationRow
from babelwire.web.rendering import block_body

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
LANGUAGE_PATTERN = LANGUAGE.pattern
ArticleRow = Row[ItemRow, DocumentRow, TranslationRow, SourceRow]


def check_url(value: str) -> str:
    """An absolute http(s) URL with a host: the only kind of source babelwire fetches."""
    value = value.strip()
    if len(value) > 2000 or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("a URL has no spaces or control characters and at most 2000 characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("only http:// and https:// URLs with a host name are accepted")
    if parts.username or parts.password:
        raise ValueError("URLs with user names or passwords are not accepted")
    return value


def check_language(value: str | None) -> str | None:
    """ISO 639-1/639-3 with an optional region or script (`pt-BR`); empty means: detect it."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    code = value.split("-", 1)[0]
    normalized = code.lower() + value[len(code) :]
    if not LANGUAGE.fullmatch(normalized):
        raise ValueError("a language is an ISO 639 code such as 'es', 'en' or 'pt-BR'")
    return normalized


def check_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("the name cannot be empty")
    if len(value) > 300:
        raise ValueError("the name has at most 300 characters")
    return value


def optional_name(value: str | None) -> str | None:
    return None if value is None or not value.strip() else check_name(value)


HttpURL = Annotated[str, AfterValidator(check_url)]
LanguageCode = Annotated[str | None, AfterValidator(check_language)]


def required_name(value: str | None) -> str | None:
    return None if value is None else check_name(value)


Name = Annotated[str | None, AfterValidator(optional_name)]  # blank: use the host name
NewName = Annotated[str | None, AfterValidator(required_name)]  # absent: keep; blank: an error


class SourceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpURL = Field(description="Feed URL (RSS, Atom or JSON Feed), http or https.")
    name: Name = Field(default=None, description="Display name; default: the URL's host.")
    language: LanguageCode = Field(default=None, description="Language of the articles; null: detect.")
    enabled: bool = True
    excerpt_only: bool = Field(default=False, description="Publish only title, first paragraph and link.")


class SourcePatch(BaseModel):
    """Only the fields sent change; `language: null` goes back to detection."""

    model_config = ConfigDict(extra="forbid")

    name: NewName = None
    language: LanguageCode = None
    enabled: bool | None = None
    excerpt_only: bool | None = None


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    url: str
    kind: str
    language: str | None
    site_url: str | None
    enabled: bool
    excerpt_only: bool
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    last_error: str | None
    error_count: int
    created_at: datetime


class FindingOut(BaseModel):
    segment: int = Field(description="Sentence index: 0 is the title, then the body in order; -1: all.")
    check: str
    severity: str
    message: str


class ReviewOut(BaseModel):
    status: str = Field(description="publish, released (held, then released by a person), ...")
    score: float | None
    reviewed_at: datetime | None
    findings: list[FindingOut]


class ArticleSummary(BaseModel):
    id: int
    language: str
    source_language: str
    title: str
    original_title: str
    original_url: str
    source_id: int
    source_name: str
    author: str | None
    published: datetime | None
    fetched: datetime
    site_published: datetime | None
    engine: str
    model_version: str
    machine_translated: bool
    excerpt_only: bool
    excerpt_html: str = Field(description="First paragraph, inline HTML through the sanitizer.")
    url: str = Field(description="The article's page on this site.")


class ArticlePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ArticleSummary]


class SentenceOut(BaseModel):
    segment: int
    source_html: str
    target_html: str = Field(description="The translation; the original itself when `withheld`.")
    withheld: str | None = Field(
        default=None,
        description="What the automated editor found when it withheld this sentence's translation: "
        "the sentence is published in the original language. Null: the translation is published.",
    )
    findings: list[FindingOut]


class BlockOut(BaseModel):
    kind: str
    html: str = Field(
        description="Inline HTML through the sanitizer; a withheld sentence is in the original language, "
        'in <span class="withheld" lang="..."> with a visible mark.'
    )
    source_html: str
    sentences: list[SentenceOut]


class RepairAttemptOut(BaseModel):
    how: str = Field(description="How this try was made: another route, the pivot, unprotected, split...")
    target_html: str = Field(description="The translation this try gave, through the sanitizer.")
    findings: list[str] = Field(description="What the automated editor still found in it.")


class RepairOut(BaseModel):
    """What the automated editor did about one sentence it flagged."""

    segment: int = Field(description="The sentence, numbered as findings are: 0 is the title.")
    source_html: str
    first_html: str = Field(description="The first translation, the one the editor flagged.")
    first_findings: list[str] = Field(description="What the editor found in the first translation.")
    attempts: list[RepairAttemptOut]
    kept: str = Field(
        description='"first" (no try did better), the `how` of the attempt kept, or "original" '
        "(the sentence is published in the original language)."
    )


class ArticleDetail(ArticleSummary):
    lead_image: str | None
    blocks: list[BlockOut] = Field(description="Only the first paragraph for excerpt-only sources.")
    review: ReviewOut
    repairs: list[RepairOut] = Field(description="The editor's repairs of the sentences published here.")


class HeldOut(BaseModel):
    item_id: int
    url: str
    language: str
    title: str
    status: str
    score: float | None
    reviewed_at: datetime | None
    findings: list[FindingOut]


class Problem(BaseModel):
    detail: str


# --- from the store to the API: published rows, foreign HTML sanitized again on the way out ---


def _findings(translation: TranslationRow) -> list[FindingOut]:
    return [FindingOut.model_validate(f) for f in json.loads(translation.findings_json or "[]")]


def _kept(blocks: list[TranslatedBlock], excerpt_only: bool) -> list[int]:
    """Indexes of the blocks to publish: all, or for excerpt-only sources the first paragraph."""
    if not excerpt_only or not blocks:
        return list(range(len(blocks)))
    return [next((i for i, b in enumerate(blocks) if b.kind == BlockKind.PARAGRAPH), 0)]


def _blocks(translation: TranslationRow) -> list[TranslatedBlock]:
    return [TranslatedBlock.from_json(b) for b in json.loads(translation.blocks_json)]


def body(block: TranslatedBlock, translation: TranslationRow) -> str:
    """The block as the site shows it: sanitized, withheld sentences in the original and marked."""
    return str(block_body(block, translation.source_lang, translation.target_lang))


def _repair(repair: Repair) -> RepairOut:
    return RepairOut(
        segment=repair.segment,
        source_html=sanitize_inline(repair.source_html),
        first_html=sanitize_inline(repair.first_html),
        first_findings=list(repair.first_findings),
        attempts=[
            RepairAttemptOut(how=a.how, target_html=sanitize_inline(a.target_html), findings=list(a.findings))
            for a in repair.attempts
        ],
        kept=repair.kept,
    )


def _summary_fields(row: ArticleRow, base_url: str) -> dict[str, Any]:
    item, document, translation, source = row
    blocks = _blocks(translation)
    first = _kept(blocks, excerpt_only=True)  # the first paragraph
    return {
        "id": item.id,
        "language": translation.target_lang,
        "source_language": translation.source_lang,
        "title": translation.title,
        "original_title": document.title,
        "original_url": item.url,
        "source_id": source.id,
        "source_name": source.name,
        "author": document.byline or item.author,
        "published": document.published_at or item.published_at,
        "fetched": document.created_at,
        "site_published": item.site_published_at,
        "engine": translation.engine,
        "model_version": translation.model_version,
        "machine_translated": translation.engine != "original",
        "excerpt_only": source.excerpt_only,
        "excerpt_html": body(blocks[first[0]], translation) if first else "",
        "url": f"{base_url.rstrip('/')}/{translation.target_lang}/articles/{item.id}",
    }


def article_detail(row: ArticleRow, base_url: str) -> ArticleDetail:
    """The translation sentence by sentence, with the findings of each sentence beside it."""
    _item, document, translation, source = row
    findings = _findings(translation)
    by_segment: dict[int, list[FindingOut]] = {}
    for finding in findings:
        by_segment.setdefault(finding.segment, []).append(finding)
    # Segment numbers follow the editor: 0 is the title, then every sentence of every block.
    segment, blocks, shown = 1, [], {0, -1}
    all_blocks = _blocks(translation)
    kept = set(_kept(all_blocks, source.excerpt_only))
    for index, block in enumerate(all_blocks):
        sentences = []
        for pair in block.sentences:
            sentences.append(
                SentenceOut(
                    segment=segment,
                    source_html=sanitize_inline(pair.source_html),
                    target_html=sanitize_inline(pair.target_html),
                    withheld=pair.withheld or None,
                    findings=by_segment.get(segment, []),
                )
            )
            segment += 1
        if index in kept:
            shown.update(s.segment for s in sentences)
            blocks.append(
                BlockOut(
                    kind=str(block.kind),
                    html=body(block, translation),
                    source_html=sanitize_inline(block.source_html),
                    sentences=sentences,
                )
            )
    review = ReviewOut(
        status=translation.review_status,
        score=translation.review_score,
        reviewed_at=translation.reviewed_at,
        findings=[f for f in findings if f.segment in shown],
    )
    repairs = [_repair(r) for r in repairs_from_json(translation.repairs_json) if r.segment in shown]
    return ArticleDetail(
        **_summary_fields(row, base_url),
        lead_image=document.lead_image,
        blocks=blocks,
        review=review,
        repairs=repairs,
    )


def article_summary(row: ArticleRow, base_url: str) -> ArticleSummary:
    return ArticleSummary(**_summary_fields(row, base_url))
