"""Alembic environment: runs on the engine babelwire hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from babelwire.store.models import Base
from babelwire.store.search import is_search_object

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("babelwire migrations run through babelwire.store.db.migrate(engine)")

with engine.begin() as connection:
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
