"""PostgreSQL for benchmarks/web_load.py: a cluster kept under data/bench/web_load/, loaded once per store.

Started the way tests/postgres.py starts its throwaway server (initdb and pg_ctl on 127.0.0.1, as the
postgres user when run as root, fsync off), but its data directory stays beside the cached SQLite
store: loading 100,000 articles (COPY, then the full-text GIN index, which computes every translation's
tsvector once) takes many minutes, a reused cluster seconds. A marker file, written after the load
succeeded, says which store it holds; without it the database is made again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "benchmarks")]

from sqlalchemy import create_engine, select, text  # noqa: E402
from tests.postgres import _free_port, _pg_bin  # noqa: E402

from babelwire.store.db import Store  # noqa: E402
from babelwire.store.models import Base  # noqa: E402
from web_store import DATA, TABLES, bulk_full_text  # noqa: E402
from web_text import VERSION  # noqa: E402

DATABASE = "babelwire_bench"


@contextmanager
def postgres_cluster(articles: int) -> Iterator[str]:
    """A running server whose data directory is kept for the next run; yields its superuser URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    assert initdb and pg_ctl, "PostgreSQL server binaries not found: apt-get install postgresql"
    root = DATA / f"postgres-{articles}-v{VERSION}"
    data = root / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        if prefix:
            shutil.chown(root, "postgres", "postgres")
            os.chmod(root, 0o700)
        subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
                        "-E", "UTF8"], check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True, check=False
        )


def loaded_database(server_url: str, path: Path, meta: dict[str, Any], log: Any = print) -> tuple[str, float]:
    """The benchmark database on `server_url` holding the store at `path` (loaded unless it is already),
    migrated to head; and the seconds the load took (0 when reused)."""
    marker = DATA / f"postgres-{meta['articles']}-v{VERSION}.loaded.json"
    url = server_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    wanted = {"store": path.name, "built_at": meta["built_at"]}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        Store(url).close()  # a migration newer than the load (an index, say) applies now
        return url, 0.0
    marker.unlink(missing_ok=True)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    log(f"loading the store into PostgreSQL ({url}) ...")
    seconds = copy_to_postgres(path, url, log)
    marker.write_text(json.dumps(wanted) + "\n")
    return url, seconds


def copy_to_postgres(path: Path, url: str, log: Any = print) -> float:
    """Copy the SQLite store's rows into the (empty) PostgreSQL database at `url`; seconds taken."""
    started = time.monotonic()
    # A plain read-only engine: the store's own starts every transaction IMMEDIATE, which would keep
    # the web benchmark of the SQLite store waiting for the whole copy.
    target, source = Store(url), create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with bulk_full_text(target.engine):
            raw = target.engine.raw_connection()
            try:
                cursor = raw.cursor()
                for table in (Base.metadata.tables[name] for name in TABLES):
                    names = ", ".join(column.name for column in table.columns)
                    with (
                        source.connect() as conn,
                        cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
                    ):
                        for row in conn.execution_options(yield_per=2000).execute(select(table)):
                            copy.write_row(tuple(row))
                    log(f"  postgresql: {table.name} copied, {time.monotonic() - started:.0f} s")
                for table_name in ("sources", "items"):
                    sequence = f"pg_get_serial_sequence('{table_name}', 'id')"
                    cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table_name}))")
                raw.commit()
            finally:
                raw.close()
        log(f"  postgresql: full-text index built, {time.monotonic() - started:.0f} s")
        with target.engine.connect() as conn:  # what autovacuum would do minutes after such a load
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    finally:
        target.close()
        source.dispose()
    return time.monotonic() - started
