"""Translation memory: a sentence already translated by an engine is never sent to it again.

Keyed by engine, model version, language pair and the normalized input sentence (NFC,
collapsed whitespace), so a new model version or a different engine translates afresh,
while updates, corrections and syndicated copies of a story cost nothing.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select, update

from babelwire.domain import content_hash
from babelwire.store.db import Store
from babelwire.store.models import MemoryRow


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def memory_key(engine: str, model_version: str, source_lang: str, target_lang: str, text: str) -> str:
    return content_hash(engine, model_version, source_lang, target_lang, normalize(text))


@dataclass(frozen=True)
class MemoryEntry:
    key: str
    engine: str
    model_version: str
    source_lang: str
    target_lang: str
    source_text: str
    target_text: str


@dataclass(frozen=True)
class MemoryStats:
    engine: str
    source_lang: str
    target_lang: str
    entries: int
    hits: int


class Memory(Protocol):
    def lookup(self, keys: Iterable[str]) -> dict[str, str]: ...

    def save(self, entries: Iterable[MemoryEntry]) -> None: ...


class InMemoryMemory:
    """For one-off commands and tests: the same behaviour, kept in a dict."""

    def __init__(self) -> None:
        self._entries: dict[str, str] = {}
        self.hits = 0
        self._lock = threading.Lock()

    def lookup(self, keys: Iterable[str]) -> dict[str, str]:
        with self._lock:
            found = {key: self._entries[key] for key in keys if key in self._entries}
            self.hits += len(found)
            return found

    def save(self, entries: Iterable[MemoryEntry]) -> None:
        with self._lock:
            for entry in entries:
                self._entries[entry.key] = entry.target_text

    def __len__(self) -> int:
        return len(self._entries)


class StoreMemory:
    """The memory in the store (SQLite or PostgreSQL), shared by every process that uses it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lookup(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        found: dict[str, str] = {}
        with self.store.session() as session, session.begin():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = session.execute(
                    select(MemoryRow.key, MemoryRow.target_text).where(MemoryRow.key.in_(chunk))
                ).all()
                found.update({key: text for key, text in rows})
            if found:
                session.execute(
                    update(MemoryRow)
                    .where(MemoryRow.key.in_(list(found)))
                    .values(hits=MemoryRow.hits + 1, last_used_at=datetime.now(UTC))
                )
        return found

    def save(self, entries: Iterable[MemoryEntry]) -> None:
        unique = {entry.key: entry for entry in entries}
        if not unique:
            return
        with self.store.session() as session, session.begin():
            existing = set(session.scalars(select(MemoryRow.key).where(MemoryRow.key.in_(list(unique)))))
            for key, entry in unique.items():
                if key not in existing:
                    session.add(
                        MemoryRow(
                            key=key,
                            engine=entry.engine,
                            model_version=entry.model_version,
                            source_lang=entry.source_lang,
                            target_lang=entry.target_lang,
                            source_text=entry.source_text,
                            target_text=entry.target_text,
                            hits=0,
                        )
                    )


def memory_stats(store: Store) -> list[MemoryStats]:
    with store.session() as session:
        rows = session.execute(
            select(
                MemoryRow.engine,
                MemoryRow.source_lang,
                MemoryRow.target_lang,
                func.count(),
                func.coalesce(func.sum(MemoryRow.hits), 0),
            )
            .group_by(MemoryRow.engine, MemoryRow.source_lang, MemoryRow.target_lang)
            .order_by(MemoryRow.engine, MemoryRow.source_lang, MemoryRow.target_lang)
        ).all()
    return [MemoryStats(str(e), str(s), str(t), int(n), int(h)) for e, s, t, n, h in rows]


def entries_for(
    engine: str, model_version: str, source_lang: str, target_lang: str, pairs: Mapping[str, tuple[str, str]]
) -> list[MemoryEntry]:
    """Memory entries from {key: (source_text, target_text)}."""
    return [
        MemoryEntry(key, engine, model_version, source_lang, target_lang, source, target)
        for key, (source, target) in pairs.items()
    ]
