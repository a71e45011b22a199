"""Alembic environment: runs on the engine babelwire hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from babelwire.store.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("babelwire migrations run through babelwire.store.db.migrate(engine)")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
