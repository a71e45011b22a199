"""Settings from `babelwire.toml` and `BABELWIRE_*` environment variables.

Precedence (highest first): explicit arguments, environment variables, the TOML file,
defaults. Nested keys use `__` in the environment: `BABELWIRE_FETCH__TIMEOUT=10`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from babelwire.review.policy import ReviewPolicy
from babelwire.stories.filter_config import FilterSettings
from babelwire.translate.glossary import GlossaryEntry
from babelwire.web.websettings import WebSettings

CONFIG_ENV = "BABELWIRE_CONFIG"  # the same name as commands/common.py's
DEFAULT_CONFIG_FILE = "babelwire.toml"


class FetchSettings(BaseModel):
    """HTTP client limits. Defaults follow Miniflux: 20 s timeout, 15 MiB bodies."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 15 * 1024 * 1024
    user_agent: str = "babelwire/0.1 (+https://github.com/babelwire/babelwire; news translation bot)"
    concurrency: int = 8
    # Keep-alive: idle connections kept open for reuse across all hosts (a polling round comes back
    # to each host in turn; each needs an open file, mind `ulimit -n`), and for how long.
    keepalive_connections: int = 768
    keepalive_expiry: float = 15.0
    # SSRF guard: private, loopback, link-local, CGNAT, multicast and metadata addresses are refused
    # unless listed here (addresses or CIDR networks, e.g. "127.0.0.1", "10.20.0.0/16").
    allowed_networks: list[str] = Field(default_factory=list)
    # Decompression guard: a compressed body may not expand more than this many times (bombs).
    max_compression_ratio: float = 100.0
    respect_robots: bool = True
    robots_ttl: int = 86400
    max_robots_bytes: int = 512 * 1024
    per_host_concurrency: int = 2
    per_host_interval: float = 1.0  # seconds between request starts to one host (crawl-delay raises it)
    max_retry_after: int = 86400  # cap on a server's Retry-After, in seconds


class PollSettings(BaseModel):
    """When to poll each source: adaptive between the bounds, backing off on errors."""

    adaptive: bool = True
    min_interval: int = 300
    max_interval: int = 86400
    max_failures: int = 10  # consecutive failures before a source is disabled (0: never)
    max_backoff: int = 86400
    concurrency: int = Field(
        default=32,
        description="Sources polled at once in a round: each poll mostly waits on a distant server, "
        "so more than fetch.concurrency (per-host limits still hold for each site).",
    )
    parse_processes: int | None = Field(
        default=None,
        description="Processes that parse feeds in a large round (200+ due sources): none is one per "
        "core but one, at most 4; 0 parses in the runner's own process.",
    )


class WebSubSettings(BaseModel):
    """Push delivery from WebSub hubs; needs a callback URL the hub can reach."""

    enabled: bool = False
    callback_base_url: str | None = None  # public base URL of the web app; default: base_url
    lease_seconds: int = 7 * 86400


class DistributedSettings(BaseModel):
    """The distributed mode: Celery workers fed through a Redis broker, one queue per stage."""

    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis URL of the Celery broker (BABELWIRE_DISTRIBUTED__BROKER_URL).",
    )
    visibility_timeout: int = Field(
        default=300,
        description="Seconds before Redis hands an unacknowledged task (its worker was killed) to "
        "another worker; longer than the slowest task.",
    )
    translate_batch: int = Field(default=8, description="Articles per translate task (engine batching).")
    tick: float = Field(default=2.0, description="Seconds between scheduler ticks.")
    stale_after: int = Field(
        default=600,
        description="Seconds an in-flight item may sit untouched before the scheduler re-enqueues it.",
    )


class DatabasePoolSettings(BaseModel):
    """SQLAlchemy connection pool per process (PostgreSQL only; SQLite opens connections as needed).

    Every web and worker process holds up to size + max_overflow connections: keep the sum over all
    processes below the server's max_connections.
    """

    size: int = Field(default=5, description="Connections kept open per process.")
    max_overflow: int = Field(default=10, description="Extra connections a busy process may open.")
    recycle: int = Field(default=1800, description="Seconds before a connection is replaced (-1: never).")
    timeout: float = Field(default=30.0, description="Seconds to wait for a free connection.")
    pre_ping: bool = Field(default=True, description="Test each connection before use (survives restarts).")


class StorySettings(BaseModel):
    """The stories stage (stories/, pipeline/story_step.py): copies and story clusters."""

    language: str | None = Field(
        default=None,
        description="The common language articles are compared in (their translation into it); "
        "default: the first of target_languages.",
    )
    replay_days: int = Field(
        default=7,
        ge=1,
        description="Days of the stories log a process reads when it starts (the clustering window is 3, "
        "copies are looked for over 7; more days give steadier term weights).",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BABELWIRE_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite store and caches live.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in data_dir."
    )
    # NoDecode: the environment gives "en,ca" (or a JSON list), split by the validator below.
    target_languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["en"], description="Languages to publish in (ISO 639-1)."
    )
    engines: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description='Engines per language pair, tried in order: {"es-en": ["ctranslate2", "apertium"]}; '
        '"*" applies to every other pair.',
    )
    default_engine: str | list[str] = "apertium"
    engine_options: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Options per engine name, passed to the engine: [engine_options.deepl] api_key = ...",
    )
    glossary: list[GlossaryEntry] = Field(
        default_factory=list,
        description="[[glossary]] entries: term, translation (none: keep), source_lang, target_lang, source",
    )
    review: ReviewPolicy = Field(default_factory=ReviewPolicy, description="[review]: the verdict policy.")
    pivot_language: str | None = Field(
        default="en", description="When no engine has a direct pair, translate through this language."
    )
    workers: int = Field(
        default=2, description="Threads for CPU work (extraction, engines) in the embedded runner."
    )
    poll_interval: int = Field(default=900, description="Seconds between polls of one source.")
    site_title: str = "babelwire"
    base_url: str = "http://127.0.0.1:8000"
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    polling: PollSettings = Field(default_factory=PollSettings, description="[polling]: adaptive schedule.")
    websub: WebSubSettings = Field(default_factory=WebSubSettings, description="[websub]: push delivery.")
    web: WebSettings = Field(default_factory=WebSettings, description="[web]: sessions, metrics, API docs.")
    mode: Literal["embedded", "distributed"] = Field(
        default="embedded",
        description="embedded: one process runs the wire (`babelwire run`); distributed: Celery workers and "
        "a scheduler share the work through Redis (BABELWIRE_MODE=distributed).",
    )
    distributed: DistributedSettings = Field(
        default_factory=DistributedSettings, description="[distributed]: broker, batching, scheduler."
    )
    database_pool: DatabasePoolSettings = Field(
        default_factory=DatabasePoolSettings,
        description="[database_pool]: PostgreSQL connections per process.",
    )
    stories: StorySettings = Field(
        default_factory=StorySettings, description="[stories]: common language, replay on start."
    )
    filters: FilterSettings = Field(
        default_factory=FilterSettings,
        description="[filters]: editorial filter rules, global and per source (stories/filters.py).",
    )

    @property
    def story_language(self) -> str:
        return self.stories.language or self.target_languages[0]

    @field_validator("target_languages", mode="before")
    @classmethod
    def _split_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG_FILE))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'babelwire.db').resolve()}"

    def engines_for(self, source_lang: str, target_lang: str) -> list[str]:
        """Engine names for a pair ("es-en"), in order: the pair's entry, else "*", else the default."""
        chosen = (
            self.engines.get(f"{source_lang}-{target_lang}") or self.engines.get("*") or self.default_engine
        )
        return [chosen] if isinstance(chosen, str) else list(chosen)

    def engine_names(self) -> list[str]:
        """Every engine name the configuration chooses anywhere ([engines] and default_engine), once each."""
        chosen = [*self.engines.values(), self.default_engine]
        return list(dict.fromkeys(n for c in chosen for n in ([c] if isinstance(c, str) else c)))

    def engine_for(self, source_lang: str, target_lang: str) -> str:
        """The first engine configured for a pair."""
        return self.engines_for(source_lang, target_lang)[0]


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)
