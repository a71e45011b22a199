"""An ASGI factory for running the site under uvicorn with several worker processes.

`babelwire serve` is one process; behind a proxy, `uvicorn --factory
babelwire.web.asgi:app_from_environment --workers N` runs N, each calling this to build its
own app and its own store (a database pool must not be shared across processes). Settings come
from babelwire.toml / BABELWIRE_CONFIG and BABELWIRE_* variables, as for every command.
"""

from __future__ import annotations

from fastapi import FastAPI

from babelwire.config import load_settings
from babelwire.store.db import Store
from babelwire.web.app import create_app


def app_from_environment() -> FastAPI:
    settings = load_settings()
    return create_app(settings, Store.from_settings(settings))
