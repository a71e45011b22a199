"""Alembic environment: runs on the engine babelwire hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from babelwire.store.models import Base
from babelwire.store.search import is_search_object


def _set_foreign_keys(connection: Connection, *, on: bool) -> None:
    # On the raw DBAPI connection: through SQLAlchemy the statement would open a transaction first.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("babelwire migrations run through babelwire.store.db.migrate(engine)")

with engine.connect() as connection:
    if connection.dialect.name == "sqlite":
        # Batch migrations rebuild a table (copy, drop, rename); with foreign keys on, dropping
        # `sources` would cascade-delete every item. The pragma only works outside a transaction.
        _set_foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # The full-text search tables, triggers and index are written by hand in 0005.
        include_object=lambda obj, name, type_, reflected, compare_to: not is_search_object(name, type_),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if connection.dialect.name == "sqlite":
        _set_foreign_keys(connection, on=True)
