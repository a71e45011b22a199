"""`babelwire worker`: refuses without the distributed mode or a broker; runs against a real Redis and stops
on SIGTERM (a subprocess, as systemd runs it)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.config import DistributedSettings, Settings
from babelwire.pipeline.distributed.app import make_app
from tests.redis_server import free_port

needs_tasks = pytest.mark.skipif(
    importlib.util.find_spec("babelwire.pipeline.distributed.tasks") is None,
    reason="babelwire.pipeline.distributed.tasks is not written yet",
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns otherwise
    return CliRunner()


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_refuses_in_the_embedded_mode(cli: CliRunner, command: str) -> None:
    result = cli.invoke(app, [command])
    assert result.exit_code == 1
    assert "only in the distributed mode (mode is 'embedded')" in result.output
    assert "BABELWIRE_MODE=distributed" in result.output


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_refuses_when_redis_is_unreachable(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    monkeypatch.setenv("BABELWIRE_MODE", "distributed")
    monkeypatch.setenv("BABELWIRE_DISTRIBUTED__BROKER_URL", url)
    started = time.monotonic()
    result = cli.invoke(app, [command])
    assert result.exit_code == 1
    assert f"cannot reach Redis at {url}: start redis-server or set distributed.broker_url" in result.output
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 5


def test_refuses_unknown_queues(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, broker_url: str) -> None:
    monkeypatch.setenv("BABELWIRE_MODE", "distributed")
    monkeypatch.setenv("BABELWIRE_DISTRIBUTED__BROKER_URL", broker_url)
    result = cli.invoke(app, ["worker", "--queues", "fetch,gpu"])
    assert result.exit_code == 1
    expected = "unknown queue gpu; choose from poll,fetch,extract,translate,stories,review,publish"
    assert expected in result.output


def test_help_documents_sigterm_and_the_queues(cli: CliRunner) -> None:
    result = cli.invoke(app, ["worker", "--help"])
    assert result.exit_code == 0
    assert "SIGTERM" in result.output
    assert "warm shutdown" in result.output
    assert "poll,fetch,extract,translate,stories,review,publish" in result.output


def _wait_for_ping(settings: Settings, workers: dict[str, subprocess.Popen[str]], timeout: float) -> None:
    """Until every worker (by node name) answers a broadcast ping; fails early if one exits."""
    control = make_app(settings)
    waiting = set(workers)
    deadline = time.monotonic() + timeout
    try:
        while waiting and time.monotonic() < deadline:
            for node in waiting:
                worker = workers[node]
                if worker.poll() is not None:
                    pytest.fail(f"worker {node} exited with {worker.returncode}:\n{worker.communicate()[0]}")
            for reply in control.control.ping(destination=sorted(waiting), timeout=0.5):
                waiting -= set(reply)
        assert not waiting, f"workers {sorted(waiting)} did not answer ping within {timeout} s"
    finally:
        control.close()


@needs_tasks
def test_workers_answer_ping_and_stop_on_sigterm(broker_url: str, tmp_path: Path) -> None:
    """A prefork worker (CPU queues) and a threads worker (network queues), side by side as in production."""
    env = {
        **os.environ,
        "BABELWIRE_MODE": "distributed",
        "BABELWIRE_DISTRIBUTED__BROKER_URL": broker_url,
        "BABELWIRE_DATA_DIR": str(tmp_path / "data"),
    }
    workers: dict[str, subprocess.Popen[str]] = {}
    for pool, queues in (("prefork", "extract,review"), ("threads", "poll,fetch")):
        node = f"test-{pool}-{uuid.uuid4().hex[:8]}@localhost"
        command = [sys.executable, "-m", "babelwire", "worker", "--queues", queues, "--pool", pool]
        command += ["--concurrency", "2", "--hostname", node, "--loglevel", "warning"]
        workers[node] = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    try:
        settings = Settings(mode="distributed", distributed=DistributedSettings(broker_url=broker_url))
        _wait_for_ping(settings, workers, timeout=30)
        for worker in workers.values():
            worker.send_signal(signal.SIGTERM)
        outputs = {node: worker.communicate(timeout=20)[0] for node, worker in workers.items()}
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    for node, worker in workers.items():
        assert worker.returncode == 0, outputs[node]
        assert "Warm shutdown" in outputs[node]
