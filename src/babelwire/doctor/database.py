"""The store: can it be opened, and is its schema at the newest Alembic migration?

Read-only on purpose: the doctor never creates or migrates a database (every other command
migrates the store when it opens it, which is the fix it names). It also reads the source
languages in the store, which decide the language pairs the wire needs.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, NullPool, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from babelwire.doctor.result import CheckResult, failed, passed
from babelwire.store.db import alembic_config
from babelwire.store.models import SourceRow

MIGRATE_FIX = "`babelwire status` migrates it (every command that opens the store does, `babelwire run` too)"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def open_readonly(url: str) -> Engine:
    """An engine without the store's pragmas, pool or migration, with a short connect timeout."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {"timeout": 5}
    return create_engine(parsed, poolclass=NullPool, connect_args=connect_args)


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None, "babelwire ships at least one migration"
    return head


def migration_level(current: str | None, engine: Engine) -> tuple[bool, str]:
    """(at head, description) for the database's revision against the migrations shipped."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    head = head_revision(engine)
    if current == head:
        return True, f"migrations at head ({head})"
    if current is None:
        return False, f"no migrations applied (head is {head})"
    if current not in {revision.revision for revision in script.walk_revisions()}:
        return False, f"at revision {current}, unknown to this babelwire (head is {head})"
    behind = sum(1 for _ in script.iterate_revisions(head, current))
    return False, f"at {current}, {behind} migration{'s' if behind != 1 else ''} behind head {head}"


def check_database(url: str) -> tuple[CheckResult, list[str]]:
    """The database line, and the languages of the enabled sources in it."""
    shown = make_url(url).render_as_string(hide_password=True)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        writable = _nearest_existing(path.parent)
        if not _can_write(writable):
            return failed(
                "database", f"{shown}: cannot create it in {writable}", "set data_dir or database_url"
            ), []
        return passed("database", f"{shown}: not created yet (the first `babelwire run` creates it)"), []
    engine = open_readonly(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            at_head, level = migration_level(current, engine)
            languages = _source_languages(connection) if current is not None else []
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        message = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        fix = "start the database server, or set database_url in babelwire.toml (BABELWIRE_DATABASE_URL)"
        return failed("database", f"{shown}: cannot connect: {message}", fix), []
    finally:
        engine.dispose()
    if not at_head:
        upgrade = "upgrade babelwire" if "unknown" in level else MIGRATE_FIX
        return failed("database", f"{shown}: {level}", upgrade), languages
    return passed("database", f"{shown}: {level}"), languages


def check_demo_database(data_dir: Path) -> CheckResult:
    """The demo recreates its own SQLite store in data_dir at each run: only writing there matters."""
    where = _nearest_existing(data_dir)
    if not _can_write(where):
        return failed("database", f"{data_dir}: {where} is not writable", "run the demo where you can write")
    return passed("database", f"SQLite in {data_dir} (recreated by the demo at each run)")


def _source_languages(connection: Connection) -> list[str]:
    try:
        rows = connection.execute(select(SourceRow.language).where(SourceRow.enabled.is_(True)).distinct())
    except SQLAlchemyError:
        return []
    return sorted({str(language) for (language,) in rows if language})


def _nearest_existing(path: Path) -> Path:
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _can_write(directory: Path) -> bool:
    return os.access(directory, os.W_OK | os.X_OK)
