"""The Celery app: crash-safe configuration, one queue per stage, routing by task name (real Redis)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import redis
from celery import Celery, signals

from babelwire.config import DistributedSettings, Settings
from babelwire.pipeline.distributed import broker, context
from babelwire.pipeline.distributed.app import make_app
from tests.redis_server import free_port

TASK_QUEUES = {
    "babelwire.poll_source": "poll",
    "babelwire.fetch_item": "fetch",
    "babelwire.extract_item": "extract",
    "babelwire.translate_items": "translate",
    "babelwire.stories_place": "stories",
    "babelwire.review_item": "review",
    "babelwire.publish_item": "publish",
}


def app_for(broker_url: str = "redis://127.0.0.1:6379/0", **distributed: object) -> Celery:
    settings = Settings(
        mode="distributed", distributed=DistributedSettings(broker_url=broker_url, **distributed)
    )
    return make_app(settings)


@pytest.mark.parametrize(("task", "queue"), sorted(TASK_QUEUES.items()))
def test_each_task_routes_to_its_stage_queue(task: str, queue: str) -> None:
    route = app_for().amqp.router.route({}, task)
    assert route["queue"].name == queue
    assert route["queue"].routing_key == queue
    assert broker.queue_for_task(task) == queue


def test_names_outside_the_contract_have_no_queue_of_their_own() -> None:
    for name in ("celery.ping", "babelwire.unknown_thing", "babelwire.", "fetch_item", "babelwire.fetchitem"):
        assert broker.queue_for_task(name) is None


def test_one_queue_per_kind_of_work() -> None:
    app = app_for()
    assert [queue.name for queue in app.conf.task_queues] == list(broker.QUEUES)
    assert set(TASK_QUEUES.values()) == set(broker.QUEUES)


def test_configuration_makes_delivery_crash_safe() -> None:
    app = app_for("redis://127.0.0.1:6399/2", visibility_timeout=123)
    conf = app.conf
    assert conf.broker_url == "redis://127.0.0.1:6399/2"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 123
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_ignore_result is True
    assert not conf.result_backend
    assert conf.broker_connection_retry_on_startup is True
    assert "babelwire.pipeline.distributed.tasks" in conf.include


def test_worker_queue_lists_are_checked() -> None:
    assert broker.parse_queues("translate") == ["translate"]
    assert broker.parse_queues(" fetch, poll ,fetch") == ["fetch", "poll"]
    with pytest.raises(ValueError, match=r"unknown queue gpu; choose from poll,fetch"):
        broker.parse_queues("translate,gpu")
    with pytest.raises(ValueError, match="unknown queue"):
        broker.parse_queues(" , ")


def _message(raw: bytes) -> tuple[str, list[object]]:
    """(task name, positional args) of a Celery message as kombu stores it in a Redis list."""
    envelope = json.loads(raw)
    body = envelope["body"]
    if envelope["properties"].get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args, _kwargs, _embed = json.loads(body)
    return envelope["headers"]["task"], args


def test_a_task_sent_by_name_waits_in_its_queue(broker_url: str) -> None:
    app = app_for(broker_url)
    app.send_task("babelwire.fetch_item", args=[42])
    app.send_task("babelwire.translate_items", args=[[1, 2, 3]])
    app.send_task("babelwire.translate_items", args=[[4]])
    connection = redis.Redis.from_url(broker_url)
    try:
        depths = broker.queue_depths(connection)
        assert depths == {
            "poll": 0,
            "fetch": 1,
            "extract": 0,
            "translate": 2,
            "stories": 0,
            "review": 0,
            "publish": 0,
        }
        assert _message(connection.lindex("fetch", 0)) == ("babelwire.fetch_item", [42])
        # kombu pushes on the left and pops on the right: the oldest message is the last element.
        assert _message(connection.lindex("translate", -1)) == ("babelwire.translate_items", [[1, 2, 3]])
        assert broker.unacked_count(connection) == 0
    finally:
        connection.close()
        app.close()


def test_ping_passes_on_a_live_broker_and_names_the_fix_otherwise(broker_url: str) -> None:
    closed = free_port()
    broker.ping(broker_url, timeout=1)
    with pytest.raises(broker.BrokerUnreachableError) as caught:
        broker.ping(f"redis://:s3cret@127.0.0.1:{closed}/0", timeout=1)
    message = caught.value.message
    assert message.startswith(f"cannot reach Redis at redis://:***@127.0.0.1:{closed}/0: start redis-server")
    assert "distributed.broker_url" in message
    assert "s3cret" not in message
    assert "\n" not in message


def test_mode_and_broker_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_MODE", "distributed")
    monkeypatch.setenv("BABELWIRE_DISTRIBUTED__BROKER_URL", "redis://10.0.0.5:6379/1")
    monkeypatch.setenv("BABELWIRE_DISTRIBUTED__TRANSLATE_BATCH", "16")
    settings = Settings()
    assert settings.mode == "distributed"
    assert settings.distributed.broker_url == "redis://10.0.0.5:6379/1"
    assert settings.distributed.translate_batch == 16
    assert (settings.distributed.visibility_timeout, settings.distributed.stale_after) == (300, 600)
    assert make_app(settings).conf.broker_url == "redis://10.0.0.5:6379/1"


def test_an_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_MODE", "cluster")
    with pytest.raises(ValueError, match="'embedded' or 'distributed'"):
        Settings()


def test_worker_context_opens_once_per_process_and_renews_after_fork(tmp_path: Path) -> None:
    settings = Settings(mode="distributed", data_dir=tmp_path)
    make_app(settings)  # what a worker does first: the context uses the app's settings
    try:
        opened = context.worker_context()
        assert opened.settings is settings
        assert context.worker_context() is opened
        assert opened.store is opened.store  # one store (one pool) per process
        assert opened.store.url == settings.resolved_database_url
        parent_store = opened.store
        signals.worker_process_init.send(sender=None)  # as in a freshly forked prefork child
        assert context.worker_context() is opened
        assert opened.store is not parent_store
    finally:
        context.reset()
