"""The `babelwire` command: every user action is a subcommand."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from babelwire.commands import admin, filters, held, models, sources, stories
from babelwire.commands.common import CONFIG_ENV, console, setup_logging
from babelwire.commands.demo import demo_command
from babelwire.commands.doctor import doctor_command
from babelwire.commands.extract_cli import extract_cli
from babelwire.commands.review import review_command
from babelwire.commands.run import run_command, status_command
from babelwire.commands.scheduler import scheduler_command
from babelwire.commands.segment import segment_command
from babelwire.commands.serve import serve_command
from babelwire.commands.stats import stats_command
from babelwire.commands.translate import translate_command
from babelwire.commands.worker import worker_command

app = typer.Typer(
    name="babelwire",
    help="An automatic multilingual news wire: watch sources, extract articles, machine-translate them, "
    "and publish a site and feeds that credit every original.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="Path to babelwire.toml (default: ./babelwire.toml, or $BABELWIRE_CONFIG)."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what happens to each article.")
    ] = False,
) -> None:
    if config is not None:
        os.environ[CONFIG_ENV] = str(config)
    setup_logging(verbose)


@app.command("config")
def show_config() -> None:
    """Print the effective configuration (file + environment + defaults) as TOML-like lines."""
    from babelwire.commands.common import open_settings

    settings = open_settings()
    for key, value in settings.model_dump(mode="json").items():
        console.print(f"{key} = {value!r}", markup=False, highlight=False)


app.add_typer(sources.app, name="sources")
app.add_typer(models.app, name="models")
app.add_typer(held.app, name="held")
app.add_typer(admin.app, name="admin")
app.add_typer(stories.app, name="stories")
app.add_typer(filters.app, name="filters")
app.command("review")(review_command)
app.command("run")(run_command)
app.command("status")(status_command)
app.command("stats")(stats_command)
app.command("serve")(serve_command)
app.command("translate")(translate_command)
app.command("segment")(segment_command)
app.command("extract")(extract_cli)
app.command("demo")(demo_command)
app.command("doctor")(doctor_command)
app.command("worker")(worker_command)
app.command("scheduler")(scheduler_command)

if __name__ == "__main__":
    app()
