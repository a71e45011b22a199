"""The editorial filters' step: right after extraction, before any engine sees the article.

Both runners call `screen_item` once the document is extracted (embedded: `_process_item`;
distributed: the extract task). The rules are the configured ones ([filters], global then the
source's) followed by the stored ones (admin, CLI); stories/filters.py has the grammar and the
order. An excluded item is final: it keeps its page and document, is never claimed for
translation, and says which rule stopped it (items.excluded_by, shown in the admin and status).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.errors import BabelwireError
from babelwire.pipeline.stages import StageError, document_language
from babelwire.store import filter_rules, queries
from babelwire.store.db import Store
from babelwire.store.models import DocumentRow, ItemRow, ItemStatus
from babelwire.stories.filters import Rule, RuleError, Subject, excluding_rule

log = logging.getLogger("babelwire.pipeline")


class ScreeningError(BabelwireError):
    """The item cannot be screened: no document yet, or a stored rule that no longer parses."""


@dataclass(frozen=True)
class _Screened:
    status: str
    url: str
    subject: Subject
    rules: list[Rule]


def screen_item(store: Store, settings: Settings, item_id: int) -> bool:
    """Apply the filters to an extracted item: False (and the item EXCLUDED, with its rule) if one
    excludes it, True if it goes on. An item already final is left as it is (False if excluded)."""
    with store.session() as session:
        screened = _load(session, settings, item_id)
    if screened.status == ItemStatus.EXCLUDED:
        return False
    if screened.status in ItemStatus.FINAL:
        return True
    rule = excluding_rule(screened.rules, screened.subject)
    if rule is None:
        return True
    reason = rule.describe()
    with store.session() as session, session.begin():
        item = session.get_one(ItemRow, item_id)
        if item.status in ItemStatus.FINAL:  # settled meanwhile (a person, a racing copy of the step)
            return item.status == ItemStatus.EXCLUDED
        item.status = ItemStatus.EXCLUDED
        item.excluded_by = reason
        item.queued_at = None
        item.error_stage = item.error_class = item.error_message = None
    log.info("item %s %s: excluded by rule %s", item_id, screened.url, reason)
    return False


def _load(session: Session, settings: Settings, item_id: int) -> _Screened:
    item = session.get_one(ItemRow, item_id)
    if item.status in ItemStatus.FINAL:
        return _Screened(item.status, item.url, Subject(), [])
    if item.document_key is None:
        raise ScreeningError(
            "not_extracted", "the document is not extracted yet; the extract step must run first", item.url
        )
    document = queries.document_from_row(session.get_one(DocumentRow, item.document_key))
    source = item.source
    try:
        language: str | None = document_language(document, queries.source_from_row(source))
    except StageError:
        language = None  # a language rule cannot match it; translation reports the missing language
    subject = Subject(
        title=document.title or item.title or "",
        body=document.body_text,
        url=item.url,
        language=language,
        categories=tuple(line for line in (item.categories or "").splitlines() if line.strip()),
        source_id=item.source_id,
    )
    try:
        stored = filter_rules.rules_for_source(session, item.source_id)
    except RuleError as exc:
        raise ScreeningError("bad_filter_rule", str(exc), item.url) from exc
    configured = settings.filters.rules_for(source.id, source.url, source.name)
    return _Screened(item.status, item.url, subject, [*configured, *stored])
