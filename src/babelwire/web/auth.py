"""Who may change things: the admin password, API tokens, login sessions, CSRF, login throttling.

Secrets are stored only as argon2 hashes in `credentials`. A token reads `bw.NAME.SECRET`: the
name picks the one row to verify, so a request costs one argon2 check however many tokens exist.
Admin sessions are signed cookies (Starlette's SessionMiddleware, path /admin only); they carry a
fingerprint of the password hash, so setting a new password logs every session out.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import FastAPI, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from babelwire.config import Settings
from babelwire.store.models import CredentialRow
from babelwire.web.websettings import resolve_secret_key

log = logging.getLogger(__name__)

ADMIN = "admin"
# Credential kinds and the token prefix: names, not secrets.
ADMIN_PASSWORD = "admin_password"  # noqa: S105
API_TOKEN = "api_token"  # noqa: S105
TOKEN_PREFIX = "bw"  # noqa: S105
TOKEN_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MIN_PASSWORD = 8
SESSION_COOKIE = "babelwire_admin"
CSRF_FIELD = "csrf_token"

# People choose passwords: OWASP's argon2id minimum (19 MiB, 2 passes), about 0.1 s on a small server.
PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Tokens are 256 random bits: guessing is hopeless however fast the hash, so checking stays cheap
# (a write request pays one verification, and so does anyone sending made-up tokens).
TOKEN_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


class CredentialError(ValueError):
    """A password or token name the store will not take; the message says why."""


def hash_secret(secret: str, hasher: PasswordHasher = PASSWORD_HASHER) -> str:
    return hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    """Any argon2 hash verifies with any hasher: the parameters are stored in the hash."""
    try:
        return PASSWORD_HASHER.verify(secret_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- the admin password -------------------------------------------------------------------


def set_admin_password(session: Session, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise CredentialError(f"the password must have at least {MIN_PASSWORD} characters")
    row = session.get(CredentialRow, ADMIN)
    if row is None:
        session.add(CredentialRow(name=ADMIN, kind=ADMIN_PASSWORD, secret_hash=hash_secret(password)))
    else:
        row.kind, row.secret_hash, row.created_at = ADMIN_PASSWORD, hash_secret(password), datetime.now(UTC)
    session.flush()


def admin_password_row(session: Session) -> CredentialRow | None:
    row = session.get(CredentialRow, ADMIN)
    return row if row is not None and row.kind == ADMIN_PASSWORD else None


def check_admin_password(session: Session, password: str) -> str | None:
    """The session fingerprint when the password is right, else None (also when none is set)."""
    row = admin_password_row(session)
    if row is None or not verify_secret(row.secret_hash, password):
        return None
    row.last_used_at = datetime.now(UTC)
    if PASSWORD_HASHER.check_needs_rehash(row.secret_hash):  # argon2 parameters were raised since
        row.secret_hash = hash_secret(password)
    return fingerprint(row.secret_hash)


def fingerprint(secret_hash: str) -> str:
    """Names the password a session was opened with, without revealing anything about it."""
    return hashlib.sha256(secret_hash.encode("utf-8")).hexdigest()[:24]


def current_fingerprint(session: Session) -> str | None:
    row = admin_password_row(session)
    return fingerprint(row.secret_hash) if row is not None else None


# --- API tokens ---------------------------------------------------------------------------


def create_token(session: Session, name: str) -> str:
    """A new token, returned once: only its hash is kept."""
    if not TOKEN_NAME.fullmatch(name) or name == ADMIN:
        raise CredentialError("a token name is 1-64 letters, digits, '-' or '_' (and not 'admin')")
    if session.get(CredentialRow, name) is not None:
        raise CredentialError(f"a token named {name!r} exists already: revoke it first")
    secret = secrets.token_urlsafe(32)  # no '.', so the token splits unambiguously
    session.add(CredentialRow(name=name, kind=API_TOKEN, secret_hash=hash_secret(secret, TOKEN_HASHER)))
    session.flush()
    return f"{TOKEN_PREFIX}.{name}.{secret}"


def revoke_token(session: Session, name: str) -> bool:
    row = session.get(CredentialRow, name)
    if row is None or row.kind != API_TOKEN:
        return False
    session.delete(row)
    session.flush()
    return True


def list_tokens(session: Session) -> list[CredentialRow]:
    query = select(CredentialRow).where(CredentialRow.kind == API_TOKEN).order_by(CredentialRow.name)
    return list(session.scalars(query))


def verify_token(session: Session, token: str) -> str | None:
    """The token's name when it is valid, else None."""
    prefix, _, rest = token.partition(".")
    name, _, secret = rest.partition(".")
    if prefix != TOKEN_PREFIX or not TOKEN_NAME.fullmatch(name) or not secret:
        return None
    row = session.get(CredentialRow, name)
    if row is None or row.kind != API_TOKEN or not verify_secret(row.secret_hash, secret):
        return None
    row.last_used_at = datetime.now(UTC)
    return name


# --- sessions, CSRF, throttling -----------------------------------------------------------


def install_sessions(app: FastAPI, settings: Settings) -> None:
    """Signed admin session cookies: HttpOnly, SameSite=Lax, Secure on https sites, /admin only."""
    try:
        key = resolve_secret_key(settings.web, settings.data_dir)
    except OSError as exc:  # a read-only data_dir must not take the public site down
        log.warning(
            "cannot keep a session key in %s (%s): admin logins end at restart; "
            "set BABELWIRE_WEB__SECRET_KEY",
            settings.data_dir,
            exc,
        )
        key = secrets.token_urlsafe(48)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.web.session_max_age,
        path="/admin",
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )


def session_data(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = request.session
    return data


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every admin form posts it back."""
    data = session_data(request)
    token = data.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        data[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = session_data(request).get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not submitted:
        raise HTTPException(status_code=403, detail="missing CSRF token: reload the form and try again")
    if not hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8")):
        raise HTTPException(status_code=403, detail="wrong CSRF token: reload the form and try again")


class LoginThrottle:
    """At most `attempts` failed logins per client address per `window` seconds.

    In memory and per process: it slows down guessing, it is not an account lock-out (which
    would let anyone lock the admin out).
    """

    def __init__(self, attempts: int, window: float, *, max_clients: int = 10_000) -> None:
        self.attempts, self.window, self.max_clients = attempts, window, max_clients
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return len(self._recent(client, now)) >= self.attempts

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._failures) >= self.max_clients and client not in self._failures:
            self._failures.clear()  # a flood of addresses: forget rather than grow without bound
        failures = self._recent(client, now)
        failures.append(now)
        self._failures[client] = failures

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)
