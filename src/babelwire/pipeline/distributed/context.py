"""What a worker process opens once and every task in it shares: settings, the store, the translator.

The store's connection pool must not cross a fork: a prefork child that used its parent's
pooled sockets would interleave its queries with the parent's. So the context is opened
lazily in the process that uses it, and a forked child (Celery's worker_process_init) drops
whatever it inherited before opening its own. The translator is built on first use, so
poll and fetch workers never start translation engines.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from celery import signals

from babelwire.config import Settings, load_settings
from babelwire.pipeline.story_step import WireStories
from babelwire.store.db import Store
from babelwire.translate.memory import StoreMemory
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator


class WorkerContext:
    """One process's long-lived resources."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        return Store.from_settings(self.settings)

    @cached_property
    def translator(self) -> Translator:
        return Translator(Router.from_settings(self.settings), StoreMemory(self.store))

    @cached_property
    def stories(self) -> WireStories:
        """This process's story clusterer, caught up from the store's log under the stories lock."""
        return WireStories()

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def forget_inherited(self) -> None:
        """After a fork: let go of the parent's connections without closing them under the parent."""
        if "store" in self.__dict__:
            self.store.engine.dispose(close=False)
        self.__dict__.pop("store", None)
        self.__dict__.pop("translator", None)
        self.__dict__.pop("stories", None)


_lock = threading.Lock()
_settings: Settings | None = None
_context: WorkerContext | None = None


def configure(settings: Settings) -> None:
    """Use these settings for the worker context (make_app calls this; default: load from the environment)."""
    global _settings, _context
    with _lock:
        _settings = settings
        if _context is not None and _context.settings is not settings:
            _context.close()
            _context = None


def worker_context() -> WorkerContext:
    """This process's context, opened on first use."""
    global _context
    with _lock:
        if _context is None:
            _context = WorkerContext(_settings if _settings is not None else load_settings())
        return _context


def reset() -> None:
    """Close this process's context (tests, worker shutdown); the next worker_context() opens a new one."""
    global _context
    with _lock:
        if _context is not None:
            _context.close()
        _context = None


def _after_fork(**_: Any) -> None:
    with _lock:
        if _context is not None:
            _context.forget_inherited()


def _shutdown(**_: Any) -> None:
    reset()


# Celery's signals are process-global; dispatch_uid keeps one connection however often this is imported.
for _signal, _handler in (
    (signals.worker_process_init, _after_fork),
    (signals.worker_process_shutdown, _shutdown),
    (signals.worker_shutdown, _shutdown),
):
    _signal.connect(_handler, weak=False, dispatch_uid=f"babelwire.{_handler.__name__}")
