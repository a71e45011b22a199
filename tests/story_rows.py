"""Stories written straight into the store, as the stories stage leaves them (items.story_id, copies
with status `duplicate` and copy_of_id, the `placed`/`copy` events), for the tests of what readers
see of stories: the pages, feeds and API need no pipeline run to be tested on both backends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.orm import Session

from babelwire.domain import (
    Block,
    BlockKind,
    Document,
    FeedItem,
    SentencePair,
    Source,
    TranslatedBlock,
    Translation,
)
from babelwire.store import queries
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, SourceRow, StoryEventRow, StoryRow

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
ENGINE, MODEL = "apertium", "apertium-test 1.0"
_NUMBERS = count(1)


@dataclass
class StoryWriter:
    """Writes sources, published articles in stories, and copies; each call is its own transaction."""

    store: Store
    languages: tuple[str, ...] = ("en", "es")

    def source(self, name: str, url: str, *, language: str = "es", site_url: str | None = None) -> int:
        with self.store.session() as session, session.begin():
            row = queries.upsert_source(
                session, Source(name=name, url=url, language=language, site_url=site_url)
            )
            return row.id

    def _story(self, session: Session, story_id: int, when: datetime) -> None:
        story = session.get(StoryRow, story_id)
        if story is None:
            session.add(StoryRow(id=story_id, created_at=when, last_seen_at=when))
            session.flush()
        else:
            story.last_seen_at = max(story.last_seen_at, when)

    def article(
        self,
        source_id: int,
        story_id: int | None,
        title: str,
        *,
        language: str = "es",
        hours: float = 0,
        url: str | None = None,
        body: str = "Primera frase. Segunda frase.",
        verdict: str = "publish",
        only: tuple[str, ...] | None = None,
    ) -> int:
        """A published article of `story_id` in its source `language`, translated into the writer's
        languages (or `only` these), each translation with `verdict`; dated `hours` after T0."""
        when = T0 + timedelta(hours=hours)
        with self.store.session() as session, session.begin():
            source = session.get_one(SourceRow, source_id)
            link = url or f"{source.url.rsplit('/', 1)[0]}/article-{next(_NUMBERS)}"
            (item,) = queries.add_items(
                session, source, (FeedItem(url=link, guid=link, title=title, published=when),)
            )
            document = Document(
                url=link,
                title=title,
                language=language,
                published=when,
                blocks=(Block(BlockKind.PARAGRAPH, body, body),),
            )
            item.document_key = queries.save_document(session, document).key
            verdicts = []
            for target in only if only is not None else self.languages:
                original = target == language
                sentence = SentencePair(body, body if original else f"[{target}] {body}")
                translation = Translation(
                    document_key=document.key,
                    source_lang=language,
                    target_lang=target,
                    engine="original" if original else ENGINE,
                    model_version="" if original else MODEL,
                    title=title if original else f"[{target}] {title}",
                    blocks=(TranslatedBlock(BlockKind.PARAGRAPH, sentence.target_html, body, (sentence,)),),
                )
                key = queries.save_translation(session, translation).key
                queries.save_verdict(session, key, verdict, 0.9, "[]")
                verdicts.append(verdict)
            if story_id is not None:
                self._story(session, story_id, when)
                item.story_id, item.story_score = story_id, 0.5
                session.flush()
                terms = json.dumps({"words": title.lower().split()})
                session.add(StoryEventRow(item_id=item.id, kind="placed", story_id=story_id, score=0.5,
                                          published_at=when, terms_json=terms))  # fmt: skip
            queries.settle_item(session, item, verdicts)
            return item.id

    def copy(self, of_item: int, source_id: int, *, url: str | None = None, hours: float = 1) -> int:
        """A copy of `of_item` that another source published (the same text, its own URL)."""
        when = T0 + timedelta(hours=hours)
        with self.store.session() as session, session.begin():
            original = session.get_one(ItemRow, of_item)
            source = session.get_one(SourceRow, source_id)
            link = url or f"{source.url.rsplit('/', 1)[0]}/copy-of-{of_item}-{source_id}"
            (item,) = queries.add_items(
                session, source, (FeedItem(url=link, guid=link, title=original.title, published=when),)
            )
            item.status, item.copy_of_id, item.story_id = ItemStatus.DUPLICATE, of_item, original.story_id
            session.flush()
            session.add(StoryEventRow(item_id=item.id, kind="copy", story_id=original.story_id,
                                      copy_of_id=of_item, published_at=when))  # fmt: skip
            return item.id


def sample_wire(store: Store, *, agency: str = "Agencia", copy_url: str | None = None) -> dict[str, int]:
    """Four sources; story 1 reported by three of them in two languages plus an agency copy, story 2
    by two in two languages (one more version held), stories 3 and 5 by one each, story 4 too old,
    and one article without a story. The item ids by name."""
    w = StoryWriter(store)
    diario = w.source("Diario", "https://diario.example/rss")
    gaceta = w.source("Gaceta", "https://gaceta.example/rss")
    herald = w.source("Herald", "https://herald.example/rss", language="en")
    agencia = w.source(agency, "https://agencia.example/rss")
    ids = {
        "s1_diario": w.article(diario, 1, "Inundación en el puerto", hours=0),
        "s1_herald": w.article(herald, 1, "Flood at the harbour", language="en", hours=1),
        "s1_gaceta": w.article(gaceta, 1, "El puerto, inundado", hours=2),
        "s2_herald": w.article(herald, 2, "New mayor sworn in", language="en", hours=4),
        "s2_diario": w.article(diario, 2, "Toma posesión la alcaldesa", hours=5),
        "s2_held": w.article(gaceta, 2, "La alcaldesa jura el cargo", hours=5.5, verdict="hold"),
        "s3": w.article(gaceta, 3, "Concierto en la plaza", hours=6),
        "s5": w.article(herald, 5, "Harbour ferry timetable", language="en", hours=3),
        "s4_old": w.article(diario, 4, "Fiestas del año pasado", hours=-200),
        "no_story": w.article(diario, None, "Sin noticia asignada", hours=1.5),
    }
    ids["copy"] = w.copy(ids["s1_diario"], agencia, url=copy_url)
    return ids
