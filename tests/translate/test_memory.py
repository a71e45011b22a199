from __future__ import annotations

from babelwire.store.db import Store
from babelwire.translate.memory import InMemoryMemory, MemoryEntry, StoreMemory, memory_key, memory_stats


def entry(text: str, out: str, engine: str = "apertium") -> MemoryEntry:
    return MemoryEntry(memory_key(engine, "v1", "es", "en", text), engine, "v1", "es", "en", text, out)


def test_key_normalizes_whitespace_and_unicode_but_not_case() -> None:
    base = memory_key("apertium", "v1", "es", "en", "El niño llegó.")
    assert memory_key("apertium", "v1", "es", "en", "  El  nin\u0303o\nllegó. ") == base
    assert memory_key("apertium", "v1", "es", "en", "el niño llegó.") != base
    assert memory_key("apertium", "v2", "es", "en", "El niño llegó.") != base
    assert memory_key("deepl", "v1", "es", "en", "El niño llegó.") != base
    assert memory_key("apertium", "v1", "es", "ca", "El niño llegó.") != base


def test_in_memory() -> None:
    memory = InMemoryMemory()
    memory.save([entry("Hola.", "Hello.")])
    assert memory.lookup([entry("Hola.", "").key, entry("Adiós.", "").key]) == {
        entry("Hola.", "").key: "Hello."
    }
    assert memory.hits == 1 and len(memory) == 1


def test_store_memory_counts_hits_per_engine_and_pair(store: Store) -> None:
    memory = StoreMemory(store)
    memory.save([entry("Hola.", "Hello."), entry("Adiós.", "Goodbye."), entry("Hola.", "Hello.")])
    memory.save([entry("Hola.", "Hi.", engine="deepl")])
    found = memory.lookup([entry("Hola.", "").key, entry("Hola.", "").key, entry("Nada.", "").key])
    assert found == {entry("Hola.", "").key: "Hello."}
    memory.lookup([entry("Adiós.", "").key])
    stats = {(s.engine, s.source_lang, s.target_lang): (s.entries, s.hits) for s in memory_stats(store)}
    assert stats == {("apertium", "es", "en"): (2, 2), ("deepl", "es", "en"): (1, 0)}
