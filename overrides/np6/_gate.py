"""The rate gate: one per client, consulted before every attempt of every request.

NP6 answers 429 with ``Retry-After`` when a key sends too much, and may send
``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` on any answer. When one request
learns that the key is out of room, every other request of the same client would
learn it too, one 429 each: the gate turns the first such answer into a pause that
all of them wait out.

- A 429 with ``Retry-After`` (delay-seconds or an HTTP date) pauses the client
  until then.
- ``X-RateLimit-Remaining: 0`` on any answer pauses it until ``X-RateLimit-Reset``.
  NP6 does not say what ``Reset`` counts; the usual forms are read: an epoch time in
  seconds (a value above 10^9, as GitHub and the np6 mock send), or the seconds left
  (the IETF draft's form). A ``Reset`` missing or unreadable is no pause: the
  ``Retry-After`` of the 429 that follows says how long.

The gate holds no I/O: it says how long to wait (:meth:`RateGate.delay`) and
learns from each answer's headers (:meth:`RateGate.observe`). The async and sync
streams each sleep in their own way, so one gate serves both, and the threads of a
sync fan-out, under a lock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

from ._errors import InvalidArgumentError
from ._retries import parse_retry_after

__all__ = ["EPOCH_THRESHOLD", "RateGate"]

EPOCH_THRESHOLD = 1_000_000_000
"""An ``X-RateLimit-Reset`` above this is an epoch time (2001-09-09 onwards), else seconds left."""


class RateGate:
    """A shared "pause until" for every request of one client.

    ``max_pause`` bounds one pause, so that a header naming a far future (a daily
    quota's reset, a clock gone wrong) cannot hang a run: past it, requests go out
    again, and a further 429 counts as a failed attempt.
    """

    def __init__(
        self,
        *,
        max_pause: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if (
            isinstance(max_pause, bool)
            or not isinstance(max_pause, (int, float))
            or not 0 <= max_pause < math.inf
        ):
            raise InvalidArgumentError(
                f"max_pause must be a finite number of seconds of at least 0, got {max_pause!r}"
            )
        self.max_pause = max_pause
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._until = -math.inf
        self.pauses: int = 0
        """How many answers have paused the client (for logs and benchmarks)."""

    def __deepcopy__(self, memo: dict[int, object]) -> RateGate:
        # a gate is what clients share: a deep copy of options (or of a client) keeps the same one
        return self

    def __repr__(self) -> str:
        return f"RateGate(paused_for={self.delay():.3f}s, pauses={self.pauses})"

    def delay(self) -> float:
        """Seconds until requests may go out again (0 when not paused)."""
        return max(self._until - self._clock(), 0.0)

    def observe(self, status_code: int, headers: Mapping[str, str]) -> None:
        """Learn from one answer's status and headers."""
        pause = None
        if status_code == 429:
            pause = parse_retry_after(headers.get("retry-after"), now=self._wall_clock())
        if _is_zero(headers.get("x-ratelimit-remaining")):
            reset = self._reset(headers.get("x-ratelimit-reset"))
            if reset is not None:
                pause = reset if pause is None else max(pause, reset)
        if pause is None or pause <= 0:
            return
        until = self._clock() + min(pause, self.max_pause)
        with self._lock:
            if until > self._until:
                self._until = until
                self.pauses += 1

    def _reset(self, value: str | None) -> float | None:
        if value is None:
            return None
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if not math.isfinite(number) or number < 0:
            return None
        if number > EPOCH_THRESHOLD:
            return max(number - self._wall_clock(), 0.0)
        return number


def _is_zero(value: str | None) -> bool:
    if value is None:
        return False
    try:
        return int(value.strip()) <= 0
    except ValueError:
        return False
