"""Fan-out: the events of many contacts or campaigns, a few requests at a time.

:class:`AsyncFanOut` is the algorithm, written once: ``concurrency`` workers take
the next target from the caller's iterable (read lazily, one target at a time),
stream its events through the client (so through its rate gate, its retries and
its resumption of cut streams), and hand each event over as a :class:`Tagged`
``(target, event)`` through a bounded queue, so memory stays flat in the number of
targets and of events. A target whose stream fails with an :class:`np6.Error` is
handed over as a :class:`Failed` ``(target, error)`` and the others go on, or, with
``fail_fast=True``, the error is raised and the other workers are stopped.

:class:`FanOut`, for the sync :class:`np6.Client`, runs the same algorithm on an
event loop of its own in a worker thread, with an :class:`np6.AsyncClient` that
is built from the sync client's options (key, settings and rate gate), and yields through a bounded
queue. One copy of the algorithm, and the sync caller's thread only iterates.

Events of one target keep their order; events of different targets interleave.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._errors import InvalidArgumentError
from ._fanout_loop import AsyncFanOut, EventT, Failed, Opener, Tagged, TargetT, _check, _Counts, _Progress
from ._limits import MAX_CONCURRENCY  # noqa: F401 - read as np6._fanout.MAX_CONCURRENCY
from ._sync.closing import Iterating

if TYPE_CHECKING:
    from ._async.client import AsyncClient
    from ._base import BaseClient

__all__ = ["AsyncFanOut", "Failed", "FanOut", "Tagged"]

_HANDOFF = 256  # events buffered between the sync fan-out's thread and the caller
_POLL_S = 0.05  # how often the sync fan-out's thread looks whether the caller has left


class FanOut(_Progress, Iterating[Tagged[TargetT, EventT] | Failed[TargetT]]):
    """An iterator of :class:`Tagged` events and :class:`Failed` targets (sync client).

    The requests run on an event loop in a worker thread (see the module doc); the
    thread starts when the iterator is first advanced and stops when it is
    exhausted, closed, or dropped. ``count`` and ``failed`` as for
    :class:`AsyncFanOut`.
    """

    def __init__(
        self,
        client: BaseClient,
        raw: bool,
        opener: Opener,
        targets: Iterable[TargetT],
        *,
        concurrency: int,
        fail_fast: bool,
        rate_limit: float | None,
    ) -> None:
        _check(concurrency, rate_limit, fail_fast)
        if client.options.transport is not None or client.options.http_client is not None:
            raise InvalidArgumentError(
                "the sync client's fan-out opens connections of its own, so it cannot use a client made "
                "with transport= or http_client=; use np6.AsyncClient for that"
            )
        self._counts = _Counts()
        self._iterator: Iterator[Tagged[TargetT, EventT] | Failed[TargetT]] = _threaded(
            client, raw, opener, targets, concurrency, fail_fast, rate_limit, self._counts
        )


def _async_twin(client: BaseClient) -> AsyncClient:
    """An AsyncClient built from ``client``'s options: its key, server, settings and rate gate.

    The options are the whole configuration (the rate gate is one of them, so the twin
    pauses with the client), and only the connections are the twin's own: the sync
    client's transport could not serve an event loop, which is why the fan-out refuses
    a client built with one.
    """
    from ._async.client import AsyncClient

    return AsyncClient(options=client.options)


def _threaded(
    client: BaseClient,
    raw: bool,
    opener: Opener,
    targets: Iterable[Any],
    concurrency: int,
    fail_fast: bool,
    rate_limit: float | None,
    counts: _Counts,
) -> Iterator[Any]:
    handoff: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=_HANDOFF)
    left = threading.Event()  # the caller stopped iterating

    def deliver(message: tuple[bool, Any]) -> bool:
        while not left.is_set():
            try:
                handoff.put(message, timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    async def produce() -> None:
        main = asyncio.current_task()
        assert main is not None

        ending = False

        async def watch() -> None:
            # wakes a producer stuck waiting on the network once the caller has left
            while not left.is_set():
                await asyncio.sleep(_POLL_S)
            if not ending:
                main.cancel()

        watcher = asyncio.create_task(watch())
        try:
            async with _async_twin(client) as twin:
                fan_out: AsyncFanOut[Any, Any] = AsyncFanOut(
                    twin,
                    raw,
                    opener,
                    targets,
                    concurrency=concurrency,
                    fail_fast=fail_fast,
                    rate_limit=rate_limit,
                    _finished=counts,  # counted in this thread, read by the caller's
                )
                async with fan_out:
                    async for item in fan_out:
                        # blocks this loop while the caller is slow: that is the back-pressure
                        if not deliver((True, item)):
                            ending = True
                            return
                        del item
        finally:
            ending = True
            watcher.cancel()

    def run() -> None:
        try:
            asyncio.run(produce())
        except BaseException as failure:
            deliver((False, failure))
        else:
            deliver((False, None))

    thread = threading.Thread(target=run, name="np6-fan-out", daemon=True)
    thread.start()
    try:
        while True:
            is_item, value = handoff.get()
            if is_item:
                if isinstance(value, Failed):
                    counts.failed += 1
                else:
                    counts.events += 1
                yield value
                del value
            elif value is None:
                return
            else:
                raise value
    finally:
        left.set()
        thread.join()
