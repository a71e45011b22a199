"""What the JSON API takes and gives. Input is validated here, so the admin forms reuse it;
output is built here from store rows, with foreign HTML through the sanitizer once more."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema
from sqlalchemy import Row

from babelwire.domain import BlockKind, Repair, TranslatedBlock, repairs_from_json
from babelwire.extract.sanitize import sanitize_inline
from babelwire.store.articles import PublishedRow
from babelwire.store.models import DocumentRow, ItemRow, SourceRow, TranslationRow
from babelwire.web.rendering import block_body

LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
# An http(s) URL with a host name (or IPv4 address), an optional port, then printable ASCII (IRIs
# percent-encoded, host names in punycode); no user name or password: no "@" before the path.
URL_PATTERN = rf"^[Hh][Tt][Tt][Pp][Ss]?://{_LABEL}(\.{_LABEL})*(:{_PORT})?([/?#][!-~]*)?$"
MAX_URL = 2000
MAX_NAME = 300
NAME_PATTERN = r"\S"  # at least one character that is not white space
ArticleRow = Row[ItemRow, DocumentRow, TranslationRow, SourceRow] | PublishedRow  # a list row or one by id


@dataclass(frozen=True)
class Matching:
    """A string constraint that is one regex for the schema (`pattern`) and for validation.

    Searched as JSON Schema and Python clients search it (`re.search`, so `$` allows one trailing
    newline), with a message a person can read instead of pydantic's "should match pattern".
    """

    pattern: str
    message: str

    def check(self, value: str) -> str:
        if not re.search(self.pattern, value):
            raise ValueError(self.message)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "pattern": self.pattern}


def normal_url(value: str) -> str:
    """The URL as stored, without the one trailing newline the pattern's `$` lets through."""
    return value.removesuffix("\n")


def normal_language(value: str) -> str:
    """The code part lower-cased (`ES-419` is `es-419`), the region or script as given."""
    value = value.removesuffix("\n")
    code = value.split("-", 1)[0]
    return code.lower() + value[len(code) :]


def normal_name(value: str) -> str:
    """White space collapsed; the pattern guarantees something is left."""
    return " ".join(value.split())


def form_text(value: str) -> str | None:
    """A form field as a model field: trimmed, and blank means not given (the API has no blanks)."""
    return value.strip() or None


URL_RULE = Matching(
    URL_PATTERN,
    "only http:// and https:// URLs with a host name are accepted: no spaces, user name or password; "
    "other characters percent-encoded",
)
LANGUAGE_RULE = Matching(LANGUAGE_PATTERN, "a language is an ISO 639 code such as 'es', 'en' or 'pt-BR'")
NAME_RULE = Matching(NAME_PATTERN, "the name cannot be empty")
HttpURL = Annotated[str, Field(max_length=MAX_URL), URL_RULE, AfterValidator(normal_url)]
LanguageCode = Annotated[str, Field(max_length=12), LANGUAGE_RULE, AfterValidator(normal_language)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), NAME_RULE, AfterValidator(normal_name)]
RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def rfc3339(value: object) -> object:
    """Only an RFC 3339 date-time, as the schema's `format: date-time` says; pydantic alone would
    also take a number of seconds (`0.5`) or a date without a time."""
    if isinstance(value, str) and not RFC3339.fullmatch(value):
        raise ValueError("a date-time as in RFC 3339: 2026-03-20T09:00:00Z")
    return value


Timestamp = Annotated[datetime, BeforeValidator(rfc3339)]
# Strict: JSON's 0, 1 and "true" are not booleans, and no string is made from a number.
REQUEST = ConfigDict(extra="forbid", strict=True)


class SourceCreate(BaseModel):
    model_config = REQUEST

    url: HttpURL = Field(description="Feed URL (RSS, Atom or JSON Feed), http or https.")
    name: Name | None = Field(default=None, description="Display name; null: the URL's host.")
    language: LanguageCode | None = Field(default=None, description="Language of the articles; null: detect.")
    enabled: bool = True
    excerpt_only: bool = Field(default=False, description="Publish only title, first paragraph and link.")


class SourcePatch(BaseModel):
    """Only the fields sent change; `language: null` goes back to detection, `name: null` keeps it."""

    model_config = REQUEST

    name: Name | None = None
    language: LanguageCode | None = None
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


class AlsoPublishedOut(BaseModel):
    """A copy: the same text another source published under its own URL (store/stories.py)."""

    model_config = ConfigDict(from_attributes=True)

    item_id: int
    source_id: int
    source_name: str
    url: str = Field(description="The copy's original URL.")
    published: datetime | None


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
    story_id: int | None = Field(default=None, description="Its story (/api/v1/stories/{id}); null: none.")
    also_published_by: list[AlsoPublishedOut] = Field(
        default_factory=list, description="Copies of it other sources published, oldest first."
    )


class ArticlePage(BaseModel):
    total: int = Field(description="How many articles match, in every page.")
    limit: int
    offset: int
    next: str | None = Field(description="Pass as `before` for the older page; null: this is the last.")
    prev: str | None = Field(description="Pass as `after` for the newer page; null: this is the first.")
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
        "story_id": item.story_id,
    }


def article_detail(row: ArticleRow, base_url: str, also: Sequence[object] = ()) -> ArticleDetail:
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
        also_published_by=[AlsoPublishedOut.model_validate(copy) for copy in also],
        lead_image=document.lead_image,
        blocks=blocks,
        review=review,
        repairs=repairs,
    )


def article_summary(row: ArticleRow, base_url: str, also: Sequence[object] = ()) -> ArticleSummary:
    """`also`: its copies (store/stories.AlsoPublished), read for a whole page at once."""
    return ArticleSummary(
        **_summary_fields(row, base_url), also_published_by=[AlsoPublishedOut.model_validate(c) for c in also]
    )
