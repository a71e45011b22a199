"""One read shared by every request that arrives while another is being made: single flight, never stale.

On PostgreSQL the page cache's generation read is a network round trip in a worker thread: at 500
requests a second, 500 thread hops and round trips a second, more CPU than replaying the pages.
A request may share a read only if that read *started after the request arrived* (so it sees
every commit the request could have seen alone); a read already under way when it arrives is not
enough, so it joins the next one, which starts as soon as the current one ends. At most one read
runs and one waits, whatever the rate. Libraries that coalesce calls (aiocache's lock, the
single-flight recipes) share the running call, which could miss a commit made just before the
request; hence this small class.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class SharedRead:
    """`await shared()` is `await read()`, made once for every caller waiting for the same round."""

    def __init__(self, read: Callable[[], Awaitable[int]]) -> None:
        self.read = read
        self.rounds = 0  # reads made: how many callers shared one shows in the tests and benchmarks
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[int] | None = None  # the round that starts when the running one ends
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self) -> int:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests open several): nothing of the old one holds
            self._loop, self._next, self._runner = loop, None, None
        if self._next is None:
            self._next = loop.create_future()
            if self._runner is None or self._runner.done():
                self._runner = loop.create_task(self._run())
        # shield: one caller that gives up (its client left) must not cancel the round for the others
        return await asyncio.shield(self._next)

    async def _run(self) -> None:
        while self._next is not None:
            round_, self._next = self._next, None  # callers from now on wait for the round after this
            self.rounds += 1
            try:
                round_.set_result(await self.read())
            except Exception as error:  # every caller of the round gets the read's error
                round_.set_exception(error)
                round_.exception()  # marked retrieved: a round whose callers all left logs nothing
