"""`babelwire doctor`: one line per thing the setup needs, OK or the fix; exit 1 when one is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from babelwire.commands.common import console, open_settings

if TYPE_CHECKING:
    from babelwire.doctor import CheckResult


def doctor_command(
    demo: Annotated[
        bool, typer.Option("--demo", help="Check what `babelwire demo` needs instead of the configured wire.")
    ] = False,
) -> None:
    """Check Apertium and its pairs, the engines' servers and models, the database and Redis."""
    from babelwire.doctor import all_ok, run_doctor

    results = run_doctor(open_settings(), demo=demo)
    width = max((len(result.name) for result in results), default=0)
    for result in results:
        line = Text.assemble(
            _mark(result),
            f" {result.name.ljust(width)}  {result.detail}",
        )
        console.print(line, soft_wrap=True, highlight=False)
        if result.fix:
            console.print(Text.assemble(" " * (width + 7), ("fix: ", "dim"), result.fix), soft_wrap=True)
    ok = all_ok(results)
    missing = sum(1 for result in results if not result.ok)
    summary = "everything needed is there" if ok else f"{missing} thing{'s' if missing > 1 else ''} missing"
    warnings = sum(1 for result in results if result.warning)
    if warnings:
        summary += f" ({warnings} warning{'s' if warnings > 1 else ''})"
    console.print(summary, highlight=False)
    raise typer.Exit(0 if ok else 1)


def _mark(result: CheckResult) -> tuple[str, str]:
    if not result.ok:
        return "FAIL", "bold red"
    return ("WARN", "yellow") if result.warning else ("OK  ", "green")
