"""The store: SQLAlchemy models, Alembic migrations and queries, on SQLite or PostgreSQL."""
