"""What every command shares: settings, the store, logging, and one-line errors.

Command modules import only typer, rich and the standard library at module level, and what a
command needs inside the command: `babelwire --help` must not load pydantic, SQLAlchemy,
trafilatura or FastAPI (tests/commands/test_startup.py checks which modules it loads).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from babelwire.config import Settings
    from babelwire.store.db import Store

CONFIG_ENV = "BABELWIRE_CONFIG"  # also read by config.py; here so the CLI can set it without pydantic

console = Console()
err_console = Console(stderr=True)


def fail(message: str, fix: str | None = None) -> typer.Exit:
    """Print a one-line error (and its fix) and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}" + (f"\n[dim]fix:[/] {fix}" if fix else ""))
    return typer.Exit(code=1)


def setup_logging(verbose: bool) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(name)s: %(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, markup=False)],
        force=True,
    )
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # trafilatura warns about every odd link and discarded element: noise for our users.
    for chatty in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(chatty).setLevel(logging.ERROR)


def open_settings() -> Settings:
    from babelwire.config import load_settings

    try:
        return load_settings()
    except Exception as exc:
        raise fail(
            f"invalid configuration: {_config_problem(exc)}", "check babelwire.toml and BABELWIRE_* variables"
        ) from exc


def _config_problem(exc: Exception) -> str:
    """A settings error on one line: pydantic's `loc: message` per error, without its boilerplate."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg'].removeprefix('Value error, ')}"
        for error in exc.errors()
    )


def open_store(settings: Settings) -> Store:
    from babelwire.store.db import Store

    try:
        return Store.from_settings(settings)
    except Exception as exc:
        raise fail(
            f"cannot open the database {settings.resolved_database_url!r}: {exc}",
            "set database_url in babelwire.toml or BABELWIRE_DATABASE_URL",
        ) from exc
