"""Feed parsing in worker processes, so a big polling round parses on every core.

feedparser is pure Python: in one process, parsing 10,000 feeds shares one core (and the
GIL) with all of the round's HTTP. The pool runs `parse_feed` itself in worker processes
(sources/parse_worker.py), so results are exactly the inline ones; only the transport differs.

The workers are plain subprocesses on pipes driven by the event loop, not a
ProcessPoolExecutor: that one's feeder and manager threads fight the event loop for the GIL
on every task (measured: more time lost than parsing saved), and its spawn start re-imports
the caller's main module. A worker that dies (the OOM killer) takes its pending feeds with it:
those, and every later one once no worker is left, are parsed inline, as without a pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from babelwire.domain import FeedPoll
from babelwire.sources.errors import SourceError
from babelwire.sources.feeds import parse_feed
from babelwire.sources.parse_worker import LENGTH, decode_poll

log = logging.getLogger("babelwire.sources.parse_pool")

# An async feed parser: (body, url, content type) -> FeedPoll, raising SourceError as parse_feed does.
FeedParser = Callable[[bytes, str, str], Awaitable[FeedPoll]]
MAX_AUTO_PROCESSES = 4  # more rarely helps: the round's HTTP runs on one core anyway
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # where `babelwire` imports from


def auto_processes(setting: int | None) -> int:
    """How many worker processes `polling.parse_processes` means: None is one per core but one
    (the event loop keeps that one busy), at most MAX_AUTO_PROCESSES; 0 parses inline."""
    if setting is not None:
        return max(0, setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(0, min(MAX_AUTO_PROCESSES, cores - 1))


class _Worker:
    """One parsing process; replies come in request order, so pending futures form a FIFO."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: deque[asyncio.Future[dict[str, Any]]] = deque()
        self.alive = True
        self.reader = asyncio.create_task(self._read_replies())

    async def request(self, body: bytes, url: str, content_type: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        meta = json.dumps({"url": url, "type": content_type, "size": len(body)}).encode()
        if not self.alive:
            raise ConnectionError("feed parsing process gone")
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending.append(future)
        try:
            self.process.stdin.write(LENGTH.pack(len(meta)) + meta + body)
            await self.process.stdin.drain()
        except ConnectionError as exc:
            self._fail(exc)
            if future.done() and not future.cancelled():
                future.exception()  # retrieved: the error is raised here instead
            raise
        return await future

    async def _read_replies(self) -> None:
        assert self.process.stdout is not None
        stdout = self.process.stdout
        try:
            while True:
                size = LENGTH.unpack(await stdout.readexactly(LENGTH.size))[0]
                reply = json.loads(await stdout.readexactly(size))
                future = self.pending.popleft()
                if not future.done():  # a poll that timed out no longer waits for it
                    future.set_result(reply)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.alive = False
        while self.pending:
            future = self.pending.popleft()
            if not future.done():
                future.set_exception(ConnectionError(f"feed parsing process gone: {exc!r}"))

    async def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


class ParsePool:
    """`async with ParsePool(n) as pool: await pool.parse_feed(...)`: parse_feed on n processes."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._workers: list[_Worker] = []

    async def __aenter__(self) -> ParsePool:
        path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        for _ in range(self.processes):
            try:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "babelwire.sources.parse_worker",
                    stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
                )  # fmt: skip
            except OSError as exc:  # no memory or processes left: parse with fewer workers, or inline
                log.warning("cannot start a feed parsing process (%s); %d started", exc, len(self._workers))
                break
            self._workers.append(_Worker(process))
        return self

    async def __aexit__(self, *_: object) -> None:
        workers, self._workers = self._workers, []
        await asyncio.gather(*(worker.close() for worker in workers))

    async def parse_feed(self, body: bytes, url: str, content_type: str = "") -> FeedPoll:
        """Parse on the least busy worker; raises what parse_feed raises.

        A crash in the worker (a parser bug, not a SourceError) is parsed again here, so the
        source records the very exception an inline parse gives.
        """
        alive = [worker for worker in self._workers if worker.alive]
        if not alive:
            return parse_feed(body, url, content_type)
        worker = min(alive, key=lambda w: len(w.pending))
        try:
            reply = await worker.request(body, url, content_type)
        except ConnectionError as exc:
            log.warning("a feed parsing process died (%s); parsing inline", exc)
            worker.alive = False
            return parse_feed(body, url, content_type)
        if "poll" in reply:
            return decode_poll(reply["poll"])
        if "source_error" in reply:
            raise SourceError(*reply["source_error"])
        return parse_feed(body, url, content_type)
