"""Pagination-free streaming: events decoded from the body while it arrives.

NP6 answers one JSON array per request, with no pagination. ijson's C backend walks
the bytes as httpx receives them and hands over one event object at a time, so
memory stays flat whatever the size of the answer. What follows each attempt (retry,
resume a cut ``sort=asc`` stream, raise) is decided by :class:`np6._retries.Attempts`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AsyncExitStack
from typing import Any, TypeVar

import httpx
import ijson

from .._base import StreamRequest
from .._deadline import Bound, bounded
from .._decoding import EVENT_CLASSES, decode_event
from .._errors import DecodeError, Error, InvalidArgumentError, StreamTruncatedError
from .._jsonguard import JsonGuard, LoneSurrogateError, TooDeepError
from .._masking import Redactor, detached
from .._resume import ResumeContradictionError, ResumeLedger
from .._retries import EXCERPT_BYTES, Attempts
from .._views import _new, _set_raw
from .closing import AsyncIterating

if ijson.backend != "yajl2_c":  # pragma: no cover - depends on the installed wheel
    raise ImportError(
        f"np6 needs ijson's yajl2_c backend (10-20x faster than {ijson.backend!r}); "
        "reinstall ijson from a wheel for this platform"
    )

__all__ = ["AsyncEventStream"]

_YAJL2_C = ijson.get_backend("yajl2_c")

T = TypeVar("T")
BodyErrorT = TypeVar("BodyErrorT", bound=DecodeError)


class _Stage:
    """A coroutine stage seen by the stage before it as ``target`` whose ``send`` is the stage itself.

    ijson's C coroutines hand events to a next stage that is one of theirs, or append to a
    ``list``, without a Python call; ``ijson.items_coro`` gives each stage a bound ``send``
    method instead, a call per token that made decoding 2.5 times slower.
    """

    __slots__ = ("send",)

    def __init__(self, stage: Any) -> None:
        self.send = stage


def _items_parser(items: list[Any]) -> Any:
    """A push parser appending each element of the top-level array to ``items``."""
    stage = _YAJL2_C.items_basecoro(_Stage(items), "item")
    stage = _YAJL2_C.parse_basecoro(_Stage(stage))
    return _YAJL2_C.basic_parse_basecoro(_Stage(stage), use_float=True)


class _BodyCutError(Exception):
    """The body stopped early; ``cause`` says how."""

    def __init__(self, cause: BaseException | str) -> None:
        super().__init__(str(cause))
        self.cause = cause


class AsyncEventStream(AsyncIterating[T]):
    """An iterator of events from one API call, decoded while the body arrives.

    Iterate it once. Leaving a ``with`` block, calling :meth:`aclose`, breaking out of
    a ``for`` loop or dropping the last reference closes the connection. ``count``
    is the number of events yielded so far.
    """

    def __init__(self, http: httpx.AsyncClient, request: StreamRequest) -> None:
        self._request = request
        self._attempts = Attempts(
            request.policy,
            request.redactor,
            ResumeLedger(request.resumable, request.resume_param),
            request.deadline,
        )
        # a module-level generator, so that it holds no reference back to the stream:
        # dropping the stream (a `break` out of a for loop) then closes the connection
        self._iterator: AsyncIterator[T] = _run(http, request, self._attempts)

    @property
    def count(self) -> int:
        """Events yielded so far."""
        return self._attempts.yielded

    def __repr__(self) -> str:
        kwargs = self._request.kwargs
        return f"<{type(self).__name__} {kwargs['method'].upper()} {kwargs['url']} yielded={self.count}>"


async def _run(http: httpx.AsyncClient, request: StreamRequest, attempts: Attempts) -> AsyncIterator[Any]:
    while True:
        # the client's rate gate: a pause learnt from any of its requests holds this one too
        while (pause := request.gate.delay()) > 0:
            await asyncio.sleep(attempts.gate_wait(pause))
        outcome: float | Error
        try:
            send = attempts.begin(request, http.timeout)
            async with AsyncExitStack() as stack:
                # connecting, sending and the status line and headers: all within the deadline
                with bounded(attempts.bound):
                    response = await stack.enter_async_context(http.stream(**send))
                request.gate.observe(response.status_code, response.headers)
                if response.status_code == 200:
                    attempts.log(send["method"], response.request.url, "200 (streaming)")
                    async for event in _events(response, request, attempts):
                        yield event
                        # no local keeps the body's content for a traceback's captured locals
                        del event
                    return
                attempts.log(send["method"], response.request.url, str(response.status_code))
                outcome = attempts.after_status(response, *await _read_excerpt(response, attempts))
        except _BodyCutError as cut:
            outcome = attempts.after_cut(cut.cause)
        except httpx.TransportError as exc:
            outcome = attempts.after_transport_error(exc)
        except Error as error:
            outcome = error
        except Exception as exc:  # every failure leaves np6 as an np6 error
            outcome = _unexpected(request.redactor, exc, attempts.yielded)
        if isinstance(outcome, Error):
            # raised outside the except clauses, without the chain (httpx requests carry the key header)
            raise detached(outcome)
        await asyncio.sleep(outcome)


async def _chunks(response: httpx.Response, bound: Bound | None) -> AsyncGenerator[bytes, None]:
    """The body's chunks, each read within the call's deadline (see :mod:`np6._deadline`)."""
    chunks = response.aiter_bytes()
    try:
        while True:
            with bounded(bound):
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    return
            yield chunk
    finally:
        # closed here, in this task: left to the garbage collector, a generator stopped mid-body
        # would be closed later from another task, and log errors there
        await chunks.aclose()  # type: ignore[attr-defined]


async def _events(response: httpx.Response, request: StreamRequest, attempts: Attempts) -> AsyncIterator[Any]:
    """The events of a 200's body.

    ijson is pushed each piece (see :func:`_items_parser`) rather than pulling from a generator:
    pulling from a generator of this module, it leaves that generator to the garbage collector
    when the stream is cancelled, which closes it later from another task, where it fails.
    """
    redactor = request.redactor
    chunks = _chunks(response, attempts.bound)
    guard = JsonGuard()
    piece = b""
    try:
        try:
            async for chunk in chunks:
                attempts.check_deadline()
                attempts.offset += len(chunk)
                # whitespace before the array is skipped, never accumulated
                piece = chunk.lstrip()
                if piece:
                    break
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _BodyCutError(exc) from None
        if piece[:1] != b"[":
            raise _not_an_array(redactor, piece, response, attempts.yielded)
        ledger = attempts.ledger
        resumable, raw, default_type = ledger.enabled, request.raw, request.default_type
        classes, new, set_raw = EVENT_CLASSES, _new, _set_raw
        parsed: list[Any] = []
        parser = _items_parser(parsed)
        ended = False
        while True:
            failure: ijson.JSONError | None = None
            try:
                piece = guard.flush() if ended else guard.feed(piece)
                if piece:
                    parser.send(piece)
                if ended:
                    parser.close()
            except ijson.JSONError as exc:
                failure = exc  # the events before it in this piece are yielded first
            except TooDeepError:
                what = f"nests arrays and objects more than {guard.max_depth} levels deep"
                raise _refused(redactor, what, "refuses it rather than exhaust memory", attempts) from None
            except LoneSurrogateError:
                what = r"holds a lone UTF-16 surrogate escape (\ud800-\udfff without its pair)"
                raise _refused(redactor, what, "cannot decode it without changing it", attempts) from None
            try:
                for item in parsed:
                    if type(item) is not dict:
                        raise _not_an_object(redactor, item, attempts.offset, attempts.yielded)
                    # only a sort=asc stream keeps the ledger: the others pay no call per event for it
                    if resumable and ledger.replayed(item, attempts.yielded + 1):
                        continue
                    attempts.yielded += 1
                    if raw:
                        yield item
                        continue
                    # decode_event's usual case, inline: one look-up, no call per event
                    kind = item.get("type", default_type)
                    cls = classes.get(kind) if kind.__class__ is str else None
                    if cls is None:
                        yield decode_event(item, default_type=default_type)
                    else:
                        event = new(cls)
                        set_raw(event, item)
                        yield event
                del parsed[:]
                if ended and failure is None:
                    ledger.check_replayed()
            except ResumeContradictionError as exc:
                raise _contradicted(redactor, str(exc), attempts.offset, attempts.yielded) from None
            if failure is not None:
                if ended and "premature EOF" in str(failure):
                    raise _BodyCutError("premature end of body")
                raise _malformed(redactor, failure, attempts.offset, attempts.yielded)
            if ended:
                return
            try:
                piece = await chunks.__anext__()
            except StopAsyncIteration:
                ended = True
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise _BodyCutError(exc) from None
            else:
                attempts.check_deadline()
                attempts.offset += len(piece)
    finally:
        await chunks.aclose()


async def _read_excerpt(response: httpx.Response, attempts: Attempts) -> tuple[bytes, str | None]:
    """The start of an error body, and why the rest could not be read (``None`` if it could)."""
    pieces: list[bytes] = []
    size = 0
    chunks = _chunks(response, attempts.bound)
    try:
        async for chunk in chunks:
            pieces.append(chunk)
            size += len(chunk)
            if size >= EXCERPT_BYTES:
                break
    except httpx.DecodingError as exc:
        return b"", f"{type(exc).__name__}: {exc}"
    except httpx.TransportError:
        pass  # a status is known: the excerpt is only what arrived
    finally:
        await chunks.aclose()
    return b"".join(pieces)[:EXCERPT_BYTES], None


# The messages of the errors raised above, each passed through the key's masking last.


def _unexpected(redactor: Redactor, exc: BaseException, events_yielded: int) -> Error:
    """An exception np6 did not foresee, as an np6 error that names it (never the key)."""
    detail = redactor.excerpt(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.InvalidURL):
        return InvalidArgumentError(redactor(f"the request cannot be built: {detail}"))
    if isinstance(exc, (ValueError, RecursionError, MemoryError)):
        return DecodeError(
            redactor(f"could not decode the events body after {events_yielded} events: {detail}"),
            events_yielded=events_yielded,
        )
    return Error(redactor(f"unexpected failure after {events_yielded} events: {detail}"))


def _not_an_array(
    redactor: Redactor, head: bytes, response: httpx.Response, events_yielded: int
) -> DecodeError:
    """A 200 whose body does not start a JSON array."""
    stripped = head.lstrip()
    if not stripped:
        what = "an empty body"
    elif stripped[:1] == b"{":
        what = "a JSON object"
    else:
        what = f"a body starting {redactor.excerpt(stripped[:240].decode('utf-8', 'replace'), 120)!r}"
    content_type = redactor.excerpt(response.headers.get("content-type", "no content type"), 80)
    request = response.request
    where = f"{request.method} {request.url} (status {response.status_code}, {content_type})"
    return _body_error(
        DecodeError, redactor, f"expected a JSON array of events from {where}, got {what}", 0, events_yielded
    )


def _not_an_object(redactor: Redactor, item: Any, offset: int, events_yielded: int) -> DecodeError:
    """An array element that is not an event object."""
    message = f"event #{events_yielded + 1} is a JSON {type(item).__name__}, not an object"
    return _body_error(DecodeError, redactor, message, offset, events_yielded)


def _malformed(redactor: Redactor, exc: Exception, offset: int, events_yielded: int) -> DecodeError:
    """A body that is not valid JSON, or holds a number the decoder cannot keep exactly."""
    detail = str(exc)
    what = "malformed JSON"
    if "integer overflow" in detail or "floating point) overflow" in detail:
        # valid JSON that yajl cannot hold: refused rather than rounded
        what = "a number beyond what np6 decodes exactly (integers within ±(2**63-1), finite floats)"
    where = f"in the events body near byte {offset} after {events_yielded} events"
    message = f"{what} {where}: {redactor.excerpt(detail)}"
    return _body_error(DecodeError, redactor, message, offset, events_yielded)


def _refused(redactor: Redactor, what: str, why: str, attempts: Attempts) -> DecodeError:
    """A body np6's guard stops: nested too deep, or a string escape no Unicode text can hold."""
    offset, events_yielded = attempts.offset, attempts.yielded
    message = f"the events body {what} near byte {offset} after {events_yielded} events; np6 {why}"
    return _body_error(DecodeError, redactor, message, offset, events_yielded)


def _contradicted(redactor: Redactor, why: str, offset: int, events_yielded: int) -> StreamTruncatedError:
    """A resumed answer that does not agree with what the cut answer already yielded."""
    message = (
        f"the body was cut after {events_yielded} events and the resumed answer contradicts the "
        f"first one ({why}); the result is incomplete"
    )
    return _body_error(StreamTruncatedError, redactor, message, offset, events_yielded)


def _body_error(
    kind: type[BodyErrorT], redactor: Redactor, message: str, offset: int, events_yielded: int
) -> BodyErrorT:
    """An error of the events body at byte ``offset``, after ``events_yielded`` events, masked."""
    return kind(redactor(message), offset=offset, events_yielded=events_yielded)
