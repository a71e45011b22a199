"""`babelwire scheduler`: the one process that decides when each source is polled (distributed mode)."""

from __future__ import annotations

import signal
import threading
from types import FrameType

from babelwire.commands.common import console


def scheduler_command() -> None:
    """Enqueue polls of due sources and re-enqueue stalled items (distributed mode).

    Run exactly one per deployment: it only decides what is due, every
    distributed.tick seconds; workers do the work. SIGTERM or Ctrl-C stops it
    after the current tick. Nothing is lost by stopping it: what is due is
    recomputed from the store when it starts again.
    """
    from babelwire.commands.worker import open_distributed_settings

    settings = open_distributed_settings()
    # Imported here: the scheduler loads Celery, which other commands do not need.
    from babelwire.pipeline.distributed.scheduler import run_scheduler

    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        console.print(f"{signal.Signals(signum).name}: stopping after this tick")
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    console.print(f"babelwire scheduler: ticking every {settings.distributed.tick:g} s (Ctrl-C stops)")
    try:
        run_scheduler(settings, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.print("scheduler stopped")
