"""How failed requests are retried, and the decision, after each attempt, to retry, resume or raise."""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time

import attrs
import httpx

from ._resume import ResumeLedger
from .errors import Redactor

__all__ = ["RETRYABLE_STATUSES", "Attempts", "RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})

logger = logging.getLogger("np6")


@attrs.frozen
class RetryPolicy:
    """How failed requests are retried.

    ``max_retries`` extra attempts are made after the first, on connection errors
    before the first byte, on the statuses in ``RETRYABLE_STATUSES`` and on resumable
    cut streams. The wait doubles from ``backoff`` up to ``backoff_max`` with full
    jitter; a ``Retry-After`` from the server is honoured up to ``retry_after_max``.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    backoff_max: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    retry_after_max: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based)."""
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.retry_after_max))
        ceiling = min(self.backoff * 2 ** (retry_number - 1), self.backoff_max)
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        current = time.time() if now is None else now
        try:
            seconds = when.timestamp() - current
        except (OverflowError, ValueError, OSError):
            return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None


class Attempts:
    """The attempts of one streamed call: counts them and decides what follows each one.

    Each ``after_...`` method returns the seconds to wait before the next attempt,
    or raises the np6 error that ends the call.
    """

    def __init__(self, policy: RetryPolicy, redactor: Redactor, ledger: ResumeLedger) -> None:
        self.policy = policy
        self.redactor = redactor
        self.ledger = ledger
        self.count = 0
        self.yielded = 0
        self.offset = 0
        self._started = 0.0

    def begin(self) -> None:
        """Count a new attempt."""
        self.count += 1
        self.offset = 0
        self._started = time.monotonic()

    def _retries_left(self) -> bool:
        return self.count <= self.policy.max_retries

    def log(self, method: str, url: httpx.URL, outcome: str) -> None:
        """One debug line per attempt, URL redacted."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d, %.0f ms)",
                method.upper(),
                self.redactor.url(url),
                outcome,
                self.count,
                (time.monotonic() - self._started) * 1000,
            )

    def after_status(self, response: httpx.Response, body: bytes) -> float:
        """An error status: wait and retry when it is transient and retries are left, else raise."""
        error = self.redactor.status_error(response, body, self.count)
        if response.status_code in RETRYABLE_STATUSES and self._retries_left():
            return self.policy.delay(self.count, error.retry_after)
        raise error

    def after_transport_error(self, exc: httpx.TransportError) -> float:
        """A network failure: before any event, retry while retries are left; after one, a cut."""
        if self.yielded:
            return self.after_cut(exc)
        if self._retries_left():
            return self.policy.delay(self.count)
        raise self.redactor.transport_error(exc, self.count) from None

    def after_cut(self, cause: BaseException | str) -> float:
        """A body that stopped early: resume (``sort=asc``), retry from scratch, or raise."""
        if self.yielded and self.ledger.enabled and self.ledger.blocker is not None:
            why = f", and resuming could not be exact: {self.ledger.blocker}"
        elif self.yielded and not self.ledger.resumable:
            why = ". Ask for sort='asc' to let np6 resume cut streams"
        elif not self._retries_left():
            why = f" after {self.count} attempts"
        else:
            return self.policy.delay(self.count)
        raise self.redactor.truncated(cause, why, self.offset, self.yielded)
