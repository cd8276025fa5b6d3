"""Pagination-free streaming: events decoded from the body while it arrives.

NP6 answers one JSON array per request, with no pagination. ijson's C backend walks
the bytes as httpx receives them and hands over one event object at a time, so
memory stays flat whatever the size of the answer. The same attempt logic (retries,
resuming a cut ``sort=asc`` stream, typed errors) drives the sync and async
iterators; only the I/O differs.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import attrs
import httpx
import ijson

from ._http import RETRYABLE_STATUSES, RetryPolicy, logger, redact, status_error
from .decoding import decode_event
from .errors import (
    APIStatusError,
    ConnectionError,
    DecodeError,
    Error,
    StreamTruncatedError,
    TimeoutError,
)

if ijson.backend != "yajl2_c":  # pragma: no cover - depends on the installed wheel
    raise ImportError(
        f"np6 needs ijson's yajl2_c backend (10-20x faster than {ijson.backend!r}); "
        "reinstall ijson from a wheel for this platform"
    )

__all__ = ["AsyncEventStream", "EventStream", "StreamRequest"]

T = TypeVar("T")
_EXCERPT = 2048


@attrs.frozen
class StreamRequest:
    """One API call to stream: what the generated ``_get_kwargs`` built, plus context."""

    kwargs: dict[str, Any]
    default_type: str | None
    resumable: bool
    api_key: str = attrs.field(repr=False)
    policy: RetryPolicy
    timeout: httpx.Timeout | None = None


class _BodyCutError(Exception):
    """The body stopped early; ``cause`` says how."""

    def __init__(self, cause: BaseException | str) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Attempts:
    """What one streamed call has done so far, across its attempts."""

    def __init__(self, request: StreamRequest, raw: bool) -> None:
        self.request = request
        self.raw = raw
        self.attempt = 0
        self.yielded = 0
        self.offset = 0
        # resume bookkeeping (sort=asc): the latest timestamp yielded, how many times
        # each event was yielded at it, and what a resumed request must skip again
        self.last_timestamp: int | None = None
        self.seen_at_last: Counter[Any] = Counter()
        self.to_skip: Counter[Any] = Counter()
        self.resume_blocker: str | None = None
        self.started = 0.0

    # --- request side ---------------------------------------------------------------

    def next_kwargs(self) -> dict[str, Any]:
        self.attempt += 1
        self.offset = 0
        self.started = time.monotonic()
        kwargs = dict(self.request.kwargs)
        headers = dict(kwargs.get("headers") or {})
        headers["X-Key"] = self.request.api_key
        kwargs["headers"] = headers
        if self.request.timeout is not None:
            kwargs["timeout"] = self.request.timeout
        if self.last_timestamp is not None:
            kwargs["params"] = {**kwargs.get("params", {}), "start": self.last_timestamp}
            self.to_skip = self.seen_at_last.copy()
        return kwargs

    def log(self, method: str, url: httpx.URL, outcome: str) -> None:
        if logger.isEnabledFor(10):
            elapsed = (time.monotonic() - self.started) * 1000
            logger.debug(
                "%s %s -> %s (attempt %d, %.0f ms)",
                method.upper(),
                redact(str(url), self.request.api_key),
                outcome,
                self.attempt,
                elapsed,
            )

    def retries_left(self) -> bool:
        return self.attempt <= self.request.policy.max_retries

    def wait_for(self, retry_after: float | None = None) -> float:
        return self.request.policy.delay(self.attempt, retry_after)

    # --- response side --------------------------------------------------------------

    def error_for_status(self, response: httpx.Response, body: bytes) -> APIStatusError:
        return status_error(response, body, self.request.api_key, self.attempt)

    def retryable_status(self, status: int) -> bool:
        return status in RETRYABLE_STATUSES and self.retries_left()

    def check_first_bytes(self, head: bytes, response: httpx.Response) -> None:
        stripped = head.lstrip()
        if stripped[:1] == b"[":
            return
        if not stripped:
            what = "an empty body"
        elif stripped[:1] == b"{":
            what = "a JSON object"
        else:
            text = " ".join(redact(stripped[:120].decode("utf-8", "replace"), self.request.api_key).split())
            what = f"a body starting {text!r}"
        raise DecodeError(
            f"expected a JSON array of events from {response.request.method} "
            f"{redact(str(response.request.url), self.request.api_key)} "
            f"(status {response.status_code}, {response.headers.get('content-type', 'no content type')}), "
            f"got {what}",
            offset=0,
            events_yielded=self.yielded,
        )

    def accept(self, item: Any) -> Any:
        """The decoded event for ``item``, or ``None`` when a resume already gave it."""
        if type(item) is not dict:
            raise DecodeError(
                f"event #{self.yielded + 1} is a JSON {type(item).__name__}, not an object",
                offset=self.offset,
                events_yielded=self.yielded,
            )
        if self.request.resumable and self.resume_blocker is None and self._replayed(item):
            return None
        self.yielded += 1
        if self.raw:
            return item
        return decode_event(item, default_type=self.request.default_type)

    def _replayed(self, item: dict[str, Any]) -> bool:
        """Whether a resumed request is sending ``item`` again; records it otherwise.

        Only the instant the request resumed from is replayed, and each event there is
        skipped as many times as it was yielded, so events NP6 sends twice, or without
        an ``id``, are neither lost nor doubled.
        """
        timestamp = item.get("timestamp")
        if type(timestamp) is not int:
            self.resume_blocker = f"event #{self.yielded + 1} has no integer timestamp"
            return False
        if self.last_timestamp is not None and timestamp < self.last_timestamp:
            self.resume_blocker = f"event #{self.yielded + 1} is older than the one before it (not sorted)"
            return False
        identity = item.get("id")
        key = identity if type(identity) is str else json.dumps(item, sort_keys=True, default=repr)
        if timestamp == self.last_timestamp:
            if self.to_skip[key]:
                self.to_skip[key] -= 1
                return True
        else:
            self.last_timestamp = timestamp
            self.seen_at_last = Counter()
            self.to_skip = Counter()
        self.seen_at_last[key] += 1
        return False

    def on_cut(self, cause: BaseException | str) -> None:
        """Decide what a body that stopped early means: resume, retry, or raise."""
        reason = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else cause
        reason = redact(reason, self.request.api_key)
        ended = f"the body ended before the closing ']' after {self.yielded} events"
        if self.yielded and (not self.request.resumable or self.last_timestamp is None):
            why = (
                f"{ended} ({reason}); the result is incomplete. "
                "Ask for sort='asc' to let np6 resume cut streams"
            )
        elif self.yielded and self.resume_blocker is not None:
            why = (
                f"{ended} ({reason}); the result is incomplete, and resuming could not be exact: "
                f"{self.resume_blocker}"
            )
        elif not self.retries_left():
            why = f"{ended} and {self.attempt} attempts ({reason}); the result is incomplete"
        else:
            return
        raise StreamTruncatedError(why, offset=self.offset, events_yielded=self.yielded)

    def malformed(self, exc: ijson.JSONError) -> DecodeError:
        detail = " ".join(redact(str(exc), self.request.api_key).split())
        return DecodeError(
            f"malformed JSON in the events body near byte {self.offset} after "
            f"{self.yielded} events: {detail[:200]}",
            offset=self.offset,
            events_yielded=self.yielded,
        )

    def transport_error(self, exc: httpx.TransportError) -> Error:
        what = redact(f"{type(exc).__name__}: {exc}", self.request.api_key)
        message = f"{what} (after {self.attempt} attempt{'s' if self.attempt > 1 else ''})"
        if isinstance(exc, httpx.TimeoutException):
            return TimeoutError(message)
        return ConnectionError(message)


def _is_truncation(exc: ijson.JSONError, exhausted: bool) -> bool:
    return exhausted and "premature EOF" in str(exc)


class _Counted:
    """Chunks on their way to ijson, counted (for error offsets) and checked at the start."""

    def __init__(self, attempts: _Attempts) -> None:
        self.attempts = attempts
        self.exhausted = False

    def count(self, chunk: bytes) -> bytes:
        self.attempts.offset += len(chunk)
        return chunk


class EventStream(Generic[T]):
    """An iterator of events from one API call, decoded while the body arrives.

    Iterate it once. Leaving a ``with`` block, calling :meth:`close`, breaking out of
    a ``for`` loop or dropping the last reference closes the connection. ``count``
    is the number of events yielded so far.
    """

    def __init__(self, http: httpx.Client, request: StreamRequest, raw: bool) -> None:
        self._http = http
        self._attempts = _Attempts(request, raw)
        # a module-level generator, so that it holds no reference back to the stream:
        # dropping the stream (a `break` out of a for loop) then closes the connection
        self._iterator: Generator[T, None, None] = _run(http, self._attempts)

    @property
    def count(self) -> int:
        """Events yielded so far."""
        return self._attempts.yielded

    def __iter__(self) -> Iterator[T]:
        # the generator itself, so that a for loop pays no extra call per event
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop early and release the connection."""
        self._iterator.close()

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        kwargs = self._attempts.request.kwargs
        return f"<EventStream {kwargs['method'].upper()} {kwargs['url']} yielded={self.count}>"


def _run(http: httpx.Client, state: _Attempts) -> Generator[Any, None, None]:
    while True:
        kwargs = state.next_kwargs()
        try:
            with http.stream(**kwargs) as response:
                if response.status_code != 200:
                    body = _read_excerpt(response.iter_bytes())
                    state.log(kwargs["method"], response.request.url, str(response.status_code))
                    error = state.error_for_status(response, body)
                    if state.retryable_status(response.status_code):
                        time.sleep(state.wait_for(getattr(error, "retry_after", None)))
                        continue
                    raise error
                state.log(kwargs["method"], response.request.url, "200 (streaming)")
                yield from _events(response, state)
                return
        except _BodyCutError as cut:
            state.on_cut(cut.cause)
            time.sleep(state.wait_for())
        except httpx.TransportError as exc:
            if state.yielded or not state.retries_left():
                if state.yielded:
                    state.on_cut(exc)
                    time.sleep(state.wait_for())
                    continue
                raise state.transport_error(exc) from None
            time.sleep(state.wait_for())


def _events(response: httpx.Response, state: _Attempts) -> Iterator[Any]:
    counted = _Counted(state)
    chunks = response.iter_bytes()
    head = b""
    for chunk in chunks:
        head += chunk
        if head.strip():
            break
    state.check_first_bytes(head, response)

    def body() -> Iterator[bytes]:
        yield counted.count(head)
        try:
            for chunk in chunks:
                yield counted.count(chunk)
        except httpx.TransportError as exc:
            raise _BodyCutError(exc) from None
        counted.exhausted = True

    try:
        for item in ijson.items(ijson.from_iter(body()), "item", use_float=True):
            event = state.accept(item)
            if event is not None:
                yield event
    except ijson.JSONError as exc:
        if _is_truncation(exc, counted.exhausted):
            raise _BodyCutError("premature end of body") from None
        raise state.malformed(exc) from None


class AsyncEventStream(Generic[T]):
    """The async twin of :class:`EventStream`: ``async for`` it, ``aclose()`` it."""

    def __init__(self, http: httpx.AsyncClient, request: StreamRequest, raw: bool) -> None:
        self._http = http
        self._attempts = _Attempts(request, raw)
        self._iterator: AsyncGenerator[T, None] = _arun(http, self._attempts)

    @property
    def count(self) -> int:
        """Events yielded so far."""
        return self._attempts.yielded

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        """Stop early and release the connection."""
        await self._iterator.aclose()

    async def __aenter__(self) -> AsyncEventStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        kwargs = self._attempts.request.kwargs
        return f"<AsyncEventStream {kwargs['method'].upper()} {kwargs['url']} yielded={self.count}>"


async def _arun(http: httpx.AsyncClient, state: _Attempts) -> AsyncGenerator[Any, None]:
    while True:
        kwargs = state.next_kwargs()
        try:
            async with http.stream(**kwargs) as response:
                if response.status_code != 200:
                    body = await _aread_excerpt(response.aiter_bytes())
                    state.log(kwargs["method"], response.request.url, str(response.status_code))
                    error = state.error_for_status(response, body)
                    if state.retryable_status(response.status_code):
                        await asyncio.sleep(state.wait_for(getattr(error, "retry_after", None)))
                        continue
                    raise error
                state.log(kwargs["method"], response.request.url, "200 (streaming)")
                async for event in _aevents(response, state):
                    yield event
                return
        except _BodyCutError as cut:
            state.on_cut(cut.cause)
            await asyncio.sleep(state.wait_for())
        except httpx.TransportError as exc:
            if state.yielded or not state.retries_left():
                if state.yielded:
                    state.on_cut(exc)
                    await asyncio.sleep(state.wait_for())
                    continue
                raise state.transport_error(exc) from None
            await asyncio.sleep(state.wait_for())


async def _aevents(response: httpx.Response, state: _Attempts) -> AsyncIterator[Any]:
    counted = _Counted(state)
    chunks = response.aiter_bytes()
    head = b""
    async for chunk in chunks:
        head += chunk
        if head.strip():
            break
    state.check_first_bytes(head, response)

    async def body() -> AsyncIterator[bytes]:
        yield counted.count(head)
        try:
            async for chunk in chunks:
                yield counted.count(chunk)
        except httpx.TransportError as exc:
            raise _BodyCutError(exc) from None
        counted.exhausted = True

    try:
        async for item in ijson.items(ijson.from_iter(body()), "item", use_float=True):
            event = state.accept(item)
            if event is not None:
                yield event
    except ijson.JSONError as exc:
        if _is_truncation(exc, counted.exhausted):
            raise _BodyCutError("premature end of body") from None
        raise state.malformed(exc) from None


def _read_excerpt(chunks: Iterable[bytes]) -> bytes:
    body = b""
    for chunk in chunks:
        body += chunk
        if len(body) >= _EXCERPT:
            break
    return body[:_EXCERPT]


async def _aread_excerpt(chunks: AsyncIterator[bytes]) -> bytes:
    body = b""
    async for chunk in chunks:
        body += chunk
        if len(body) >= _EXCERPT:
            break
    return body[:_EXCERPT]
