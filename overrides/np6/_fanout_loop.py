"""The fan-out's algorithm, written once, on an event loop: :class:`np6.AsyncFanOut`.

What it does is told in :mod:`np6._fanout`, which also holds the sync client's thread bridge
(:class:`np6.FanOut`). Apart from it, so that the async client, which builds fan-outs,
and the bridge, which builds an async client, import each other in no loop.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
from aiolimiter import AsyncLimiter

from ._async.closing import AsyncIterating
from ._errors import Error, InvalidArgumentError
from ._limits import MAX_CONCURRENCY

if TYPE_CHECKING:
    from ._async.client import AsyncClient

__all__ = ["AsyncFanOut", "Failed", "Opener", "Tagged"]

TargetT = TypeVar("TargetT")
EventT = TypeVar("EventT")

_PER_WORKER = 32  # events buffered per worker between the workers and the caller
_GRACE_S = 1.0  # how long stopped workers have to reach their next event before they are cancelled

Opener = Callable[[Any, Any], Any]
"""``opener(events, target)``: the stream of one target, from ``client`` or ``client.raw``."""


@attrs.frozen
class Tagged(Generic[TargetT, EventT]):
    """One event, with the contact (or campaign id) it was asked for."""

    target: TargetT
    event: EventT


@attrs.frozen
class Failed(Generic[TargetT]):
    """A contact (or campaign id) whose events could not all be read, and why.

    Events of this target yielded before the failure stay yielded: the stream was
    cut, and ``error`` (a :class:`np6.StreamTruncatedError`, for one) says so.
    """

    target: TargetT
    error: Error


@attrs.frozen
class _Crash:
    error: BaseException


_DONE = object()


def _check(concurrency: int, rate_limit: float | None, fail_fast: bool) -> None:
    if not isinstance(fail_fast, bool):
        raise InvalidArgumentError(f"fail_fast must be True or False, got {fail_fast!r}")
    if (
        isinstance(concurrency, bool)
        or not isinstance(concurrency, int)
        or not 1 <= concurrency <= MAX_CONCURRENCY
    ):
        raise InvalidArgumentError(
            f"concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, got {concurrency!r}"
        )
    if rate_limit is not None and (
        isinstance(rate_limit, bool)
        or not isinstance(rate_limit, (int, float))
        or not math.isfinite(rate_limit)
        or rate_limit <= 0
    ):
        raise InvalidArgumentError(
            f"rate_limit must be a positive number of requests a second, got {rate_limit!r}"
        )


class _Progress:
    """What a fan-out has done so far (the counters its workers keep)."""

    _counts: _Counts

    @property
    def count(self) -> int:
        """Events yielded so far."""
        return self._counts.events

    @property
    def failed(self) -> int:
        """Targets reported as failed so far."""
        return self._counts.failed

    @property
    def finished(self) -> int:
        """Targets whose requests have ended, with or without failure."""
        return self._counts.targets


class AsyncFanOut(_Progress, AsyncIterating[Tagged[TargetT, EventT] | Failed[TargetT]]):
    """An async iterator of :class:`Tagged` events and :class:`Failed` targets.

    Nothing is sent until it is first iterated; iterate it once. Leaving an ``async
    with`` block or calling :meth:`aclose` stops the workers and closes their
    connections. ``count`` is the number of events yielded, ``failed`` the number
    of targets reported as failed.
    """

    def __init__(
        self,
        client: AsyncClient,
        raw: bool,
        opener: Opener,
        targets: Iterable[TargetT],
        *,
        concurrency: int,
        fail_fast: bool,
        rate_limit: float | None,
        _finished: _Counts | None = None,
    ) -> None:
        _check(concurrency, rate_limit, fail_fast)
        self._counts = _Counts()
        events = client.raw if raw else client
        self._iterator: AsyncIterator[Tagged[TargetT, EventT] | Failed[TargetT]] = _fan_out(
            events, opener, iter(targets), concurrency, fail_fast, rate_limit, self._counts, _finished
        )


class _Counts:
    __slots__ = ("events", "failed", "targets")
    events: int
    failed: int
    targets: int

    def __init__(self) -> None:
        self.events = 0
        self.failed = 0
        self.targets = 0


async def _fan_out(
    events: Any,
    opener: Opener,
    source: Iterator[Any],
    concurrency: int,
    fail_fast: bool,
    rate_limit: float | None,
    counts: _Counts,
    finished: _Counts | None,
) -> AsyncIterator[Any]:
    finished = finished or counts
    handoff: asyncio.Queue[Any] = asyncio.Queue(maxsize=concurrency * _PER_WORKER)
    # a bucket of one drained at the rate: requests evenly spaced, no burst
    limiter = AsyncLimiter(1, 1 / rate_limit) if rate_limit is not None else None
    stopping = False

    async def work() -> None:
        try:
            # the iterator is shared: each worker takes the next target when it is free
            for target in source:
                if stopping:
                    return
                if limiter is not None:
                    await limiter.acquire()
                try:
                    async with opener(events, target) as stream:
                        async for event in stream:
                            if stopping:
                                return
                            await handoff.put(Tagged(target, event))
                            # no frame keeps what the server sent while the next event is read:
                            # a traceback's captured locals would show it
                            del event
                except InvalidArgumentError:
                    raise
                except Error as error:
                    finished.targets += 1
                    await handoff.put(Failed(target, error))
                    if fail_fast:
                        return
                else:
                    finished.targets += 1
                if stopping:
                    return
        except asyncio.CancelledError:
            raise
        except BaseException as crash:  # handed to the caller, who re-raises it
            await handoff.put(_Crash(crash))
        finally:
            # put_nowait would lose the marker on a full queue; a cancelled worker needs none
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                await handoff.put(_DONE)

    workers = [asyncio.create_task(work(), name=f"np6-fan-out-{n}") for n in range(concurrency)]
    running = concurrency
    try:
        while running:
            item = await handoff.get()
            if item is _DONE:
                running -= 1
            elif isinstance(item, _Crash):
                raise item.error
            elif isinstance(item, Failed):
                counts.failed += 1
                if fail_fast:
                    item.error.add_note(f"while reading the events of {item.target!r}")
                    raise item.error
                yield item
            else:
                counts.events += 1
                yield item
            del item
    finally:
        # Stop the workers at their next event rather than cancel them mid-read: a
        # stream closed between two events ends cleanly, while a cancellation inside
        # ijson's read leaves httpx's generators for the loop's shutdown to tear down.
        stopping = True
        try:
            async with asyncio.timeout(_GRACE_S):
                while running:
                    if await handoff.get() is _DONE:
                        running -= 1
        except TimeoutError:
            pass
        for worker in workers:
            worker.cancel()
        await _wait_out(workers)


async def _wait_out(tasks: list[asyncio.Task[None]]) -> None:
    """Wait until every task has ended, even if this one is cancelled meanwhile.

    A worker left running past the fan-out would hold its connection open, and its
    generators would be torn down by the loop's shutdown instead of by their own
    ``finally``; the cancellation is re-raised once they are all done.
    """
    pending: set[asyncio.Task[None]] = set(tasks)
    interrupted = False
    while pending:
        try:
            _, pending = await asyncio.wait(pending)
        except asyncio.CancelledError:
            interrupted = True
    if interrupted:
        raise asyncio.CancelledError
