"""Read sessions: they never wait for SQLite's write lock, see what is committed, and cannot write.

The site reads while the pipeline writes; on SQLite every writer takes the write lock at BEGIN
(store/db.py), so a reader that took it too would queue behind every writer and every other reader.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import DBAPIError

from babelwire.store.changes import SITE_STATE_ID, current_generation
from babelwire.store.db import Store
from babelwire.store.models import SiteStateRow


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'read.db'}")
    yield opened
    opened.close()


def bump(store: Store) -> int:
    with store.session() as session, session.begin():
        session.execute(update(SiteStateRow).values(generation=SiteStateRow.generation + 1))
        return current_generation(session)


def statements(store: Store) -> list[str]:
    """Every statement the store's connections send from now on."""
    seen: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    return seen


def test_read_session_does_not_wait_for_a_held_write_lock(sqlite_store: Store, tmp_path: Path) -> None:
    committed = bump(sqlite_store)
    # Another process's writer, in the middle of a transaction: it holds the write lock.
    writer = sqlite3.connect(tmp_path / "read.db", isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE site_state SET generation = generation + 100")
    try:
        started = time.monotonic()
        with sqlite_store.read_session() as session:
            assert current_generation(session) == committed  # the last commit, not the open write
        with sqlite_store.read_engine.connect() as conn:
            assert conn.scalar(select(SiteStateRow.generation)) == committed
        assert time.monotonic() - started < 5  # a write lock wait is busy_timeout: 30 s
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_write_session_still_takes_the_lock_at_begin(sqlite_store: Store, tmp_path: Path) -> None:
    seen = statements(sqlite_store)
    with sqlite_store.session() as session:
        current_generation(session)
        session.rollback()
    with sqlite_store.read_session() as session:
        current_generation(session)
    assert "BEGIN IMMEDIATE" in seen and "BEGIN" in seen
    assert seen.index("BEGIN IMMEDIATE") < seen.index("BEGIN")

    holder = sqlite3.connect(tmp_path / "read.db", isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    began = threading.Event()

    def write() -> None:
        with sqlite_store.session() as session:
            current_generation(session)  # a read, yet it waits: the transaction began IMMEDIATE
            began.set()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert not began.wait(0.5), "a write session began without the write lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    thread.join(10)
    assert began.is_set()


def test_write_in_a_read_session_fails_and_changes_nothing(store: Store) -> None:
    before = bump(store)
    with store.read_session() as session:
        row = session.get_one(SiteStateRow, SITE_STATE_ID)
        row.generation = 999
        with pytest.raises(DBAPIError, match=r"readonly|read-only"):
            session.commit()
    with store.read_engine.connect() as conn, pytest.raises(DBAPIError, match=r"readonly|read-only"):
        conn.execute(update(SiteStateRow).values(generation=998))
    with store.read_session() as session:
        assert current_generation(session) == before


def test_connections_go_back_and_forth_between_readers_and_writers(store: Store) -> None:
    """One pool serves both: a connection a reader used writes again, and one a writer used refuses."""
    for _ in range(3):
        with store.read_session() as session:
            generation = current_generation(session)
        assert bump(store) == generation + 1
        with store.read_engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("UPDATE site_state SET generation = 0"))
    with store.read_session() as session:
        assert current_generation(session) == generation + 1


def test_read_sessions_see_each_new_commit(store: Store) -> None:
    with store.read_session() as session:
        first = current_generation(session)
    bump(store)
    with store.read_engine.connect() as conn:
        assert conn.scalar(select(SiteStateRow.generation)) == first + 1
