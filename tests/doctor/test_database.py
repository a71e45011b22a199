"""The store: opened read-only, its migration level against the head, the sources' languages."""

from __future__ import annotations

from pathlib import Path

from babelwire.doctor import run_doctor
from babelwire.doctor.database import check_database, check_demo_database, head_revision, open_readonly
from babelwire.domain import Source
from babelwire.store import queries
from babelwire.store.db import Store, make_engine, migrate
from tests.doctor.helpers import closed_port, doctor_settings, line, needs_apertium


def test_a_store_at_head_is_ok_and_gives_its_source_languages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wire.db'}"
    store = Store(url)
    with store.session() as session, session.begin():
        queries.upsert_source(session, Source(name="A", url="https://a.example/feed", language="es"))
        queries.upsert_source(session, Source(name="B", url="https://b.example/feed", language="ca"))
    store.close()
    result, languages = check_database(url)
    assert result.ok and head_revision(open_readonly(url)) in result.detail
    assert languages == ["ca", "es"]


def test_a_store_behind_on_migrations_fails_with_the_migrate_fix(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0005")
    engine.dispose()
    result, _ = check_database(url)
    assert not result.ok and "0005" in result.detail and "behind" in result.detail
    assert result.fix is not None and "babelwire status" in result.fix
    Store(url).close()  # what the fix does: any command that opens the store migrates it
    assert check_database(url)[0].ok


def test_the_doctor_never_creates_the_database(tmp_path: Path) -> None:
    path = tmp_path / "data" / "babelwire.db"
    result, languages = check_database(f"sqlite:///{path}")
    assert result.ok and languages == []
    assert not path.exists()


def test_an_unreachable_server_fails_with_the_fix() -> None:
    url = f"postgresql+psycopg://babelwire:secret@127.0.0.1:{closed_port()}/babelwire"
    result, _ = check_database(url)
    assert not result.ok and "cannot connect" in result.detail
    assert "secret" not in result.detail  # the password is never printed
    assert result.fix is not None and "database_url" in result.fix


@needs_apertium
def test_the_store_sources_decide_the_pairs(tmp_path: Path) -> None:
    settings = doctor_settings(tmp_path, target_languages=["en", "ca"])
    store = Store(settings.resolved_database_url)
    with store.session() as session, session.begin():
        queries.upsert_source(session, Source(name="A", url="https://a.example/feed", language="ca"))
    store.close()
    names = [result.name for result in run_doctor(settings)]
    assert "ca->en" in names and "ca->ca" not in names and "es->en" not in names
    assert line(run_doctor(settings), "database").ok


def test_the_demo_only_needs_a_writable_directory(tmp_path: Path) -> None:
    assert check_demo_database(tmp_path / "data" / "demo").ok
