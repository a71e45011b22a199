"""Each needed language pair: the route the translator would take, or why there is none.

A route counts only when every leg's engine confirms the pair now; a route kept because its
server could not be asked (the router keeps those so the fallback runs) is reported as failing,
since the engine's own line says why. Pivot routes (es->en->fr) count.
"""

from __future__ import annotations

from babelwire.config import Settings
from babelwire.doctor.apertium import pair_fix
from babelwire.doctor.needs import Pair, engine_kind
from babelwire.doctor.result import CheckResult, failed, passed
from babelwire.translate.engine import TranslationError
from babelwire.translate.router import Route, Router


def confirmed(route: Route) -> bool:
    """Every leg's engine says it supports its pair (a server that cannot be asked does not)."""
    try:
        return all(leg.engine.supports(leg.source_lang, leg.target_lang) for leg in route.legs)
    except TranslationError:
        return False


def check_pair(router: Router, settings: Settings, pair: Pair) -> tuple[CheckResult, Route | None]:
    """The pair's line, and the route that serves it (None when none does)."""
    source, target = pair
    name = f"{source}->{target}"
    routes = router.routes(source, target)
    for route in routes:
        if confirmed(route):
            return passed(name, f"{route.describe()} ({route.model_version})"), route
    if routes:
        engines = ", ".join(dict.fromkeys(route.engine_label for route in routes))
        detail = f"only through {engines}, which cannot be asked now"
        return failed(name, detail, f"see the {engines} line below"), None
    detail = router.no_route_error(source, target).message.split("; configure")[0]
    pivot = settings.pivot_language
    if pivot and pivot not in pair:
        detail += f", directly or through {pivot}"
    return failed(name, detail, missing_pair_fix(settings, pair)), None


def missing_pair_fix(settings: Settings, pair: Pair) -> str:
    """The fix for the first configured engine that could serve the pair."""
    source, target = pair
    names = settings.engines_for(source, target)
    for name in names:
        kind = engine_kind(settings, name)
        if kind in ("apertium", "apertium-apy"):
            return pair_fix(source, target, on_server=kind == "apertium-apy")
        if kind == "ctranslate2":
            return (
                f"babelwire models pull REPO --pairs {source}-{target} "
                f"(a CTranslate2 model for {source}->{target})"
            )
    return (
        f"{'/'.join(names)} does not offer {source}->{target}: name another engine for it, "
        f'[engines] "{source}-{target}" = "apertium"'
    )
