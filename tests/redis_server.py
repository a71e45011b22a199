"""A throwaway Redis server for the test session: `redis-server` on 127.0.0.1 at a free port.

Uses $BABELWIRE_TEST_REDIS_URL when set (a server someone else runs); otherwise starts its
own, without persistence, in a temporary directory, and stops it at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

STARTUP_TIMEOUT = 10.0


def free_port() -> int:
    """A port nothing listens on right now (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_available() -> bool:
    return bool(os.environ.get("BABELWIRE_TEST_REDIS_URL")) or shutil.which("redis-server") is not None


def _wait_for_ping(url: str, process: subprocess.Popen[bytes]) -> None:
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"redis-server exited with {process.returncode}: {output.strip()}")
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
    finally:
        client.close()


@contextmanager
def redis_server() -> Iterator[str]:
    """Yield the URL ("redis://127.0.0.1:PORT/0") of a running server that nothing else uses."""
    external = os.environ.get("BABELWIRE_TEST_REDIS_URL")
    if external:
        yield external
        return
    binary = shutil.which("redis-server")
    assert binary, "redis-server not found: apt-get install redis-server"
    workdir = tempfile.mkdtemp(prefix="babelwire-redis-")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", workdir, "--daemonize", "no", "--loglevel", "warning"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_ping(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(workdir, ignore_errors=True)
