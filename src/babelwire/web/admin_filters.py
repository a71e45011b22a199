"""/admin/filters: the editorial filter rules and the articles they excluded.

Rules from babelwire.toml are shown read-only (they change in the file); stored rules are added
and removed here, with the same login and CSRF token as every admin form. Each excluded article
is listed with the rule that stopped it, as items.excluded_by recorded it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store import filter_rules, queries
from babelwire.stories.filters import GRAMMAR, RuleError, parse_rule
from babelwire.web.admin import PREFIX, Admin, Csrf, page, redirect
from babelwire.web.deps import AppSettings, DbSession, RowId

router = APIRouter(prefix=PREFIX, include_in_schema=False)
EXCLUDED_SHOWN = 100


def _filters_page(
    request: Request, session: Session, settings: Settings, *, status: int = 200, **context: Any
) -> HTMLResponse:
    sources = queries.list_sources(session)
    known = {s.url for s in sources} | {s.name.casefold() for s in sources}
    configured = [
        (key or "every source", rule, not key or key in known or key.casefold() in known)
        for key, rule in settings.filters.keyed_rules()
    ]
    try:
        stored, broken = filter_rules.stored_rules(session), None
    except RuleError as exc:  # a row written before a stricter rule: say so, still list the rest
        stored, broken = [], str(exc)
    return page(
        request,
        "filters.html",
        status=status,
        configured=configured,
        stored=stored,
        broken=broken,
        sources=sources,
        counts=filter_rules.excluded_counts(session),
        excluded=filter_rules.excluded_items(session, limit=EXCLUDED_SHOWN),
        source_names={s.id: s.name for s in sources},
        grammar=GRAMMAR,
        form=context.pop("form", {}),
        **context,
    )


@router.get("/filters", response_class=HTMLResponse, dependencies=[Admin])
def filters(request: Request, session: DbSession, settings: AppSettings) -> Response:
    return _filters_page(request, session, settings)


@router.post("/filters", response_class=HTMLResponse, dependencies=[Admin, Csrf])
def add_filter(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    rule: Annotated[str, Form(max_length=600)],
    source: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = {"rule": rule, "source": source}
    source = source.strip()
    if source and not source.isdigit():
        errors = [f"unknown source {source!r}: choose one from the list"]
        return _filters_page(request, session, settings, status=400, errors=errors, form=form)
    try:
        added = filter_rules.add_rule(session, parse_rule(rule), int(source) if source else None)
    except RuleError as exc:
        return _filters_page(request, session, settings, status=400, errors=[f"{rule}: {exc}"], form=form)
    except ValueError as exc:  # an unknown source, a repeated rule
        session.rollback()
        return _filters_page(request, session, settings, status=409, errors=[str(exc)], form=form)
    session.commit()
    return redirect(
        request, "/filters", f"Added {added.describe()}. It applies to articles screened from now on."
    )


@router.post("/filters/{rule_id}/remove", dependencies=[Admin, Csrf])
def remove_filter(request: Request, rule_id: RowId, session: DbSession) -> Response:
    removed = filter_rules.remove_rule(session, rule_id)
    if removed is None:
        session.rollback()
        return redirect(request, "/filters", f"There is no stored rule {rule_id} (removed already?).")
    session.commit()
    return redirect(request, "/filters", f"Removed {removed}. Articles it excluded stay excluded.")
