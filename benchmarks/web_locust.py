"""The load generator of benchmarks/web_load.py: locust's FastHttpUser as a library, one series of cells.

Its own process (locust patches the standard library with gevent on import), started by web_load.py:

    .venv/bin/python benchmarks/web_locust.py plan.json results.json

A cell is one route at one fixed rate: `users` readers, each at constant_throughput(rate / users), each
starting at a random point of its interval (locust spawns up to `spawn_rate` users at once: without the
random start they would all ask together, in bursts); the stats are reset after the warm-up and read
after `duration` seconds. Readers wait for each answer (locust is closed-loop), so a
server slower than users / rate shows as an achieved rate below the one asked for, and the cell is
marked saturated: higher rates of that route are skipped (unless the plan says not to). Between cells
the server is left to finish what it still has queued (its CPU use drops).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import gevent
import psutil
from locust import FastHttpUser, constant_throughput, task
from locust.env import Environment

SATURATED_RATE = 0.8  # achieved below this share of the asked rate: saturated
SATURATED_ERRORS = 0.05  # or more than this share of errors


class Reader(FastHttpUser):
    """A reader fetching one route's sample paths at random; the plan sets paths, pace and timeouts."""

    paths: ClassVar[list[str]] = ["/healthz"]
    route = "healthz"
    interval = 1.0  # seconds between one reader's requests
    sent = 0  # requests started, by every reader: those still unanswered at the end are counted too
    wait_time = constant_throughput(1)

    def on_start(self) -> None:
        gevent.sleep(random.uniform(0, self.interval))

    @task
    def read(self) -> None:
        Reader.sent += 1
        self.client.get(random.choice(self.paths), name=self.route)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and their children (uvicorn's workers), in seconds."""
    total = 0.0
    for pid in pids:
        try:
            parent = psutil.Process(pid)
            for process in (parent, *parent.children(recursive=True)):
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def wait_idle(pids: list[int], limit: float = 20.0) -> float:
    """Seconds until the server is idle (under 5% of a core for two half-seconds in a row): a request
    that timed out here is still being answered there, and would slow the next cell."""
    started, quiet = time.monotonic(), 0
    while time.monotonic() - started < limit and quiet < 2:
        before = cpu_seconds(pids)
        gevent.sleep(0.5)
        quiet = quiet + 1 if cpu_seconds(pids) - before < 0.025 else 0
    return time.monotonic() - started


def error_kind(error: object) -> str:
    """ "HTTP 404", "timeout" or the start of the error: one name for every URL that failed alike."""
    text = str(error)
    status = re.search(r"code=(\d+)", text)
    if status:
        return f"HTTP {status.group(1)}"
    return "timeout" if "timeout" in text.lower() or "timed out" in text.lower() else text[:80]


def run_cell(env: Environment, plan: dict[str, Any], route: str, rate: int) -> dict[str, Any]:
    runner = env.runner
    assert runner is not None
    users = max(4, -(-rate // plan["per_user"]))
    Reader.paths, Reader.route = plan["paths"][route], route
    Reader.interval = users / rate
    Reader.wait_time = constant_throughput(rate / users)
    runner.start(users, spawn_rate=users)
    gevent.sleep(Reader.interval + plan["warmup"])
    env.stats.reset_all()
    me = psutil.Process()
    server_before, own_before = cpu_seconds(plan["server_pids"]), sum(me.cpu_times()[:2])
    sent_before = Reader.sent
    started = time.monotonic()
    gevent.sleep(plan["duration"])
    window = time.monotonic() - started
    total = env.stats.total
    errors: dict[str, int] = {}
    for error in env.stats.errors.values():
        errors[error_kind(error.error)] = errors.get(error_kind(error.error), 0) + error.occurrences
    result = {
        "route": route, "rate": rate, "users": users, "seconds": round(window, 2),
        "requests": total.num_requests, "errors": total.num_failures, "error_kinds": errors,
        "unanswered": max(0, Reader.sent - sent_before - total.num_requests),
        "rps": round(total.num_requests / window, 1),
        **{f"p{p}": total.get_response_time_percentile(p / 100) if total.num_requests else None
           for p in (50, 95, 99)},
        "max": round(total.max_response_time or 0),
        "server_cpu": round(100 * (cpu_seconds(plan["server_pids"]) - server_before) / window),
        "loadgen_cpu": round(100 * (sum(me.cpu_times()[:2]) - own_before) / window),
    }  # fmt: skip
    runner.stop()
    result["drain_s"] = round(wait_idle(plan["server_pids"]), 1)
    requests = max(1, result["requests"])
    result["saturated"] = (
        result["rps"] < SATURATED_RATE * rate or result["errors"] / requests > SATURATED_ERRORS
    )
    return result


def main(argv: list[str]) -> int:
    plan = json.loads(Path(argv[1]).read_text())
    out = Path(argv[2])
    Reader.network_timeout = Reader.connection_timeout = float(plan["timeout"])
    env = Environment(user_classes=[Reader], host=plan["host"])
    env.create_local_runner()
    results: list[dict[str, Any]] = []
    saturated: dict[str, int] = {}
    for route, rate in plan["cells"]:
        if plan["skip_saturated"] and route in saturated:
            result = {"route": route, "rate": rate, "skipped": f"saturated at {saturated[route]} req/s"}
        else:
            result = run_cell(env, plan, route, rate)
            if result["saturated"]:
                saturated.setdefault(route, rate)
        results.append(result)
        out.write_text(json.dumps(results, indent=1) + "\n")  # kept as it goes: a cut run keeps its cells
        print(json.dumps(result), flush=True)
    assert env.runner is not None
    env.runner.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
