"""How failed requests are retried, and the decision, after each attempt, to retry, resume or raise.

The one home of ``Retry-After`` (:func:`parse_retry_after`, read by the rate gate too) and of
the retry decision (:class:`Attempts`); the messages of the errors that end a call after its
attempts (an error status, a network failure, a cut body, the deadline) are written here.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._deadline import Bound
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Error,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamTruncatedError,
)
from ._limits import DEFAULT_MAX_RETRIES
from ._masking import EXCERPT_CHARS, Redactor
from ._resume import ResumeLedger
from ._text import printable

if TYPE_CHECKING:
    from ._base import StreamRequest

__all__ = ["RETRYABLE_STATUSES", "Attempts", "RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})

EXCERPT_BYTES = 2048
"""How much of an error body is read, and kept for the message."""

logger: logging.Logger = logging.getLogger("np6")


@attrs.frozen
class RetryPolicy:
    """How failed requests are retried.

    ``max_retries`` extra attempts are made after the first, on connection errors
    before the first byte, on the statuses in ``RETRYABLE_STATUSES`` and on resumable
    cut streams. The wait doubles from ``backoff`` up to ``backoff_max`` with full
    jitter; a ``Retry-After`` from the server is honoured up to ``retry_after_max``.
    A 429 (too many requests) is waited out and tried again up to ``max_rate_limited``
    times per call without using up ``max_retries``: it says "later", not "broken".
    """

    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, validator=lambda _, a, v: _count(a.name, v))
    backoff: float = attrs.field(default=0.5, validator=lambda _, a, v: _duration(a.name, v))
    backoff_max: float = attrs.field(default=8.0, validator=lambda _, a, v: _duration(a.name, v))
    retry_after_max: float = attrs.field(default=60.0, validator=lambda _, a, v: _duration(a.name, v))
    max_rate_limited: int = attrs.field(default=10, validator=lambda _, a, v: _count(a.name, v))

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based)."""
        if retry_after is not None and math.isfinite(retry_after):
            return _sleepable(min(max(retry_after, 0.0), self.retry_after_max))
        # the exponent is capped: a float overflows long before any retry count a caller means
        ceiling = min(self.backoff * 2.0 ** min(max(retry_number - 1, 0), 64), self.backoff_max)
        return _sleepable(ceiling / 2 + random.uniform(0, ceiling / 2))


def _count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"RetryPolicy {name} must be a whole number of at least 0, got {value!r}")


def _duration(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
        raise InvalidArgumentError(
            f"RetryPolicy {name} must be a finite number of seconds of at least 0, got {value!r}"
        )


_SLEEP_MAX = 86_400.0
"""No single wait is longer than a day (``time.sleep`` overflows on huge values)."""


def _sleepable(seconds: float) -> float:
    return float(min(seconds, _SLEEP_MAX)) if math.isfinite(seconds) and seconds > 0 else 0.0


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

    Each ``after_...`` method returns the seconds to wait before the next attempt, or
    the np6 error that ends the call (raised by the stream, outside any ``except``
    clause, so that it carries no chain of httpx exceptions).
    """

    def __init__(
        self, policy: RetryPolicy, redactor: Redactor, ledger: ResumeLedger, deadline: float | None = None
    ) -> None:
        self.policy = policy
        self.redactor = redactor
        self.ledger = ledger
        self.deadline = deadline
        self.count: int = 0
        self.rate_limited: int = 0
        self.yielded: int = 0
        self.offset: int = 0
        self._started = 0.0
        self._ends_at = math.inf
        self.bound: Bound | None = None
        """The deadline as the network operations see it (``None`` without one): see :mod:`np6._deadline`."""

    def begin(self, request: StreamRequest, default_timeout: httpx.Timeout) -> dict[str, Any]:
        """Count a new attempt; the keyword arguments of its ``http.stream(...)`` call."""
        self.count += 1
        self.offset = 0
        self._started = time.monotonic()
        if self.count == 1 and self.deadline is not None:
            self._ends_at = self._started + self.deadline
            self.bound = Bound(self._ends_at)
        self.check_deadline()
        send = {**request.kwargs, "auth": request.auth, "follow_redirects": False}
        resume = self.ledger.resume_params()
        if resume:
            send["params"] = {**send.get("params", {}), **resume}
        timeout = request.timeout
        if self.deadline is not None:
            timeout = _capped(timeout or default_timeout, self._ends_at - self._started)
        if timeout is not None:
            send["timeout"] = timeout
        return send

    def check_deadline(self) -> None:
        """Raise :class:`np6.APITimeoutError` once the call's deadline has passed."""
        if self.deadline_passed():
            raise self._deadline_error()

    def deadline_passed(self) -> bool:
        """Whether the call's deadline has passed (or already cut a network operation short)."""
        return (self.bound is not None and self.bound.expired) or time.monotonic() >= self._ends_at

    def _deadline_error(self) -> Error:
        assert self.deadline is not None
        return _deadline_passed(self.redactor, self.deadline, self.yielded)

    def gate_wait(self, pause: float) -> float:
        """The part of the rate gate's ``pause`` to sleep now: never past the call's deadline."""
        self.check_deadline()
        return min(pause, max(self._ends_at - time.monotonic(), 0.0))

    def _retries_left(self) -> bool:
        # a 429 says "later", not "broken": it does not use up a retry (see after_status)
        return self.count - self.rate_limited <= self.policy.max_retries

    def _wait(self, delay: float) -> float | Error:
        """``delay``, unless sleeping it would end past the deadline."""
        if self._ends_at - time.monotonic() <= delay:
            return self._deadline_error()
        return delay

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

    def after_status(
        self, response: httpx.Response, body: bytes, unreadable: str | None = None
    ) -> float | Error:
        """An error status: wait and retry when it is transient and retries are left, else the error."""
        error = status_error(self.redactor, response, body, self.count, unreadable)
        if response.status_code == 429 and self.rate_limited < self.policy.max_rate_limited:
            self.rate_limited += 1
            return self._wait(self.policy.delay(self.count, error.retry_after))
        if response.status_code in RETRYABLE_STATUSES and self._retries_left():
            return self._wait(self.policy.delay(self.count, error.retry_after))
        return error

    def after_transport_error(self, exc: httpx.TransportError) -> float | Error:
        """A network failure: before any event, retry while retries are left; after one, a cut."""
        if self.deadline_passed():
            # a read or connect cut short by the deadline: say so, not "ReadTimeout"
            return self._deadline_error()
        if isinstance(exc, httpx.LocalProtocolError):
            # np6 built a request that cannot be sent: trying again would fail the same way
            return _transport_error(self.redactor, exc, self.count)
        if self.yielded:
            return self.after_cut(exc)
        if self._retries_left():
            return self._wait(self.policy.delay(self.count))
        return _transport_error(self.redactor, exc, self.count)

    def after_cut(self, cause: BaseException | str) -> float | Error:
        """A body that stopped early: resume (``sort=asc``), retry from scratch, or the error."""
        if self.deadline_passed():
            return self._deadline_error()
        if self.yielded and self.ledger.enabled and self.ledger.blocker is not None:
            why = f", and resuming could not be exact: {self.ledger.blocker}"
        elif self.yielded and not self.ledger.resumable:
            why = (
                ". Ask for ascending order (sort='asc'; --sort asc on the command line) "
                "to let np6 resume cut streams"
            )
        elif not self._retries_left():
            why = f" after {self.count} attempts"
        else:
            return self._wait(self.policy.delay(self.count))
        return _truncated(self.redactor, cause, why, self.offset, self.yielded)


def _capped(timeout: httpx.Timeout, left: float) -> httpx.Timeout:
    """``timeout`` with no phase longer than the ``left`` seconds of the call's deadline."""
    left = max(left, 0.001)

    def cap(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write), pool=cap(timeout.pool)
    )


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def _error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an error status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"


def status_error(
    redactor: Redactor, response: httpx.Response, body: bytes, attempts: int, unreadable: str | None = None
) -> APIStatusError:
    """The typed exception for an error answer, with a short excerpt of its body.

    ``unreadable`` says why the body could not be read (a body labelled gzip that is not).
    """
    text = body[:EXCERPT_BYTES].decode("utf-8", "replace")
    summary = None
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    if isinstance(parsed, Mapping):
        parts = [_scalar_text(parsed.get(k)) for k in ("title", "detail", "message", "error")]
        # decoded JSON (escapes like \/ and \u0053 resolved) is masked after decoding
        summary = redactor.excerpt(": ".join(part for part in parts if part)) or None
    excerpt = redactor.excerpt(text)
    request = response.request
    url = redactor.url(request.url)
    reason = printable(response.reason_phrase or "error")
    if unreadable is not None:
        said = f"the body could not be read ({redactor.excerpt(unreadable)})"
    else:
        said = summary or (f"body starts {excerpt!r}" if excerpt else "empty body")
    tries = f" after {_attempts(attempts)}" if attempts > 1 else ""
    # honoured on a 503 as on a 429 (RFC 9110 allows it on both)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return _error_class(response.status_code)(
        redactor(f"{response.status_code} {reason} from {request.method} {url}{tries}: {said}"),
        status_code=response.status_code,
        method=request.method,
        url=url,
        body_excerpt=excerpt,
        attempts=attempts,
        retry_after=retry_after,
    )


def _scalar_text(value: Any) -> str:
    """A JSON error field as text; nested values are shown as JSON, never as a Python repr."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)[:EXCERPT_BYTES]
    except (ValueError, RecursionError):
        return type(value).__name__


def _transport_error(redactor: Redactor, exc: BaseException, attempts: int) -> APIConnectionError:
    """The np6 exception for a network failure after ``attempts`` tries."""
    try:
        url = exc.request.url  # type: ignore[attr-defined]
        port = f":{url.port}" if url.port else ""
        where = f" talking to {url.scheme}://{url.host}{port}"
    except (AttributeError, RuntimeError):
        where = ""
    message = redactor.excerpt(
        f"{type(exc).__name__}: {exc}{where} (after {_attempts(attempts)})", 2 * EXCERPT_CHARS
    )
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(message)
    return APIConnectionError(message)


def _deadline_passed(redactor: Redactor, deadline: float, events_yielded: int) -> APITimeoutError:
    """The call's total ``deadline`` has passed."""
    return APITimeoutError(
        redactor(
            f"the call's deadline of {deadline:g} s passed after {events_yielded} events; "
            "the result is incomplete"
            if events_yielded
            else f"the call's deadline of {deadline:g} s passed"
        )
    )


def _truncated(
    redactor: Redactor, cause: BaseException | str, why: str, offset: int, events_yielded: int
) -> StreamTruncatedError:
    """A body that stopped before its closing ``]``; ``why`` says why it cannot be resumed."""
    reason = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else cause
    return StreamTruncatedError(
        redactor(
            f"the body ended before the closing ']' after {events_yielded} events "
            f"({redactor.excerpt(reason)}); the result is incomplete{why}"
        ),
        offset=offset,
        events_yielded=events_yielded,
    )
