"""`babelwire admin`: the admin password and API tokens, as a user runs them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.store.models import CredentialRow
from babelwire.web import auth


def open_store(tmp_path: Path) -> Store:
    return Store(Settings(data_dir=tmp_path / "data").resolved_database_url)


def test_set_password_prompts_twice_and_stores_only_a_hash(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["admin", "set-password"], input="s3cret-enough\ns3cret-enough\n")
    assert result.exit_code == 0, result.output
    assert "s3cret-enough" not in result.output  # hidden input
    store = open_store(tmp_path)
    with store.session() as session:
        row = session.get_one(CredentialRow, "admin")
        assert row.secret_hash.startswith("$argon2id$") and "s3cret" not in row.secret_hash
        assert auth.check_admin_password(session, "s3cret-enough") is not None
        assert auth.check_admin_password(session, "wrong") is None
    store.close()


def test_set_password_checks_confirmation_and_length(cli: CliRunner) -> None:
    mismatch = cli.invoke(app, ["admin", "set-password"], input="long-password\nother-password\n")
    assert mismatch.exit_code != 0
    short = cli.invoke(app, ["admin", "set-password", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output


def test_password_from_stdin_replaces_the_old_one(cli: CliRunner, tmp_path: Path) -> None:
    for password in ("first password", "second password"):
        result = cli.invoke(app, ["admin", "set-password", "--password-stdin"], input=password + "\n")
        assert result.exit_code == 0, result.output
    store = open_store(tmp_path)
    with store.session() as session:
        assert auth.check_admin_password(session, "second password") is not None
        assert auth.check_admin_password(session, "first password") is None
    store.close()


def test_token_lifecycle(cli: CliRunner, tmp_path: Path) -> None:
    created = cli.invoke(app, ["admin", "create-token", "newsroom-bot"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("bw.newsroom-bot.")
    store = open_store(tmp_path)
    with store.session() as session:
        assert auth.verify_token(session, token) == "newsroom-bot"
        assert auth.verify_token(session, token + "x") is None

    assert cli.invoke(app, ["admin", "create-token", "newsroom-bot"]).exit_code == 1  # exists
    assert cli.invoke(app, ["admin", "create-token", "bad name!"]).exit_code == 1
    listed = cli.invoke(app, ["admin", "tokens"])
    assert "newsroom-bot" in listed.output and token.split(".")[-1] not in listed.output

    assert cli.invoke(app, ["admin", "revoke-token", "newsroom-bot"]).exit_code == 0
    assert cli.invoke(app, ["admin", "revoke-token", "newsroom-bot"]).exit_code == 1
    with store.session() as session:
        assert auth.verify_token(session, token) is None
    store.close()
    assert "no API tokens" in cli.invoke(app, ["admin", "tokens"]).output
