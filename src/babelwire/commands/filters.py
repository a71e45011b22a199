"""`babelwire filters ...`: the editorial filter rules (list, add, remove) and what they would do (check).

Rules in babelwire.toml ([filters]) are listed but changed in the file; rules added here are
stored (table filter_rules) and apply from the next article screened, in every process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from babelwire.commands.common import console, fail, open_settings, open_store
from babelwire.stories.filters import GRAMMAR

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from babelwire.store.models import SourceRow

app = typer.Typer(
    help="Editorial filters: rules that drop articles before translation (no engine time spent). " + GRAMMAR,
    no_args_is_help=True,
)
SourceOption = Annotated[
    str | None,
    typer.Option("--source", "-s", help="A source's id, feed URL or name (babelwire sources list); "
                 "default: every source."),
]  # fmt: skip


@app.command("list")
def list_rules() -> None:
    """Show every rule: those in babelwire.toml (its filters table) first, then the stored ones."""
    from babelwire.store import filter_rules, queries

    settings = open_settings()
    store = open_store(settings)
    with store.session() as session:
        stored = filter_rules.stored_rules(session)
        sources = queries.list_sources(session)
    known = {s.url for s in sources} | {s.name.casefold() for s in sources}
    table = Table("id", "applies to", "rule", "from", title="Filter rules (block first, global first)")
    for key, rule in settings.filters.keyed_rules():
        scope = escape(key) if key else "every source"
        if key and key not in known and key.casefold() not in known:
            scope += " [yellow](no such source)[/]"
        table.add_row("-", scope, escape(rule.text), "config")
    for rule in stored:
        table.add_row(str(rule.stored_id), escape(_applies_to(rule.scope)), escape(rule.text), "stored")
    if not table.rows:
        console.print("no filter rules: every article is translated (add one: babelwire filters add RULE)")
        return
    console.print(table)


@app.command("add")
def add_rule(
    rule: Annotated[list[str], typer.Argument(help="The rule, e.g. block title:horoscope (quote a regex).")],
    source: SourceOption = None,
) -> None:
    """Store a rule; it applies to every article screened from now on (already translated ones stay)."""
    from babelwire.store import filter_rules
    from babelwire.stories.filters import RuleError, parse_rule

    text = " ".join(rule)
    try:
        parsed = parse_rule(text)
    except RuleError as exc:
        raise fail(f"rule {text!r}: {exc}") from exc
    store = open_store(open_settings())
    with store.session() as session, session.begin():
        source_id = _source(session, source).id if source else None
        try:
            added = filter_rules.add_rule(session, parsed, source_id)
        except ValueError as exc:
            raise fail(str(exc), "babelwire filters list shows the rules") from exc
        console.print(f"added {escape(added.describe())}")


@app.command("remove")
def remove_rule(rule_id: Annotated[int, typer.Argument(help="The id `filters list` shows.")]) -> None:
    """Delete a stored rule (configured rules are changed in babelwire.toml). Excluded items stay excluded."""
    from babelwire.store import filter_rules

    store = open_store(open_settings())
    with store.session() as session, session.begin():
        removed = filter_rules.remove_rule(session, rule_id)
    if removed is None:
        raise fail(f"there is no stored rule {rule_id}", "see the ids with: babelwire filters list")
    console.print(f"removed {escape(removed)}")


@app.command("check")
def check(
    title: Annotated[str, typer.Option(help="The article's title.")] = "",
    url: Annotated[str, typer.Option(help="The article's URL.")] = "",
    language: Annotated[str | None, typer.Option(help="Its language code, e.g. es.")] = None,
    category: Annotated[list[str] | None, typer.Option(help="A feed category (repeat for several).")] = None,
    body: Annotated[str, typer.Option(help="Its text.")] = "",
    source: SourceOption = None,
) -> None:
    """Tell which rule would exclude an article like this one (configured and stored rules, in order)."""
    from babelwire.store import filter_rules
    from babelwire.stories.filters import RuleError, Subject, excluding_rule

    settings = open_settings()
    store = open_store(settings)
    with store.session() as session:
        row = _source(session, source) if source else None
        try:
            if row is None:
                stored = filter_rules.stored_rules(session, everywhere=False)  # the global ones
                rules = [*settings.filters.global_rules(), *stored]
            else:
                configured = settings.filters.rules_for(row.id, row.url, row.name)
                rules = [*configured, *filter_rules.rules_for_source(session, row.id)]
        except RuleError as exc:
            raise fail(str(exc)) from exc
    subject = Subject(
        title=title,
        body=body,
        url=url,
        language=language.split("-")[0].lower() if language else None,
        categories=tuple(category or ()),
        source_id=row.id if row else None,
    )
    found = excluding_rule(rules, subject)
    if found is None:
        applying = "1 rule applies" if len(rules) == 1 else f"{len(rules)} rules apply"
        console.print(f"kept: no rule excludes it ({applying})")
    else:
        console.print(f"excluded by rule {escape(found.describe())}")


def _source(session: Session, ref: str) -> SourceRow:
    from babelwire.store.filter_rules import find_source

    row = find_source(session, ref)
    if row is None:
        raise fail(f"there is no source {ref!r}", "give an id, feed URL or name from: babelwire sources list")
    return row


def _applies_to(scope: str) -> str:
    return "every source" if scope == "global" else scope
