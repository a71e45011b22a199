"""`[web]` settings: sessions, the metrics allow-list, API docs.

Kept apart from config.py so the web's knobs live beside the code that reads them; config.py
only nests this model under `web`. Environment: `BABELWIRE_WEB__SESSION_MAX_AGE=3600`,
`BABELWIRE_WEB__METRICS_ALLOW='["127.0.0.1", "10.0.0.0/8"]'`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import time
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, field_validator

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class WebSettings(BaseModel):
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs admin session cookies; default: generated once into data_dir/secret_key (0600).",
    )
    session_max_age: int = Field(
        default=8 * 3600, ge=60, description="Seconds an admin login lasts without activity."
    )
    metrics_allow: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Client addresses or networks (CIDR) that may read /metrics; default: loopback only.",
    )
    api_docs: bool = Field(default=True, description="Serve /api/v1/openapi.json and the /api/v1/docs page.")
    login_attempts: int = Field(
        default=5, ge=1, description="Failed admin logins allowed per client address within login_window."
    )
    login_window: int = Field(default=300, ge=1, description="Seconds over which failed logins are counted.")
    cache_mb: int = Field(
        default=64,
        ge=0,
        description="Memory per web process for rendered pages, feeds and API answers (MB), emptied by "
        "every change readers can see; 0: render every request.",
    )
    hsts_max_age: int = Field(
        default=31_536_000,
        ge=0,
        description="Strict-Transport-Security max-age when base_url is https (a year); 0: no HSTS.",
    )
    top_stories_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 365,
        description="Top stories rank the stories with an article in this many hours before the newest one.",
    )

    @field_validator("metrics_allow")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # raises ValueError, reported by pydantic
        return value

    def metrics_networks(self) -> list[IPNetwork]:
        return [ipaddress.ip_network(entry, strict=False) for entry in self.metrics_allow]


def client_allowed(host: str | None, networks: list[IPNetwork]) -> bool:
    """Whether a client address is inside one of the networks; names and garbage never are."""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def resolve_secret_key(web: WebSettings, data_dir: Path) -> str:
    """The configured key, else the one in data_dir/secret_key, created on first use (owner-only).

    A generated key survives restarts, so admins stay logged in; deleting the file logs everyone out.
    """
    if web.secret_key is not None and web.secret_key.get_secret_value():
        return web.secret_key.get_secret_value()
    path = data_dir / SECRET_KEY_FILE
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not each write their own key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _wait_for_key(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _wait_for_key(path: Path) -> str:
    """Another process created the file a moment ago: give it a moment to write the key."""
    for _ in range(100):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{path} exists but is empty: delete it to generate a new key")
