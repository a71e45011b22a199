"""full-text search over translations

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000

SQLite: a contentless FTS5 table `translations_fts` (title, body) whose rowids come from
`translations_fts_map` (an INTEGER PRIMARY KEY per translation key: stable across VACUUM, unlike
the implicit rowid of `translations`). Triggers on `translations` keep both in step on every write
path (pipeline, API, admin, CLI, plain SQL), so no code has to remember to index. Contentless
means the text is not stored twice; a delete hands FTS5 the old values, recomputed by the same
expression from the old row.

PostgreSQL: a GIN expression index over `babelwire_fts_document(target_lang, title, blocks_json)`,
which is in sync by construction. The text-search configuration follows the language
(english, spanish, ...; 'simple' where PostgreSQL has no stemmer).

Both index every translation, whatever its review status: what may be shown is decided at
query time by the same read model as the home page, so a release or a new verdict needs no
re-indexing. Alembic batch mode on SQLite re-creates a table without its triggers: a later
migration that batch-alters `translations` must re-create the three triggers below.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The body: every block's translated inline HTML, in order (markup is split away by the tokenizer).
_SQLITE_BODY = """coalesce((SELECT group_concat(json_extract(b.value, '$.html'), ' ')
    FROM json_each(CASE WHEN json_valid({row}.blocks_json) THEN {row}.blocks_json ELSE '[]' END) AS b
    WHERE b.type = 'object'), '')"""

_SQLITE_INDEX = """INSERT INTO translations_fts_map (key) VALUES (new.key);
    INSERT INTO translations_fts (rowid, title, body)
    VALUES ((SELECT id FROM translations_fts_map WHERE key = new.key), new.title, {body});"""

_SQLITE_UNINDEX = """INSERT INTO translations_fts (translations_fts, rowid, title, body)
    SELECT 'delete', id, old.title, {body} FROM translations_fts_map WHERE key = old.key;
    DELETE FROM translations_fts_map WHERE key = old.key;"""

# Languages with a PostgreSQL (12+) snowball stemmer; every other language gets 'simple'.
_PG_CONFIGS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish",
    "fi": "finnish", "fr": "french", "ga": "irish", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


def _sqlite_upgrade() -> None:
    body_new, body_old = _SQLITE_BODY.format(row="new"), _SQLITE_BODY.format(row="old")
    op.execute("CREATE TABLE translations_fts_map (id INTEGER PRIMARY KEY, key VARCHAR(64) NOT NULL UNIQUE)")
    op.execute(
        "CREATE VIRTUAL TABLE translations_fts USING fts5("
        "title, body, content='', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER translations_fts_insert AFTER INSERT ON translations BEGIN "
        + _SQLITE_INDEX.format(body=body_new)
        + " END"
    )
    op.execute(
        "CREATE TRIGGER translations_fts_delete AFTER DELETE ON translations BEGIN "
        + _SQLITE_UNINDEX.format(body=body_old)
        + " END"
    )
    op.execute(
        "CREATE TRIGGER translations_fts_update AFTER UPDATE OF key, title, blocks_json ON translations "
        "BEGIN " + _SQLITE_UNINDEX.format(body=body_old) + _SQLITE_INDEX.format(body=body_new) + " END"
    )
    op.execute("INSERT INTO translations_fts_map (key) SELECT key FROM translations ORDER BY key")
    backfill = "INSERT INTO translations_fts (rowid, title, body) SELECT m.id, t.title, {body} " + (
        "FROM translations AS t JOIN translations_fts_map AS m ON m.key = t.key"
    )
    op.execute(backfill.format(body=_SQLITE_BODY.format(row="t")))


def _postgresql_upgrade() -> None:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in sorted(_PG_CONFIGS.items()))
    op.execute(
        "CREATE FUNCTION babelwire_fts_config(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE AS $$ SELECT CASE lower(split_part(lang, '-', 1)) {cases} "
        "ELSE 'simple'::regconfig END $$"
    )
    # Tolerates a blocks_json that is not a JSON array of objects (indexes nothing rather than failing
    # the insert); the default parser skips HTML tags and entities. Capped: a tsvector holds 1 MB.
    op.execute(
        "CREATE FUNCTION babelwire_fts_body(blocks text) RETURNS text LANGUAGE plpgsql IMMUTABLE "
        "PARALLEL SAFE AS $$ BEGIN RETURN left(coalesce((SELECT string_agg(b ->> 'html', ' ') "
        "FROM json_array_elements(blocks::json) AS b WHERE json_typeof(b) = 'object'), ''), 200000); "
        "EXCEPTION WHEN others THEN RETURN ''; END $$"
    )
    op.execute(
        "CREATE FUNCTION babelwire_fts_document(lang text, title text, blocks text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_tsvector(babelwire_fts_config(lang), "
        "coalesce(title, '') || ' ' || babelwire_fts_body(blocks)) $$"
    )
    op.execute(
        "CREATE INDEX ix_translations_fts ON translations "
        "USING gin (babelwire_fts_document(target_lang, title, blocks_json))"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _postgresql_upgrade()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS translations_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS translations_fts")
        op.execute("DROP TABLE IF EXISTS translations_fts_map")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_translations_fts")
        op.execute("DROP FUNCTION IF EXISTS babelwire_fts_document(text, text, text)")
        op.execute("DROP FUNCTION IF EXISTS babelwire_fts_body(text)")
        op.execute("DROP FUNCTION IF EXISTS babelwire_fts_config(text)")
