"""`babelwire admin ...`: the admin password and API tokens (stored only as argon2 hashes)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from babelwire.commands.common import console, fail, open_settings, open_store

app = typer.Typer(help="Admin access to the web: the admin password and API tokens.", no_args_is_help=True)


@app.command("set-password")
def set_password(
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
) -> None:
    """Set (or change) the password of the /admin pages; changing it logs every admin out."""
    from babelwire.web import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("New admin password", hide_input=True, confirmation_prompt=True)
    store = open_store(open_settings())
    try:
        with store.session() as session, session.begin():
            auth.set_admin_password(session, password)
    except auth.CredentialError as exc:
        raise fail(str(exc), "choose a longer password") from exc
    console.print("admin password set: log in at /admin/login")


@app.command("create-token")
def create_token(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. 'newsroom-bot'.")],
) -> None:
    """Create an API token for writes to /api/v1; it is printed once and cannot be shown again."""
    from babelwire.web import auth

    store = open_store(open_settings())
    try:
        with store.session() as session, session.begin():
            token = auth.create_token(session, name)
    except auth.CredentialError as exc:
        raise fail(str(exc), "pick another name, or `babelwire admin revoke-token NAME` first") from exc
    console.print(f"API token {name!r} created. Store it now: it is not kept and cannot be shown again.")
    typer.echo(token)


@app.command("revoke-token")
def revoke_token(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke an API token at once."""
    from babelwire.web import auth

    store = open_store(open_settings())
    with store.session() as session, session.begin():
        revoked = auth.revoke_token(session, name)
    if not revoked:
        raise fail(f"no API token named {name!r}", "see them with `babelwire admin tokens`")
    console.print(f"API token {name!r} revoked")


@app.command("tokens")
def list_tokens() -> None:
    """List API tokens: names and use, never the secrets."""
    from babelwire.web import auth

    store = open_store(open_settings())
    with store.session() as session:
        rows = auth.list_tokens(session)
    if not rows:
        console.print("no API tokens: create one with `babelwire admin create-token NAME`")
        return
    table = Table("name", "created", "last used")
    for row in rows:
        last = row.last_used_at.strftime("%Y-%m-%d %H:%M") if row.last_used_at else "never"
        table.add_row(row.name, row.created_at.strftime("%Y-%m-%d %H:%M"), last)
    console.print(table)
