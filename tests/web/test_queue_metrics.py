"""/metrics in the distributed mode: queue depths read from a real Redis at scrape time."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from babelwire.config import DistributedSettings, Settings
from babelwire.pipeline.distributed.app import make_app
from babelwire.store.db import Store
from babelwire.web.app import create_app
from tests.redis_server import free_port
from tests.web.test_metrics import LOCAL, samples


def scrape(tmp_path: Path, **overrides: object) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    settings = Settings(data_dir=tmp_path, target_languages=["en"], **overrides)
    store = Store.from_settings(settings)
    try:
        response = TestClient(create_app(settings, store), client=LOCAL).get("/metrics")
    finally:
        store.close()
    assert response.status_code == 200
    return samples(response.text)


def test_queue_depths_count_waiting_tasks(tmp_path: Path, broker_url: str) -> None:
    distributed = DistributedSettings(broker_url=broker_url)
    sender = make_app(Settings(mode="distributed", distributed=distributed))
    for item_id in (1, 2, 3):
        sender.send_task("babelwire.fetch_item", args=[item_id])
    sender.send_task("babelwire.translate_items", args=[[4, 5]])
    sender.close()
    got = scrape(tmp_path, mode="distributed", distributed=distributed)
    assert got[("babelwire_broker_up", ())] == 1
    depths = {labels[0][1]: value for (name, labels), value in got.items() if name == "babelwire_queue_depth"}
    assert depths == {
        "poll": 0,
        "fetch": 3,
        "extract": 0,
        "translate": 1,
        "stories": 0,
        "review": 0,
        "publish": 0,
    }
    assert got[("babelwire_queue_unacked", ())] == 0


def test_unreachable_broker_reports_down_without_queue_gauges(tmp_path: Path) -> None:
    distributed = DistributedSettings(broker_url=f"redis://127.0.0.1:{free_port()}/0")
    got = scrape(tmp_path, mode="distributed", distributed=distributed)
    assert got[("babelwire_broker_up", ())] == 0
    assert not [name for name, _ in got if name.startswith("babelwire_queue_")]
    assert ("babelwire_sources", (("state", "enabled"),)) in got  # the store's gauges are still there


def test_embedded_mode_has_no_broker_gauges(tmp_path: Path) -> None:
    got = scrape(tmp_path)
    assert not [name for name, _ in got if name.startswith(("babelwire_broker_", "babelwire_queue_"))]
