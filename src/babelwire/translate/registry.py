"""Find an engine by the name used in configuration.

Engines are imported lazily, so an operator who never uses CTranslate2 does not need it
installed. Options come from the `[engine_options.NAME]` table of babelwire.toml and are
passed to the engine's constructor as keyword arguments.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from babelwire.translate.engine import Engine, TranslationError

ENGINES: dict[str, str] = {
    "apertium": "babelwire.translate.engines.apertium:ApertiumEngine",
    "apertium-apy": "babelwire.translate.engines.apertium_apy:ApertiumApyEngine",
    "ctranslate2": "babelwire.translate.engines.ctranslate2:CTranslate2Engine",
    "libretranslate": "babelwire.translate.engines.libretranslate:LibreTranslateEngine",
    "deepl": "babelwire.translate.engines.deepl:DeepLEngine",
    "openai": "babelwire.translate.engines.openai:OpenAIEngine",
}


def engine_names() -> list[str]:
    return sorted(ENGINES)


def get_engine(name: str, options: Mapping[str, Any] | None = None) -> Engine:
    """Build the engine `name`; an option table may name another kind with `kind = "deepl"`."""
    options = dict(options or {})
    kind = str(options.pop("kind", name))
    target = ENGINES.get(kind)
    if target is None:
        raise TranslationError(
            name, "unknown_engine", f"unknown engine {kind!r}; known engines: {', '.join(engine_names())}"
        )
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise TranslationError(
            name,
            "not_installed",
            f"engine {kind!r} needs a missing package ({exc.name}): pip install 'babelwire[neural]'",
        ) from exc
    try:
        engine: Engine = getattr(module, class_name)(**options)
    except TypeError as exc:
        raise TranslationError(name, "bad_options", f"invalid options for engine {kind!r}: {exc}") from exc
    engine.name = name
    return engine
