"""Engines behind HTTP (APY, LibreTranslate, DeepL, OpenAI-compatible) and CTranslate2 models on disk.

Each HTTP engine is asked one cheap question with its own client (`HttpEngine.probe()`), so the
URL, key and headers are exactly those translation uses: APY `GET /listPairs`, LibreTranslate
`GET /languages`, DeepL `GET /v2/usage` (it checks the key), an OpenAI-compatible server
`GET /models`. The doctor builds these engines with one attempt and short timeouts
(needs.with_short_timeouts).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import TYPE_CHECKING

from babelwire.doctor.needs import Pair
from babelwire.doctor.result import CheckResult, failed, passed
from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.http import HttpEngine

if TYPE_CHECKING:
    pass


def http_fix(name: str, kind: str, error: TranslationError, url: str) -> str:
    """The one-line fix for an HTTP engine that did not answer as it should."""
    table = f"[engine_options.{name}]"
    if error.reason == "auth":
        return f"check api_key in {table}"
    if error.reason == "model_missing":
        return f"set model in {table} to one the server serves, or load it there"
    if error.reason in ("connect", "timeout", "network"):
        apy = "start APY (apertium-apy --port 2737 /usr/share/apertium/modes)"
        start = apy if kind == "apertium-apy" else f"start the {kind} server"
        return f"{start} at {url}, or set url in {table}"
    return f"check url in {table} ({url})"


def check_http_engine(name: str, kind: str, engine: Engine) -> CheckResult:
    """Is the configured server there, and does it accept us?"""
    label = f"{name} server"
    if not isinstance(engine, HttpEngine):
        kind_fix = f"check kind in [engine_options.{name}]"
        return failed(label, f"{type(engine).__name__} is not an HTTP engine", kind_fix)
    try:
        answer = engine.probe()
    except TranslationError as exc:
        fix = http_fix(name, kind, exc, engine.url)
        return failed(label, f"{engine.url}: unreachable or refused: {exc.message}", fix)
    return passed(label, f"{engine.url}: {answer}")


def check_ctranslate2(name: str, engine: Engine, pairs: Sequence[Pair]) -> CheckResult:
    """The CTranslate2 package is installed and a model on disk serves each pair configured for it."""
    label = f"{name} models"
    if importlib.util.find_spec("ctranslate2") is None:
        return failed(label, "the ctranslate2 package is missing", "pip install 'babelwire[neural]'")
    from babelwire.translate.engines.ctranslate2 import CTranslate2Engine

    if not isinstance(engine, CTranslate2Engine):
        return failed(
            label, f"{type(engine).__name__} is not CTranslate2", f"check kind in [engine_options.{name}]"
        )
    models_dir = engine.models_dir
    found: list[str] = []
    missing: list[str] = []
    for source, target in pairs:
        path = engine.model_path(source, target)
        if path is None:
            missing.append(f"{source}-{target}")
        else:
            found.append(f"{source}-{target}: {path.name}")
    if missing:
        return failed(
            label,
            f"no model in {models_dir} for {', '.join(missing)}",
            f"babelwire models pull REPO --pairs {missing[0]} (a CTranslate2 model; `babelwire models list`)",
        )
    return passed(label, f"{models_dir}: {'; '.join(found) if found else 'no pair configured for it'}")
