"""A call's deadline inside every socket operation, not only between body chunks.

httpx's timeouts bound each network operation: a server that sends its headers, or
an error body, one byte at a time resets the read timeout with each byte and so takes
as long as it likes. np6 puts a network backend around httpcore's (in the pools of
the httpx client it uses): while a call with a deadline waits on the network (the
stream marks those moments with :func:`bounded`), every connect, TLS handshake, read
and write is given at most the time left, and none starts once it has passed. The
backend does nothing for requests made outside those moments, so it is harmless in a
caller's ``http_client`` shared with other code. The backend is ``np6._async.backend``
(and its generated sync twin); ``np6._backends.install`` puts it into a client's pools.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Bound", "bounded", "limited"]


class Bound:
    """The deadline of one call (a ``time.monotonic()`` instant); ``expired`` once it cut an operation."""

    __slots__ = ("ends_at", "expired")

    def __init__(self, ends_at: float) -> None:
        self.ends_at = ends_at
        self.expired = False

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """``timeout`` shortened to the time left; ``error`` once none is left."""
        left = self.ends_at - time.monotonic()
        if left <= 0:
            self.expired = True
            raise error("the call's deadline passed")
        if timeout is not None and timeout <= left:
            return timeout
        return left


# one value per thread and per task: concurrent calls (a fan-out) each see their own
_CURRENT: contextvars.ContextVar[Bound | None] = contextvars.ContextVar("np6_deadline", default=None)


@contextmanager
def bounded(bound: Bound | None) -> Iterator[None]:
    """Network operations in this block end by ``bound`` (no bound: unchanged).

    Entered and left within one step of a stream, never across a ``yield``: the
    caller's code between two events runs without it.
    """
    if bound is None:
        yield
        return
    token = _CURRENT.set(bound)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _left(timeout: float | None, error: type[Exception]) -> tuple[Bound | None, float | None]:
    bound = _CURRENT.get()
    if bound is None:
        return None, timeout
    return bound, bound.left(timeout, error)


@contextmanager
def limited(timeout: float | None, error: type[Exception]) -> Iterator[float | None]:
    """The timeout to give one network operation: ``timeout``, shortened to the call's time left.

    After a timeout, notes that the deadline caused it (the time left was shorter than ``timeout``).
    """
    bound, left = _left(timeout, error)
    try:
        yield left
    except error:
        if bound is not None and left is not None and (timeout is None or left < timeout):
            bound.expired = True
        raise
