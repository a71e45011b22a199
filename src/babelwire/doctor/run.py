"""Run every check the settings call for, in the order a person fixes them: system, pairs, servers, store.

This is the I/O edge: it opens the store, builds the engines through the router the wire uses
(with short HTTP timeouts), and asks each server. The lines it returns are printed by
`babelwire doctor`; the exit status is whether all are OK.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babelwire.config import Settings
from babelwire.demo.papers import PAPERS
from babelwire.doctor import apertium as apertium_checks
from babelwire.doctor.broker import check_redis
from babelwire.doctor.database import check_database, check_demo_database
from babelwire.doctor.engines import check_ctranslate2, check_http_engine
from babelwire.doctor.needs import (
    APERTIUM_KINDS,
    HTTP_KINDS,
    Pair,
    engine_kind,
    needed_pairs,
    with_short_timeouts,
)
from babelwire.doctor.pairs import check_pair
from babelwire.doctor.result import CheckResult, failed, passed, warned
from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.registry import get_engine
from babelwire.translate.router import Router

# The bundled demo papers' languages: El Diario del Puerto (es), La Gaseta de Vilamar (ca).
DEMO_SOURCE_LANGUAGES = tuple(dict.fromkeys(paper.language for paper in PAPERS))
DEMO_DATA_DIR = Path("data/demo")  # `babelwire demo`'s default --data-dir


class _Engines:
    """Builds each engine once, remembering why one could not be built (for its line)."""

    def __init__(self) -> None:
        self.built: dict[str, Engine | TranslationError] = {}

    def __call__(self, name: str, options: Mapping[str, Any] | None) -> Engine:
        if name not in self.built:
            try:
                self.built[name] = get_engine(name, options)
            except TranslationError as exc:
                self.built[name] = exc
        engine = self.built[name]
        if isinstance(engine, TranslationError):
            raise engine
        return engine


def run_doctor(settings: Settings, *, demo: bool = False) -> list[CheckResult]:
    """Every line for this setup; with `demo`, for what `babelwire demo` needs instead."""
    if demo:
        settings = settings.model_copy(update={"data_dir": DEMO_DATA_DIR, "database_url": None})
        store_line = check_demo_database(DEMO_DATA_DIR)
        languages = list(DEMO_SOURCE_LANGUAGES)
    else:
        store_line, languages = check_database(settings.resolved_database_url)
    pairs = needed_pairs(settings.target_languages, languages, [] if demo else settings.engines)
    settings = with_short_timeouts(settings)
    engines = _Engines()
    router = Router.from_settings(settings, factory=engines)
    pair_lines: list[CheckResult] = []
    used: dict[str, list[Pair]] = {}
    for pair in pairs:
        line, route = check_pair(router, settings, pair)
        pair_lines.append(line)
        for name in settings.engines_for(*pair):
            used.setdefault(name, []).append(pair)
        for leg in route.legs if route else ():
            served = used.setdefault(leg.engine.name, [])
            if (leg.source_lang, leg.target_lang) not in served:
                served.append((leg.source_lang, leg.target_lang))
    if not pairs:
        pair_lines.append(passed("language pairs", _no_pairs(demo)))
    lines = _system_lines(settings, router, engines, used)
    lines += pair_lines
    lines += _server_lines(settings, router, engines, used)
    lines.append(store_line)
    lines.append(check_interface_strings(settings.target_languages))
    if settings.mode == "distributed" and not demo:
        lines.append(check_redis(settings.distributed.broker_url))
    return lines


def _system_lines(
    settings: Settings, router: Router, engines: _Engines, used: Mapping[str, list[Pair]]
) -> list[CheckResult]:
    """The apertium command and each Apertium engine's deformatter, when an Apertium engine is used."""
    from babelwire.translate.engines.apertium import ApertiumEngine

    kinds = {name: engine_kind(settings, name) for name in used}
    if not APERTIUM_KINDS & set(kinds.values()):
        return []
    lines: list[CheckResult] = []
    binaries: dict[str, None] = {}
    for name, kind in kinds.items():
        if kind != "apertium":
            continue
        engine = router.engine(name)
        if isinstance(engine, ApertiumEngine):
            binaries[engine.binary] = None
            lines.append(apertium_checks.check_deformatter(name, engine))
        else:
            lines.append(_unbuildable(name, engines))
    commands = [apertium_checks.check_command(binary) for binary in binaries or ["apertium"]]
    return commands + lines
    return lines


def _server_lines(
    settings: Settings, router: Router, engines: _Engines, used: Mapping[str, list[Pair]]
) -> list[CheckResult]:
    """Each HTTP engine's server, and each CTranslate2 engine's models, for the engines in use."""
    lines = []
    for name, pairs in used.items():
        kind = engine_kind(settings, name)
        if kind not in HTTP_KINDS and kind != "ctranslate2":
            continue
        built = router.engine(name)
        if built is None:
            lines.append(_unbuildable(name, engines))
        elif kind == "ctranslate2":
            lines.append(check_ctranslate2(name, built, pairs))
        else:
            lines.append(check_http_engine(name, kind, built))
    return lines


def check_interface_strings(languages: list[str]) -> CheckResult:
    """A warning, not a failure: a site language without a catalog is published with English labels."""
    from babelwire.web import i18n

    missing = i18n.languages_without_catalog(languages)
    if not missing:
        return passed("interface strings", f"for every site language ({', '.join(languages)})")
    return warned(
        "interface strings",
        f"none for {', '.join(missing)}: those pages show English buttons and labels",
        f"copy {i18n.LOCALES / 'en.json'} to {i18n.LOCALES}/<code>.json and translate the values",
    )


def _unbuildable(name: str, engines: _Engines) -> CheckResult:
    error = engines.built.get(name)
    message = error.message if isinstance(error, TranslationError) else "could not be built"
    return failed(f"{name} engine", message, f"fix [engine_options.{name}] in babelwire.toml")


def _no_pairs(demo: bool) -> str:
    if demo:
        return "the demo's targets are its papers' languages: nothing to translate"
    return (
        "no sources with a language yet and no pairs in [engines] (`babelwire sources add URL --language es`)"
    )
