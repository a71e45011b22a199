"""Which engine translates which pair: configured order, fallback, and pivot through English.

A route is one or two legs. Direct routes come first, in the configured order, keeping only
engines that support the pair; when none does, routes through the pivot language
(es→de = es→en→de) are tried. The translator walks the routes until one succeeds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.config import Settings
from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.registry import get_engine


@dataclass(frozen=True)
class Leg:
    engine: Engine
    source_lang: str
    target_lang: str


@dataclass(frozen=True)
class Route:
    legs: tuple[Leg, ...]

    @property
    def pivot(self) -> str | None:
        return self.legs[0].target_lang if len(self.legs) > 1 else None

    @property
    def engine_label(self) -> str:
        names = list(dict.fromkeys(leg.engine.name for leg in self.legs))
        return ">".join(names)

    @property
    def model_version(self) -> str:
        return " | ".join(leg.engine.model_version(leg.source_lang, leg.target_lang) for leg in self.legs)

    def describe(self) -> str:
        return " then ".join(f"{leg.engine.name} {leg.source_lang}->{leg.target_lang}" for leg in self.legs)


EngineFactory = Callable[[str, Mapping[str, Any] | None], Engine]


class Router:
    def __init__(
        self,
        engines: Mapping[str, str | list[str]],
        default_engine: str | list[str],
        *,
        engine_options: Mapping[str, Mapping[str, Any]] | None = None,
        pivot_language: str | None = "en",
        factory: EngineFactory = get_engine,
    ) -> None:
        self._settings = Settings.model_construct(engines=dict(engines), default_engine=default_engine)
        self._options = engine_options or {}
        self._pivot = pivot_language
        self._factory = factory
        self._engines: dict[str, Engine] = {}
        self._broken: dict[str, TranslationError] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, factory: EngineFactory = get_engine) -> Router:
        options = {name: dict(values) for name, values in settings.engine_options.items()}
        for name in set(settings.engine_names()) | set(options):
            engine_options = options.setdefault(name, {})
            if engine_options.get("kind", name) == "ctranslate2":  # models live in the data directory
                engine_options.setdefault("models_dir", str(settings.data_dir / "models"))
        return cls(
            settings.engines,
            settings.default_engine,
            engine_options=options,
            pivot_language=settings.pivot_language,
            factory=factory,
        )

    def engine(self, name: str) -> Engine | None:
        """The engine called `name`, built once; None (and the reason remembered) if it cannot be built."""
        with self._lock:
            if name not in self._engines and name not in self._broken:
                try:
                    self._engines[name] = self._factory(name, self._options.get(name))
                except TranslationError as exc:
                    self._broken[name] = exc
            return self._engines.get(name)

    def _direct(self, source_lang: str, target_lang: str) -> list[Route]:
        routes = []
        for name in self._settings.engines_for(source_lang, target_lang):
            engine = self.engine(name)
            if engine is None:
                continue
            try:
                supported = engine.supports(source_lang, target_lang)
            except TranslationError as exc:
                # A server that cannot be asked now (down, timing out) stays in the running: its
                # translate call fails with the real reason, is recorded, and the fallback is used.
                supported = exc.retryable
                if not exc.retryable:
                    self._broken[name] = exc
            if supported:
                routes.append(Route((Leg(engine, source_lang, target_lang),)))
        return routes

    def routes(self, source_lang: str, target_lang: str) -> list[Route]:
        return self._direct(source_lang, target_lang) or self.pivot_routes(source_lang, target_lang)

    def pivot_routes(self, source_lang: str, target_lang: str) -> list[Route]:
        """Routes through the pivot language even when a direct one exists: another try at a sentence."""
        pivot = self._pivot
        if not pivot or pivot in (source_lang, target_lang):
            return []
        return [
            Route(first.legs + second.legs)
            for first in self._direct(source_lang, pivot)
            for second in self._direct(pivot, target_lang)
        ]

    def no_route_error(self, source_lang: str, target_lang: str) -> TranslationError:
        names = self._settings.engines_for(source_lang, target_lang)
        broken = "; ".join(f"{name}: {self._broken[name].message}" for name in names if name in self._broken)
        detail = f" ({broken})" if broken else ""
        return TranslationError(
            "/".join(names),
            "unsupported_pair",
            f"no configured engine translates {source_lang}->{target_lang}{detail}; "
            f'configure [engines] "{source_lang}-{target_lang}" or install a pair for it',
        )
