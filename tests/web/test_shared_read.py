"""SharedRead: callers share a read only when it started after they arrived; errors and cancels."""

from __future__ import annotations

import asyncio

import pytest

from babelwire.web.shared_read import SharedRead


class SlowCounter:
    """A read that takes `delay` seconds and returns how many commits had been made when it began."""

    def __init__(self, delay: float = 0.02) -> None:
        self.delay, self.commits, self.fail = delay, 0, False

    async def __call__(self) -> int:
        seen = self.commits
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("database gone")
        return seen


def test_callers_arriving_together_share_one_read() -> None:
    async def scenario() -> tuple[list[int], int]:
        shared = SharedRead(SlowCounter())
        values = await asyncio.gather(*(shared() for _ in range(50)))
        return list(values), shared.rounds

    values, rounds = asyncio.run(scenario())
    assert values == [0] * 50
    assert rounds == 1


def test_a_caller_never_shares_a_read_that_began_before_it_arrived() -> None:
    async def scenario() -> tuple[int, int, int]:
        source = SlowCounter()
        shared = SharedRead(source)
        first = asyncio.ensure_future(shared())
        await asyncio.sleep(source.delay / 2)  # the first read is under way
        source.commits = 1  # a commit the first read cannot see
        second = await shared()
        return await first, second, shared.rounds

    first, second, rounds = asyncio.run(scenario())
    assert (first, second) == (0, 1)  # the late caller waited for a read that sees the commit
    assert rounds == 2


def test_an_error_reaches_every_caller_of_its_round_and_the_next_round_reads_again() -> None:
    async def scenario() -> tuple[list[object], int]:
        source = SlowCounter()
        shared = SharedRead(source)
        source.fail = True
        failed = await asyncio.gather(*(shared() for _ in range(3)), return_exceptions=True)
        source.fail = False
        return [*failed, await shared()], shared.rounds

    results, rounds = asyncio.run(scenario())
    assert [str(error) for error in results[:3]] == ["database gone"] * 3
    assert results[3] == 0
    assert rounds == 2


def test_a_caller_that_gives_up_does_not_cancel_the_read_for_the_others() -> None:
    async def scenario() -> int:
        shared = SharedRead(SlowCounter())
        leaving = asyncio.ensure_future(shared())
        staying = asyncio.ensure_future(shared())
        await asyncio.sleep(0)
        leaving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leaving
        return await staying

    assert asyncio.run(scenario()) == 0


def test_each_event_loop_starts_afresh() -> None:
    shared = SharedRead(SlowCounter())
    assert asyncio.run(shared()) == 0
    assert asyncio.run(shared()) == 0  # a round of the closed loop is not awaited on the new one
    assert shared.rounds == 2
