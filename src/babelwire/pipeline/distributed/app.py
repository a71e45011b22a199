"""The Celery app of the distributed mode: Redis broker, one queue per stage, crash-safe delivery.

Crash safety comes from the configuration, not from code: a task is acknowledged only after
it ran (acks_late), a worker killed mid-task gives its task back (reject_on_worker_lost; Redis
redelivers unacknowledged messages after the visibility timeout), and a worker holds one
message at a time (prefetch 1) so a crash strands no queued work. Redelivery is harmless
because every task re-reads its item and does only what is missing (content-hash keys).
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu.entity import Exchange, Queue

from babelwire.config import Settings, load_settings
from babelwire.pipeline.distributed import context
from babelwire.pipeline.distributed.broker import QUEUES, queue_for_task

TASKS_MODULE = "babelwire.pipeline.distributed.tasks"


def route_task(name: str, *_: Any, **__: Any) -> dict[str, str] | None:
    """Celery router: "babelwire.translate_items" -> the "translate" queue."""
    queue = queue_for_task(name)
    return {"queue": queue} if queue else None


def make_queues() -> tuple[Queue, ...]:
    # kombu is untyped.
    return tuple(
        Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]
        for name in QUEUES
    )


def make_app(settings: Settings) -> Celery:
    """A Celery app for these settings; worker processes open their store from the same settings."""
    context.configure(settings)
    app = Celery("babelwire", broker=settings.distributed.broker_url, include=[TASKS_MODULE])
    app.conf.update(
        task_queues=make_queues(),
        task_routes=(route_task,),
        task_default_queue=QUEUES[0],
        task_create_missing_queues=False,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # A task cut off by a lost broker connection is redelivered anyway: stop it rather than
        # let it finish alongside its redelivered copy.
        worker_cancel_long_running_tasks_on_connection_loss=True,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        result_backend=None,
        broker_transport_options={"visibility_timeout": settings.distributed.visibility_timeout},
        broker_connection_retry_on_startup=True,
        worker_send_task_events=False,
        enable_utc=True,
        timezone="UTC",
    )
    return app


_from_environment: Celery | None = None


def __getattr__(name: str) -> Celery:
    """`app`: the app for babelwire.toml + BABELWIRE_* settings, made on first use.

    For Celery's own tools, which want an app by import path:
    `celery -A babelwire.pipeline.distributed.app inspect active`, or Flower.
    """
    global _from_environment
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _from_environment is None:
        _from_environment = make_app(load_settings())
    return _from_environment
