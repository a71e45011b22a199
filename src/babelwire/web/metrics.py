"""Prometheus `/metrics`: the store's state, counted at scrape time, and HTTP traffic by route.

Each app has its own CollectorRegistry (never the process-global one), so tests and several
apps in one process do not collide. Store gauges are read from the database when Prometheus
scrapes, so they are never stale and cost nothing between scrapes; in the distributed mode the
queue depths are read from Redis the same way. Loopback-only by default: the numbers say what
the wire is doing and which sources fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis import RedisError
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire.config import Settings
from babelwire.pipeline.distributed import broker
from babelwire.store.counts import STATES, language_counts
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, MemoryRow, SourceRow, TranslationRow
from babelwire.web.cache import PageCache
from babelwire.web.websettings import IPNetwork, client_allowed

UNMATCHED = "<unmatched>"  # no route: one label, not one per scanned path
router = APIRouter(include_in_schema=False)


class StoreCollector(Collector):
    """Gauges of what is in the store, read at scrape time, in a read-only session.

    `describe` names the families without a query: the registry asks at registration, i.e. at
    every worker's start, and answering with `collect` ran the count queries then (23 s at 100,000
    articles, holding SQLite's lock while the other worker migrated: "database is locked").
    """

    def __init__(self, store: Store, languages: list[str]) -> None:
        self.store = store
        self.languages = languages  # the site's target languages: each gets its counts, zeros included

    @staticmethod
    def _families() -> dict[str, GaugeMetricFamily]:
        """Every family this collector yields, empty, in the order it yields them."""
        families = [
            GaugeMetricFamily("babelwire_items", "Items by status.", labels=["status"]),
            GaugeMetricFamily(
                "babelwire_translations",
                "Translations by review status and target language.",
                labels=["review_status", "language"],
            ),
            GaugeMetricFamily("babelwire_sources", "Sources by state.", labels=["state"]),
            GaugeMetricFamily("babelwire_sources_with_errors", "Sources whose last poll failed."),
            GaugeMetricFamily("babelwire_translation_memory_entries", "Sentences in the translation memory."),
            GaugeMetricFamily(
                "babelwire_translation_memory_hits",
                "Times a sentence came from the memory instead of an engine.",
            ),
            GaugeMetricFamily(
                "babelwire_published_articles", "Articles readers can see, per language.", labels=["language"]
            ),
            GaugeMetricFamily(
                "babelwire_articles",
                "Settled articles per target language: published, held for a person, rejected.",
                labels=["language", "state"],
            ),
        ]
        return {family.name: family for family in families}

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield from self._families().values()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families = self._families()
        with self.store.read_session() as session:
            items = families["babelwire_items"]
            for status, count in session.execute(
                select(ItemRow.status, func.count()).group_by(ItemRow.status)
            ):
                items.add_metric([status], count)

            translations = families["babelwire_translations"]
            query = select(TranslationRow.review_status, TranslationRow.target_lang, func.count()).group_by(
                TranslationRow.review_status, TranslationRow.target_lang
            )
            for status, language, count in session.execute(query):
                translations.add_metric([status, language], count)

            sources = families["babelwire_sources"]
            enabled = session.scalar(select(func.count()).where(SourceRow.enabled.is_(True))) or 0
            total = session.scalar(select(func.count()).select_from(SourceRow)) or 0
            sources.add_metric(["enabled"], enabled)
            sources.add_metric(["disabled"], total - enabled)
            failing = session.scalar(select(func.count()).where(SourceRow.last_error.is_not(None))) or 0
            families["babelwire_sources_with_errors"].add_metric([], failing)

            entries, hits = session.execute(
                select(func.count(), func.coalesce(func.sum(MemoryRow.hits), 0))
            ).one()
            families["babelwire_translation_memory_entries"].add_metric([], entries)
            families["babelwire_translation_memory_hits"].add_metric([], hits)

            published = families["babelwire_published_articles"]
            articles = families["babelwire_articles"]
            for language, tally in language_counts(session, self.languages).items():
                published.add_metric([language], tally.published)
                for state in STATES:
                    articles.add_metric([language, state], getattr(tally, state))
        yield from families.values()


class BrokerCollector(Collector):
    """Distributed mode: tasks waiting in each Redis queue, read at scrape time.

    A broker that does not answer within BROKER_TIMEOUT gives `babelwire_broker_up 0` and no
    queue gauges (an absent series, not a false zero), and never slows the scrape down for long.
    """

    BROKER_TIMEOUT = 1.0

    def __init__(self, broker_url: str) -> None:
        self.redis = broker.client(broker_url, self.BROKER_TIMEOUT)

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("babelwire_broker_up", "1 if the Redis broker answered this scrape, else 0."),
            GaugeMetricFamily(
                "babelwire_queue_depth",
                "Tasks waiting in each queue of the distributed mode.",
                labels=["queue"],
            ),
            GaugeMetricFamily(
                "babelwire_queue_unacked",
                "Tasks taken by workers and not yet acknowledged (running, or held by a dead worker "
                "until the visibility timeout).",
            ),
        )

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Registration asks for the names; without this it would collect, i.e. call Redis at start.
        yield from self._families()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up, depth, unacked = self._families()
        try:
            depths = broker.queue_depths(self.redis)
            in_flight = broker.unacked_count(self.redis)
        except (RedisError, OSError):
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for queue, count in depths.items():
            depth.add_metric([queue], count)
        unacked.add_metric([], in_flight)
        yield from (up, depth, unacked)


class PageCacheCollector(Collector):
    """This process's rendered-page cache (web/cache.py): how often it answered, and what it holds."""

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache

    def collect(self) -> Iterator[Metric]:
        answers = CounterMetricFamily(
            "babelwire_page_cache_requests",
            "Cacheable requests by outcome (this process).",
            labels=["result"],
        )
        answers.add_metric(["hit"], self.cache.hits)
        answers.add_metric(["miss"], self.cache.misses)
        yield answers
        yield GaugeMetricFamily("babelwire_page_cache_bytes", "Bytes of kept answers.", value=self.cache.size)
        yield GaugeMetricFamily("babelwire_page_cache_entries", "Kept answers.", value=len(self.cache))


class AppMetrics:
    """One app's registry: the store collector, the broker's queues (distributed mode), HTTP metrics."""

    def __init__(
        self,
        store: Store,
        languages: list[str],
        broker_url: str | None = None,
        cache: PageCache | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(StoreCollector(store, languages))
        if cache is not None:
            self.registry.register(PageCacheCollector(cache))
        if broker_url is not None:
            self.registry.register(BrokerCollector(broker_url))
        self.requests = Counter(
            "babelwire_http_requests",
            "HTTP requests by route template.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "babelwire_http_request_duration_seconds",
            "Time to answer, by route template.",
            ["method", "route"],
            registry=self.registry,
        )


class MetricsMiddleware:
    """Counts and times every HTTP request, labelled with the route template (`/{lang}/articles/{id}`)."""

    def __init__(self, app: ASGIApp, metrics: AppMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            label = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = str(scope.get("method", "GET"))
            self.metrics.requests.labels(method, label, str(status)).inc()
            self.metrics.latency.labels(method, label).observe(time.perf_counter() - started)


def allowed_networks(request: Request) -> list[IPNetwork]:
    settings: Settings = request.app.state.settings
    return settings.web.metrics_networks()


def require_allowed_client(
    request: Request, networks: Annotated[list[IPNetwork], Depends(allowed_networks)]
) -> None:
    """403 unless the client address is in `web.metrics_allow` (loopback by default)."""
    if not client_allowed(request.client.host if request.client else None, networks):
        raise HTTPException(status_code=403, detail="metrics are only served to allowed addresses")


@router.get("/metrics", dependencies=[Depends(require_allowed_client)])
def metrics(request: Request) -> Response:
    app_metrics: AppMetrics = request.app.state.metrics
    return Response(generate_latest(app_metrics.registry), media_type=CONTENT_TYPE_LATEST)


def register(app: FastAPI, store: Store) -> None:
    """The /metrics route and the request-counting middleware (outermost, so it times everything)."""
    settings: Settings = app.state.settings
    distributed = settings.mode == "distributed"
    broker_url = settings.distributed.broker_url if distributed else None
    cache = getattr(app.state, "page_cache", None)
    app.state.metrics = AppMetrics(store, settings.target_languages, broker_url, cache)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.include_router(router)
