"""Connection pool settings reach PostgreSQL engines; SQLite keeps its own connection handling."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import QueuePool, text

from babelwire.config import DatabasePoolSettings, Settings
from babelwire.store.db import Store


@pytest.mark.postgres
def test_postgresql_store_uses_the_pool_settings(postgres_url: str, tmp_path: Path) -> None:
    pool = DatabasePoolSettings(size=3, max_overflow=2, recycle=60, timeout=4.5, pre_ping=False)
    store = Store.from_settings(Settings(data_dir=tmp_path, database_url=postgres_url, database_pool=pool))
    try:
        engine_pool = store.engine.pool
        assert isinstance(engine_pool, QueuePool)
        assert engine_pool.size() == 3
        assert engine_pool._max_overflow == 2
        assert engine_pool._recycle == 60
        assert engine_pool._timeout == 4.5
        assert engine_pool._pre_ping is False
        with store.session() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        store.close()


def test_pool_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_DATABASE_POOL__SIZE", "20")
    monkeypatch.setenv("BABELWIRE_DATABASE_POOL__MAX_OVERFLOW", "0")
    pool = Settings().database_pool
    assert (pool.size, pool.max_overflow, pool.recycle, pool.pre_ping) == (20, 0, 1800, True)


def test_sqlite_store_ignores_the_pool_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_pool=DatabasePoolSettings(size=1, max_overflow=0))
    store = Store.from_settings(settings)
    try:
        assert store.url == f"sqlite:///{(tmp_path / 'babelwire.db').resolve()}"
        with store.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        store.close()
