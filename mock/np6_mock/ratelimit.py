"""Rate limiting for the mock: ``np6 mock --rate-limit N``, N requests per second per key.

NP6 documents 429 with ``Retry-After`` and says ``X-RateLimit-Limit``, ``-Remaining``
and ``-Reset`` may be sent, without their arithmetic. The mock's choice:

- **Fixed one-second windows aligned on whole epoch seconds** (the window of a request
  at ``time.time() == 1700000000.25`` is ``[1700000000, 1700000001)``). Each key may
  make ``N`` requests in a window; the request after that is answered 429 until the
  window ends. A refused request does not count, so a client that keeps trying is
  not locked out for longer.
- Every answer to a request with a valid key, refused or not, carries
  ``X-RateLimit-Limit: N``, ``X-RateLimit-Remaining`` (requests left in this window
  after this one; 0 on a 429) and ``X-RateLimit-Reset``: the **epoch second at which
  the window ends**, an integer. Windows end on whole seconds, so this is exact: a
  client that sees ``Remaining: 0`` and waits until ``Reset`` wastes no time.
- A 429 carries ``Retry-After`` as an **HTTP date** naming that same second. HTTP
  allows ``Retry-After`` as whole delay-seconds or a date; whole seconds would round
  every wait inside a one-second window up to 1 s, and a client obeying them would
  drift a little later into each window. The date is exact at one-second resolution.

Both headers name a moment of the server's clock; on one machine that is the
client's clock too. Requests are counted when they arrive, after the key is checked
(401s are not counted and carry no rate headers) and before the request is
validated (a 400 or 404 counts). Injected faults (:mod:`np6_mock.faults`) are
answered before the limiter sees the request.
"""

from __future__ import annotations

import email.utils
import math
import threading
import time
from collections.abc import Callable

import attrs

__all__ = ["Admission", "RateLimiter"]


@attrs.frozen
class Admission:
    """The limiter's verdict on one request, and the headers its answer carries."""

    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """``limit`` requests per key in each whole epoch second (see the module doc).

    One lock and one ``(window, used)`` pair per key: the mock checks the key before
    this is called, so the number of keys is bounded by the keys it accepts.
    """

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.time) -> None:
        if limit < 1:
            raise ValueError(f"the rate limit must be at least 1 request per second, got {limit}")
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def admit(self, key: str) -> Admission:
        """Count a request by ``key`` if the window has room; say so, with the headers."""
        now = self._clock()
        window = math.floor(now)
        with self._lock:
            start, used = self._windows.get(key, (window, 0))
            if start != window:
                used = 0
            allowed = used < self.limit
            if allowed:
                used += 1
            self._windows[key] = (window, used)
        reset = window + 1
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.limit - used),
            "X-RateLimit-Reset": str(reset),
        }
        if not allowed:
            headers["Retry-After"] = email.utils.formatdate(reset, usegmt=True)
        return Admission(allowed, headers)
