"""The page cache's generation check: fresh on every request, never behind SQLite's write lock.

A hit must still see a hold committed a moment ago by another process (test_cache.py checks that
end to end); here, the reader itself: what it reads, what it waits for, and what it cannot do.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from babelwire.config import Settings
from babelwire.store.db import Store, sqlite_autocommit_reader
from babelwire.store.models import SiteStateRow
from babelwire.web.app import create_app
from babelwire.web.cache import GenerationReader
from tests.web.test_api import seed_wire


def bump(store: Store) -> None:
    with store.session() as session, session.begin():
        session.execute(update(SiteStateRow).values(generation=SiteStateRow.generation + 1))


def test_each_read_sees_the_last_commit(store: Store) -> None:
    reader = GenerationReader(store)
    first = anyio.run(reader)
    for step in range(1, 4):
        bump(store)
        assert anyio.run(reader) == first + step


def test_sqlite_reads_on_the_loop_without_the_pool(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    sent: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    reader = GenerationReader(store)
    assert reader.inline
    anyio.run(reader)
    assert sent == []  # no pooled connection, no BEGIN, nothing for the rendering threads to wait for
    store.close()


def test_sqlite_read_does_not_wait_for_a_held_write_lock(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    reader = GenerationReader(store)
    before = anyio.run(reader)
    writer = sqlite3.connect(tmp_path / "g.db", isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE site_state SET generation = generation + 5")
    try:
        started = time.monotonic()
        assert anyio.run(reader) == before  # not the uncommitted number
        assert time.monotonic() - started < 5  # busy_timeout is 30 s
        writer.execute("COMMIT")
        assert anyio.run(reader) == before + 5
    finally:
        writer.close()
        store.close()


def test_the_sqlite_reader_connection_cannot_write(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    connection = sqlite_autocommit_reader(store.engine)
    assert connection is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("UPDATE site_state SET generation = 0")
    connection.close()
    assert sqlite_autocommit_reader(Store("sqlite://").engine) is None  # memory: not a file to share
    store.close()


def test_cache_hits_follow_commits_of_another_connection(tmp_path: Path, database_url: str) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url, target_languages=["en"])
    store = Store(database_url)
    ids = seed_wire(store)
    client = TestClient(create_app(settings, store))
    path = f"/en/articles/{ids['published']}"
    client.get(path)
    assert client.get(path).headers["x-babelwire-cache"] == "hit"
    bump(store)
    assert client.get(path).headers["x-babelwire-cache"] == "miss"
    assert client.get(path).headers["x-babelwire-cache"] == "hit"
    store.close()


def test_a_busy_sqlite_read_moves_off_the_event_loop(tmp_path: Path) -> None:
    """Should SQLite say busy (here another process's exclusive lock), the loop waits LOOP_BUSY_MS at
    most: the read is made again in a thread, which waits for the lock as long as it takes."""
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    before = GenerationReader(store).read_pooled()
    store.engine.dispose()  # no connection left open: the exclusive lock below can be had
    holder = sqlite3.connect(tmp_path / "g.db", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("UPDATE site_state SET generation = generation + 1")  # holds the file until closed
    reader = GenerationReader(store)
    inline_waits: list[float] = []
    read_inline = reader.read_inline

    def timed_inline() -> int:
        started = time.monotonic()
        try:
            return read_inline()
        finally:
            inline_waits.append(time.monotonic() - started)

    reader.read_inline = timed_inline  # type: ignore[method-assign]
    answers: list[int] = []
    thread = threading.Thread(target=lambda: answers.append(anyio.run(reader)))
    thread.start()
    time.sleep(0.5)
    assert answers == [], "read while another connection held the file exclusively"
    holder.close()
    thread.join(10)
    assert answers == [before + 1]
    assert inline_waits and inline_waits[0] < 1  # then the thread waited, not the loop
    store.close()
