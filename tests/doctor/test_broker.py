"""Redis, the broker of the distributed mode."""

from __future__ import annotations

from pathlib import Path

from babelwire.config import DistributedSettings
from babelwire.doctor import run_doctor
from babelwire.doctor.broker import check_redis, redacted
from tests.doctor.helpers import closed_port, doctor_settings


def test_a_closed_port_fails_with_the_fix() -> None:
    result = check_redis(f"redis://127.0.0.1:{closed_port()}/0", timeout=1.0)
    assert not result.ok and result.fix is not None and "redis-server" in result.fix


def test_a_running_redis_answers(redis_url: str) -> None:
    result = check_redis(redis_url)
    assert result.ok and "PING" in result.detail


def test_the_password_is_not_printed() -> None:
    assert "s3cret" not in redacted("redis://user:s3cret@127.0.0.1:6379/0")
    assert redacted("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_redis_is_checked_only_in_the_distributed_mode(tmp_path: Path) -> None:
    broker = DistributedSettings(broker_url=f"redis://127.0.0.1:{closed_port()}/0")
    embedded = doctor_settings(tmp_path, distributed=broker)
    distributed = doctor_settings(tmp_path, mode="distributed", distributed=broker)
    assert "redis broker" not in [result.name for result in run_doctor(embedded)]
    assert "redis broker" in [result.name for result in run_doctor(distributed) if not result.ok]
