"""`babelwire held`: what the automated editor stopped, why, and a person's release or reject."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from babelwire.commands.common import console, fail, open_settings, open_store

SHOWN = ("warning", "error", "critical")
app = typer.Typer(help="Translations held by the automated editor: list, release, reject.")


@app.callback(invoke_without_command=True)
def list_held(
    ctx: typer.Context,
    include_rejected: Annotated[bool, typer.Option("--all", help="Also list rejected translations.")] = False,
) -> None:
    """List held translations with the findings that stopped them."""
    from babelwire.store.held import held_translations

    if ctx.invoked_subcommand is not None:
        return
    store = open_store(open_settings())
    with store.session() as session:
        held = held_translations(session, include_rejected=include_rejected)
    if not held:
        console.print("nothing held: every reviewed translation was published")
        return
    table = Table(
        "item", "lang", "status", "score", "title / url", "why", title=f"{len(held)} held translations"
    )
    for entry in held:
        reasons = [f"{f['check']} ({f['severity']}, sentence {f['segment']}): {f['message']}"
                   for f in entry.findings if f.get("severity") in SHOWN]  # fmt: skip
        table.add_row(str(entry.item_id), entry.language, entry.status, f"{entry.score or 0:.2f}",
                      f"{entry.title}\n[dim]{entry.url}[/]", "\n".join(reasons) or "-")  # fmt: skip
    console.print(table)
    console.print(
        "release with `babelwire held release ITEM --lang L`, "
        "refuse with `babelwire held reject ITEM --lang L`"
    )


def _decide(item: int, language: str, *, release: bool) -> None:
    from babelwire.store.held import decide_held

    store = open_store(open_settings())
    with store.session() as session, session.begin():
        decided = decide_held(session, item, language, release=release)
    if decided is None:
        raise fail(
            f"no held {language} translation for item {item}", "see the list with `babelwire held --all`"
        )
    console.print(f"item {item} ({language}): {decided.status} — {decided.title}")


@app.command("release")
def release(
    item: Annotated[int, typer.Argument(help="Item id, as `babelwire held` shows it.")],
    language: Annotated[str, typer.Option("--lang", help="Target language of the translation.")],
) -> None:
    """Publish a held translation after all."""
    _decide(item, language, release=True)


@app.command("reject")
def reject(
    item: Annotated[int, typer.Argument(help="Item id, as `babelwire held` shows it.")],
    language: Annotated[str, typer.Option("--lang", help="Target language of the translation.")],
) -> None:
    """Refuse a held translation for good."""
    _decide(item, language, release=False)
