"""Admin pages under /admin: sources, held translations, recent failures. Server-rendered, no script.

Every page needs a login (the password from `babelwire admin set-password`); every POST form
carries the session's CSRF token. Failures and held translations are what an editor would
otherwise have to dig out of the CLI; here they sit next to the button that acts on them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from babelwire.config import Settings
from babelwire.store import queries
from babelwire.store.counts import language_counts
from babelwire.store.held import decide_held, held_translations
from babelwire.store.models import SourceRow
from babelwire.web import auth
from babelwire.web.api import add_source, patch_source
from babelwire.web.api_models import SourceCreate, SourcePatch, form_text
from babelwire.web.deps import AppSettings, DbSession, RowId, render
from babelwire.web.rendering import TEMPLATES

PREFIX = "/admin"
ADMIN_CSS = TEMPLATES / "admin" / "admin.css"
SEVERITY_ORDER = {"critical": 0, "error": 1, "warning": 2, "info": 3}

router = APIRouter(prefix=PREFIX, include_in_schema=False)


class NotLoggedInError(Exception):
    """Raised by pages that need a login; answered with a redirect to the login form."""


async def to_login(request: Request, exc: Exception) -> Response:
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


def logged_in(request: Request, session: Session) -> bool:
    opened_with = auth.session_data(request).get("admin")
    return isinstance(opened_with, str) and opened_with == auth.current_fingerprint(session)


def require_admin(request: Request, session: DbSession) -> None:
    """Logged in with the current password (a new password ends older sessions)."""
    if not logged_in(request, session):
        raise NotLoggedInError


async def require_csrf(request: Request) -> None:
    form = await request.form()
    submitted = form.get(auth.CSRF_FIELD)
    auth.check_csrf(request, submitted if isinstance(submitted, str) else None)


Admin = Depends(require_admin)
Csrf = Depends(require_csrf)


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """An admin page: the CSRF token for its forms, a one-time message, never cached."""
    data = auth.session_data(request)
    flash = data.pop("flash", None)
    response = render(
        request,
        f"admin/{template}",
        status=status,
        lang="en",
        flash=flash,
        csrf_token=auth.csrf_token(request),
        logged_in="admin" in data,
        **context,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def redirect(request: Request, path: str, flash: str | None = None) -> RedirectResponse:
    if flash:
        auth.session_data(request)["flash"] = flash
    return RedirectResponse(f"{PREFIX}{path}", status_code=303)


def throttle(request: Request) -> auth.LoginThrottle:
    limiter: auth.LoginThrottle = request.app.state.login_throttle
    return limiter


# --- login --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: DbSession) -> Response:
    return redirect(request, "/sources" if logged_in(request, session) else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: DbSession) -> Response:
    if logged_in(request, session):
        return redirect(request, "/sources")
    return page(request, "login.html", password_set=auth.admin_password_row(session) is not None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Csrf])
def login(request: Request, session: DbSession, password: Annotated[str, Form(max_length=1000)]) -> Response:
    client = request.client.host if request.client else "unknown"
    limiter = throttle(request)
    password_set = auth.admin_password_row(session) is not None
    if limiter.blocked(client):
        return page(
            request,
            "login.html",
            status=429,
            password_set=password_set,
            error="Too many failed logins from your address: wait a few minutes.",
        )
    opened_with = auth.check_admin_password(session, password)
    if opened_with is None:
        limiter.failed(client)
        return page(
            request,
            "login.html",
            status=401,
            password_set=password_set,
            error="Wrong password." if password_set else "No admin password is set yet.",
        )
    session.commit()
    limiter.succeeded(client)
    data = auth.session_data(request)
    data.clear()  # a fresh session (and CSRF token) for the logged-in admin
    data["admin"] = opened_with
    return redirect(request, "/sources")


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> Response:
    auth.session_data(request).clear()
    return redirect(request, "/login")


# --- sources ------------------------------------------------------------------------------


def _errors(exc: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()
    ]


def _sources_page(request: Request, session: Session, *, status: int = 200, **context: Any) -> HTMLResponse:
    sources = queries.list_sources(session)
    return page(
        request, "sources.html", status=status, sources=sources, form=context.pop("form", {}), **context
    )


@router.get("/sources", response_class=HTMLResponse, dependencies=[Admin])
def sources(request: Request, session: DbSession) -> Response:
    return _sources_page(request, session)


@router.post("/sources", response_class=HTMLResponse, dependencies=[Admin, Csrf])
def create_source(
    request: Request,
    session: DbSession,
    url: Annotated[str, Form(max_length=2000)],
    name: Annotated[str, Form(max_length=300)] = "",
    language: Annotated[str, Form(max_length=20)] = "",
    excerpt_only: Annotated[bool, Form()] = False,
) -> Response:
    form = {"url": url, "name": name, "language": language, "excerpt_only": excerpt_only}
    try:
        row = add_source(
            session,
            SourceCreate(
                url=url.strip(), name=form_text(name), language=form_text(language), excerpt_only=excerpt_only
            ),
        )
    except ValidationError as exc:
        return _sources_page(request, session, status=400, errors=_errors(exc), form=form)
    except ValueError as exc:
        return _sources_page(request, session, status=409, errors=[str(exc)], form=form)
    session.commit()
    return redirect(request, "/sources", f"Added source {row.id}: {row.name}. It is polled on the next run.")


def _get_source(session: Session, source_id: int) -> SourceRow:
    row = session.get(SourceRow, source_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no source {source_id}")
    return row


@router.get("/sources/{source_id}", response_class=HTMLResponse, dependencies=[Admin])
def edit_source_form(request: Request, source_id: RowId, session: DbSession) -> Response:
    return page(request, "source.html", source=_get_source(session, source_id))


@router.post("/sources/{source_id}", response_class=HTMLResponse, dependencies=[Admin, Csrf])
def edit_source(
    request: Request,
    source_id: RowId,
    session: DbSession,
    name: Annotated[str, Form(max_length=300)],
    language: Annotated[str, Form(max_length=20)] = "",
    enabled: Annotated[bool, Form()] = False,
    excerpt_only: Annotated[bool, Form()] = False,
) -> Response:
    row = _get_source(session, source_id)
    try:
        patch = SourcePatch(
            name=name, language=form_text(language), enabled=enabled, excerpt_only=excerpt_only
        )
    except ValidationError as exc:
        return page(request, "source.html", status=400, source=row, errors=_errors(exc))
    patch_source(row, patch)
    session.commit()
    return redirect(request, "/sources", f"Saved source {row.id}: {row.name}.")


@router.post("/sources/{source_id}/enable", dependencies=[Admin, Csrf])
def enable_source(request: Request, source_id: RowId, session: DbSession) -> Response:
    return _set_enabled(request, session, source_id, enabled=True)


@router.post("/sources/{source_id}/disable", dependencies=[Admin, Csrf])
def disable_source(request: Request, source_id: RowId, session: DbSession) -> Response:
    return _set_enabled(request, session, source_id, enabled=False)


def _set_enabled(request: Request, session: Session, source_id: int, *, enabled: bool) -> Response:
    row = _get_source(session, source_id)
    row.enabled = enabled
    session.commit()
    return redirect(
        request, "/sources", f"Source {row.id} ({row.name}) {'enabled' if enabled else 'disabled'}."
    )


# --- held translations and failures -------------------------------------------------------


@router.get("/held", response_class=HTMLResponse, dependencies=[Admin])
def held(request: Request, session: DbSession, settings: AppSettings, rejected: bool = False) -> Response:
    """Held translations (with `?rejected=true` also those the editor rejected), worst finding first,
    under the articles each target language has published, held and rejected."""
    entries = held_translations(session, include_rejected=rejected)
    ranked = {(e.item_id, e.language): sorted(e.findings, key=_finding_order) for e in entries}
    counts = language_counts(session, settings.target_languages)
    return page(request, "held.html", entries=entries, ranked=ranked, rejected=rejected, counts=counts)


def _finding_order(finding: dict[str, object]) -> tuple[int, int]:
    segment = finding.get("segment")
    return SEVERITY_ORDER.get(str(finding.get("severity")), 9), segment if isinstance(segment, int) else 0


@router.post("/held/{item_id}/{decision}", dependencies=[Admin, Csrf])
def decide(
    request: Request,
    item_id: int,
    decision: Literal["release", "reject"],
    session: DbSession,
    lang: Annotated[str, Form(max_length=20)],
) -> Response:
    decided = decide_held(session, item_id, lang, release=decision == "release")
    if decided is None:
        session.rollback()
        return redirect(request, "/held", f"Item {item_id} ({lang}) is not held any more.")
    session.commit()
    done = "released: it is on the site now" if decision == "release" else "rejected"
    return redirect(request, "/held", f"Item {item_id} ({lang}) {done}.")


@router.get("/failures", response_class=HTMLResponse, dependencies=[Admin])
def failures(request: Request, session: DbSession) -> Response:
    items = queries.failed_items(session, limit=100)
    sources = {s.id: s.name for s in queries.list_sources(session)}
    return page(request, "failures.html", items=items, sources=sources)


@router.get("/admin.css")
def stylesheet() -> Response:
    return Response(
        ADMIN_CSS.read_bytes(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )


def register(app: FastAPI, settings: Settings) -> None:
    """Mount the admin: routes, the login redirect, signed sessions, the login throttle."""
    app.state.login_throttle = auth.LoginThrottle(settings.web.login_attempts, settings.web.login_window)
    app.add_exception_handler(NotLoggedInError, to_login)
    auth.install_sessions(app, settings)
    app.include_router(router)
