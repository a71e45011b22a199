"""Shared fixtures: real databases (SQLite and PostgreSQL), the demo site, settings."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from babelwire.config import FetchSettings, Settings
from babelwire.store.db import Store
from tests.postgres import fresh_database, postgres_available, postgres_server
from tests.redis_server import redis_available, redis_server

IN_CI = os.environ.get("CI") == "true"  # .ci/run sets it
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# The SSRF guard refuses loopback; tests serve their sites on it, so test settings allow it (only it).
LOOPBACK_NETWORKS = ["127.0.0.0/8", "::1/128"]
LOOPBACK_ENV = ("BABELWIRE_FETCH__ALLOWED_NETWORKS", json.dumps(LOOPBACK_NETWORKS))


def require_tool(present: bool, what: str, fix: str) -> None:
    """Skip a test (or its module) whose tool is missing, except in CI, where a missing tool fails it."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI: {fix}")
    pytest.skip(f"{what} is not installed ({fix})", allow_module_level=True)


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's babelwire.toml or BABELWIRE_* variables."""
    for key in list(os.environ):
        if key.startswith("BABELWIRE_") and key != "BABELWIRE_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("BABELWIRE_CONFIG", str(tmp_path / "absent.toml"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    require_tool(postgres_available(), "PostgreSQL", "apt-get install postgresql")
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A private redis-server on 127.0.0.1 for the whole session; tests flush what they use."""
    require_tool(redis_available(), "Redis", "apt-get install redis-server")
    with redis_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'babelwire.db'}"
        return
    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store(database_url)
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        target_languages=["en"],
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
    )


@pytest.fixture
def broker_url(redis_url: str) -> Iterator[str]:
    """The session's Redis as a Celery broker, emptied before and after each test."""
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield redis_url
    connection.flushdb()
    connection.close()
