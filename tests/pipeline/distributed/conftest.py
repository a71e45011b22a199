"""Fixtures of the distributed tests: a clean Redis database and distributed settings on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire.config import DistributedSettings, FetchSettings, Settings
from babelwire.domain import Source
from babelwire.store import queries
from babelwire.store.db import Store
from tests.conftest import LOOPBACK_NETWORKS

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa"
)


@pytest.fixture
def distributed_settings(tmp_path: Path, database_url: str, broker_url: str) -> Settings:
    """Fast recovery for tests: a killed worker's task comes back after 10 s, a lost one after 8 s."""
    return Settings(
        mode="distributed",
        data_dir=tmp_path,
        database_url=database_url,
        target_languages=["en"],
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
        distributed=DistributedSettings(
            broker_url=broker_url, visibility_timeout=10, stale_after=8, tick=0.5, translate_batch=4
        ),
    )


@pytest.fixture
def distributed_store(distributed_settings: Settings) -> Iterator[Store]:
    opened = Store.from_settings(distributed_settings)
    yield opened
    opened.close()


def add_source(store: Store, url: str, name: str = "Noticias") -> int:
    with store.session() as session, session.begin():
        return queries.upsert_source(session, Source(name=name, url=url, language="es")).id
