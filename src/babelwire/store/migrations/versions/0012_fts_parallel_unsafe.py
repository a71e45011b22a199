"""full-text functions PARALLEL UNSAFE on PostgreSQL: the body function's EXCEPTION block is a subtransaction

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:50:00

0005 declared babelwire_fts_body PARALLEL SAFE, but a PL/pgSQL block with EXCEPTION opens a
subtransaction, which no process may start while a query runs in parallel mode (the leader
included, so RESTRICTED is not enough). When the planner chose a parallel plan that
evaluates the expression (a bitmap heap scan rechecking a rare word past its first page, at
100,000 articles) the search answered 500: "cannot start subtransactions during a parallel
operation" (benchmarks/web_load.py on PostgreSQL). UNSAFE keeps the queries that call them off
parallel plans; the index itself does not change. SQLite has no such functions.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FUNCTIONS = ("babelwire_fts_body(text)", "babelwire_fts_document(text, text, text)")


def _set(mode: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in FUNCTIONS:
        op.execute(f"ALTER FUNCTION {function} PARALLEL {mode}")


def upgrade() -> None:
    _set("UNSAFE")


def downgrade() -> None:
    _set("SAFE")
