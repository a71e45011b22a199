"""Find an engine by the name used in configuration."""

from __future__ import annotations

from collections.abc import Callable

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.apertium import ApertiumEngine

ENGINE_FACTORIES: dict[str, Callable[[], Engine]] = {
    "apertium": ApertiumEngine,
}


def get_engine(name: str) -> Engine:
    factory = ENGINE_FACTORIES.get(name)
    if factory is None:
        known = ", ".join(sorted(ENGINE_FACTORIES))
        raise TranslationError(name, "unknown_engine", f"unknown engine {name!r}; known engines: {known}")
    return factory()
