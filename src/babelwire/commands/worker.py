"""`babelwire worker`: a Celery worker of the distributed mode, in this process."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from babelwire.commands.common import fail, open_settings
from babelwire.pipeline.distributed.queues import QUEUES

if TYPE_CHECKING:
    from babelwire.config import Settings


class PoolKind(StrEnum):
    prefork = "prefork"
    threads = "threads"
    solo = "solo"


def open_distributed_settings() -> Settings:
    """The settings, refusing (one line, with the fix) unless the mode is distributed and Redis answers."""
    from babelwire.pipeline.distributed.broker import BrokerUnreachableError, ping

    settings = open_settings()
    if settings.mode != "distributed":
        raise fail(
            f"this command runs only in the distributed mode (mode is {settings.mode!r})",
            'set mode = "distributed" in babelwire.toml or BABELWIRE_MODE=distributed '
            "(the embedded mode runs everything in `babelwire run`)",
        )
    try:
        ping(settings.distributed.broker_url)
    except BrokerUnreachableError as exc:
        raise fail(exc.message) from exc
    return settings


def worker_command(
    queues: Annotated[
        str,
        typer.Option(
            "--queues",
            "-Q",
            help=f"Comma-separated queues to take work from: {','.join(QUEUES)}. Run translate on GPU "
            "machines, poll/fetch where the network is, extract/review/publish where CPU is.",
        ),
    ] = ",".join(QUEUES),
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency", "-c", min=1, help="Tasks run at once (processes or threads); default: CPUs."
        ),
    ] = None,
    pool: Annotated[
        PoolKind,
        typer.Option(
            "--pool",
            "-P",
            help="prefork: processes, for CPU-bound queues (extract, translate, review); threads: for "
            "network-bound queues (poll, fetch); solo: one task at a time in this process.",
        ),
    ] = PoolKind.prefork,
    hostname: Annotated[
        str | None,
        typer.Option(
            "--hostname",
            "-n",
            help="Node name, unique per worker; %h is the host (default: babelwire-<queues>-<pid>@%h).",
        ),
    ] = None,
    loglevel: Annotated[
        str, typer.Option("--loglevel", "-l", help="debug, info, warning or error.")
    ] = "info",
) -> None:
    """Take pipeline tasks from the Redis queues and run them (distributed mode).

    SIGTERM (systemctl stop) is a warm shutdown: the worker takes no new task
    and exits when its running tasks have finished. A task cut short (SIGKILL,
    a crash, a second Ctrl-C) is not lost: tasks are acknowledged only when
    done, so Redis gives it to another worker after
    distributed.visibility_timeout seconds; running a task twice is harmless.
    """
    from babelwire.pipeline.distributed.broker import parse_queues

    settings = open_distributed_settings()
    try:
        chosen = parse_queues(queues)
    except ValueError as exc:
        raise fail(str(exc), f"pass --queues with names from {','.join(QUEUES)}") from exc
    code = run_worker(
        settings, chosen, concurrency=concurrency, pool=pool.value, hostname=hostname, loglevel=loglevel
    )
    raise typer.Exit(code=code)


def run_worker(
    settings: Settings,
    queues: list[str],
    *,
    concurrency: int | None = None,
    pool: str = "prefork",
    hostname: str | None = None,
    loglevel: str = "info",
) -> int:
    """Run a Celery worker on `queues` until it shuts down; its exit code."""
    # Celery and the engines load only here, not on every `babelwire` command.
    from celery import concurrency as pools

    from babelwire.pipeline.distributed.app import make_app

    app = make_app(settings)
    worker = app.Worker(
        hostname=hostname or f"babelwire-{'-'.join(queues)}-{os.getpid()}@%h",
        queues=queues,
        concurrency=concurrency,
        pool_cls=pools.get_implementation(pool),
        loglevel=loglevel.upper(),
        # Mingle (sync revoked ids at start) and gossip (watch other workers) serve features
        # babelwire does not use, and mingle alone costs a second at every start.
        without_mingle=True,
        without_gossip=True,
    )
    worker.start()
    return int(worker.exitcode or 0)
