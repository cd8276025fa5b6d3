"""The np6 exception hierarchy, and the one place where error messages are written.

Everything the package raises derives from :class:`Error`. Every message is built by
a function of this module and passes through :class:`Redactor` last, after every
other transformation of its text, so that no message, ``repr`` or attribute of an
exception carries the API key.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from ._text import cut, printable

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "DecodeError",
    "Error",
    "InsecureTransportError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamTruncatedError",
]

EXCERPT_BYTES = 2048
"""How much of an error body is read, and kept for the message."""
_EXCERPT_CHARS = 200


class Error(Exception):
    """Root of every exception raised by np6."""


class InvalidArgumentError(Error, ValueError):
    """An argument was refused before any request was sent."""


class InsecureTransportError(InvalidArgumentError):
    """The API key would travel unencrypted to a host that is not this machine."""


class APIConnectionError(Error, builtins.ConnectionError):
    """The server could not be reached, or the connection broke."""


class APITimeoutError(APIConnectionError, builtins.TimeoutError):
    """The server did not answer in time."""


class APIStatusError(Error):
    """NP6 answered with an error status.

    ``status_code`` is the HTTP status, ``method`` and ``url`` name the request (the
    URL never carries the key), ``body_excerpt`` holds the first characters of the
    answer, ``attempts`` counts the tries made, and ``retry_after`` is the wait the
    server asked for in seconds (``Retry-After``), when it asked for one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        body_excerpt: str = "",
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.body_excerpt = body_excerpt
        self.attempts = attempts
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400: NP6 refused the request's parameters or body."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not read these events."""


class NotFoundError(APIStatusError):
    """404: no such contact or campaign."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` is the wait NP6 asked for, in seconds."""


class ServerError(APIStatusError):
    """5xx: NP6 or a gateway in front of it failed."""


class DecodeError(Error, ValueError):
    """The body is not the JSON array of events the API promises.

    ``offset`` is the number of body bytes read when the problem was found, and
    ``events_yielded`` how many events had already been handed to the caller.
    """

    def __init__(self, message: str, *, offset: int | None = None, events_yielded: int = 0) -> None:
        super().__init__(message)
        self.offset = offset
        self.events_yielded = events_yielded


class StreamTruncatedError(DecodeError):
    """The body ended before the array's closing ``]``: the result is incomplete."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The exception class for an error status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIStatusError)


_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _char(match: re.Match[str]) -> str:
    """The character one match of ``_CHAR`` stands for."""
    index = match.lastindex or 7
    if index == 7:
        return match.group(7)
    if index == 6:
        return _ENTITIES[match.group(6)]
    return chr(int(match.group(index), 10 if index == 5 else 16))


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"


_CHAR = re.compile(
    r"\\+u([0-9a-fA-F]{4})"  # JSON or Python escapes, however many times escaped
    r"|\\+x([0-9a-fA-F]{2})"
    r"|%([0-7][0-9a-fA-F])"  # percent-encoding
    r"|&#[xX]0*([0-9a-fA-F]{1,4});"  # HTML character references
    r"|&#0*([0-9]{1,5});"
    r"|&(amp|lt|gt|quot|apos);"  # the entities XML and HTML escape with
    r"|\\*(\S)"  # any other visible character, possibly backslash-escaped (``\/``, ``\\``)
)
_RUN_MIN = 6
"""The shortest run of the key's characters that is masked."""
_SHORTEST_MASKED = 4
MASK = "***"


class Redactor:
    """Writes the messages of one call's errors, with its API key masked.

    Every message is finished first, then masked by :meth:`__call__`; excerpts are cut
    after that. Masking covers every run of 6 or more consecutive characters of the key
    (the whole key when it is shorter, from 4 characters), written plainly or escaped
    as JSON, Python, URLs or HTML write it, however many times escaped.
    """

    __slots__ = ("__weakref__", "_charset", "_width", "_windows")

    def __init__(self, secret: str | None) -> None:
        secret = secret or ""
        # a key shorter than 6 characters is masked whole, unless it is too short (under 4) to
        # tell from ordinary text: masking every "k" would garble each message and hide nothing
        self._width = min(_RUN_MIN, len(secret)) if len(secret) >= _SHORTEST_MASKED else 0
        self._windows = frozenset(secret[i : i + self._width] for i in range(len(secret) - self._width + 1))
        self._charset = frozenset(secret)

    def __repr__(self) -> str:
        return "Redactor(***)"

    def __call__(self, text: str) -> str:
        """``text`` with every run of 6+ characters of the key masked, in any common escaping."""
        if not self._width:
            return text
        spans: list[tuple[int, int]] = []
        decoded: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for match in _CHAR.finditer(text):
            char = _char(match)
            if char not in self._charset or (starts and ends[-1] != match.start()):
                self._mask_run(decoded, starts, ends, spans)
                decoded, starts, ends = [], [], []
                if char not in self._charset:
                    continue
            decoded.append(char)
            starts.append(match.start())
            ends.append(match.end())
        self._mask_run(decoded, starts, ends, spans)
        if not spans:
            return text
        pieces, last = [], 0
        for start, end in spans:
            if start < last:  # overlapping windows: extend the previous mask
                continue
            pieces.append(text[last:start])
            pieces.append(MASK)
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def _mask_run(
        self, run: list[str], starts: list[int], ends: list[int], spans: list[tuple[int, int]]
    ) -> None:
        width = self._width
        if len(run) < width:
            return
        decoded = "".join(run)
        begin = end = -1
        for i in range(len(decoded) - width + 1):
            if decoded[i : i + width] in self._windows:
                if begin >= 0 and i <= end:
                    end = i + width
                else:
                    if begin >= 0:
                        spans.append((starts[begin], ends[end - 1]))
                    begin, end = i, i + width
        if begin >= 0:
            spans.append((starts[begin], ends[end - 1]))

    def url(self, url: httpx.URL | str) -> str:
        """A request URL as it may be shown."""
        return self(str(url))

    def excerpt(self, text: str, limit: int = _EXCERPT_CHARS) -> str:
        """``text`` folded to one line, controls shown escaped, masked, then cut to ``limit`` characters.

        A server's text never reaches a terminal or a log able to act on it: ESC, BEL and
        bidirectional overrides show as ``\\x1b``, ``\\x07``, ``\\u202e``.
        """
        flat = self(printable(" ".join(text.split())))
        return cut(flat, limit) + "…" if len(flat) > limit else flat

    def status_error(
        self, response: httpx.Response, body: bytes, attempts: int, unreadable: str | None = None
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
            summary = self.excerpt(": ".join(part for part in parts if part)) or None
        excerpt = self.excerpt(text)
        request = response.request
        url = self.url(request.url)
        reason = printable(response.reason_phrase or "error")
        if unreadable is not None:
            said = f"the body could not be read ({self.excerpt(unreadable)})"
        else:
            said = summary or (f"body starts {excerpt!r}" if excerpt else "empty body")
        tries = f" after {_attempts(attempts)}" if attempts > 1 else ""
        cls = error_class_for(response.status_code)
        from .retries import parse_retry_after

        # honoured on a 503 as on a 429 (RFC 9110 allows it on both)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return cls(
            self(f"{response.status_code} {reason} from {request.method} {url}{tries}: {said}"),
            status_code=response.status_code,
            method=request.method,
            url=url,
            body_excerpt=excerpt,
            attempts=attempts,
            retry_after=retry_after,
        )

    def transport_error(self, exc: BaseException, attempts: int) -> APIConnectionError:
        """The np6 exception for a network failure after ``attempts`` tries."""
        try:
            url = exc.request.url  # type: ignore[attr-defined]
            port = f":{url.port}" if url.port else ""
            where = f" talking to {url.scheme}://{url.host}{port}"
        except (AttributeError, RuntimeError):
            where = ""
        message = self.excerpt(
            f"{type(exc).__name__}: {exc}{where} (after {_attempts(attempts)})", 2 * _EXCERPT_CHARS
        )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(message)
        return APIConnectionError(message)

    def deadline_passed(self, deadline: float, events_yielded: int) -> APITimeoutError:
        """The call's total ``deadline`` has passed."""
        return APITimeoutError(
            f"the call's deadline of {deadline:g} s passed after {events_yielded} events; "
            "the result is incomplete"
            if events_yielded
            else f"the call's deadline of {deadline:g} s passed"
        )

    def unexpected(self, exc: BaseException, events_yielded: int) -> Error:
        """An exception np6 did not foresee, as an np6 error that names it (never the key)."""
        detail = self.excerpt(f"{type(exc).__name__}: {exc}")
        if isinstance(exc, httpx.InvalidURL):
            return InvalidArgumentError(f"the request cannot be built: {detail}")
        if isinstance(exc, (ValueError, RecursionError, MemoryError)):
            return DecodeError(
                f"could not decode the events body after {events_yielded} events: {detail}",
                events_yielded=events_yielded,
            )
        return Error(f"unexpected failure after {events_yielded} events: {detail}")

    def not_an_array(self, head: bytes, response: httpx.Response, events_yielded: int) -> DecodeError:
        """A 200 whose body does not start a JSON array."""
        stripped = head.lstrip()
        if not stripped:
            what = "an empty body"
        elif stripped[:1] == b"{":
            what = "a JSON object"
        else:
            what = f"a body starting {self.excerpt(stripped[:240].decode('utf-8', 'replace'), 120)!r}"
        content_type = self.excerpt(response.headers.get("content-type", "no content type"), 80)
        return DecodeError(
            self(
                f"expected a JSON array of events from {response.request.method} {response.request.url} "
                f"(status {response.status_code}, {content_type}), got {what}"
            ),
            offset=0,
            events_yielded=events_yielded,
        )

    def not_an_object(self, item: Any, offset: int, events_yielded: int) -> DecodeError:
        """An array element that is not an event object."""
        return DecodeError(
            f"event #{events_yielded + 1} is a JSON {type(item).__name__}, not an object",
            offset=offset,
            events_yielded=events_yielded,
        )

    def malformed(self, exc: Exception, offset: int, events_yielded: int) -> DecodeError:
        """A body that is not valid JSON, or holds a number the decoder cannot keep exactly."""
        detail = str(exc)
        what = "malformed JSON"
        if "integer overflow" in detail or "floating point) overflow" in detail:
            # valid JSON that yajl cannot hold: refused rather than rounded
            what = "a number beyond what np6 decodes exactly (integers within ±(2**63-1), finite floats)"
        return DecodeError(
            self(
                f"{what} in the events body near byte {offset} after {events_yielded} events: "
                f"{self.excerpt(detail)}"
            ),
            offset=offset,
            events_yielded=events_yielded,
        )

    def too_deep(self, limit: int, offset: int, events_yielded: int) -> DecodeError:
        """A body nested deeper than np6 decodes."""
        return DecodeError(
            f"the events body nests arrays and objects more than {limit} levels deep near byte {offset} "
            f"after {events_yielded} events; np6 refuses it rather than exhaust memory",
            offset=offset,
            events_yielded=events_yielded,
        )

    def lone_surrogate(self, offset: int, events_yielded: int) -> DecodeError:
        """A string escape that no Unicode text can hold, which the decoder would change."""
        return DecodeError(
            f"the events body holds a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair) "
            f"near byte {offset} after {events_yielded} events; np6 cannot decode it without changing it",
            offset=offset,
            events_yielded=events_yielded,
        )

    def contradicted(self, why: str, offset: int, events_yielded: int) -> StreamTruncatedError:
        """A resumed answer that does not agree with what the cut answer already yielded."""
        return StreamTruncatedError(
            f"the body was cut after {events_yielded} events and the resumed answer contradicts the "
            f"first one ({why}); the result is incomplete",
            offset=offset,
            events_yielded=events_yielded,
        )

    def generated_answer(self, exc: BaseException, response: httpx.Response) -> Error:
        """An answer the generated client cannot parse: its status error, or a DecodeError for a 2xx."""
        if response.status_code >= 400:
            return self.status_error(response, response.content[:EXCERPT_BYTES], 1)
        request = response.request
        return DecodeError(
            self(
                f"the answer to {request.method} {self.url(request.url)} (status {response.status_code}) "
                f"is not what the spec describes: {self.excerpt(f'{type(exc).__name__}: {exc}')}"
            ),
            offset=None,
        )

    def truncated(
        self, cause: BaseException | str, why: str, offset: int, events_yielded: int
    ) -> StreamTruncatedError:
        """A body that stopped before its closing ``]``; ``why`` says why it cannot be resumed."""
        reason = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else cause
        return StreamTruncatedError(
            self(
                f"the body ended before the closing ']' after {events_yielded} events "
                f"({self.excerpt(reason)}); the result is incomplete{why}"
            ),
            offset=offset,
            events_yielded=events_yielded,
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


def detached(error: Error) -> Error:
    """``error`` without the chain and frames that led to it.

    The exceptions np6 turns into its own carry httpx requests (with the key header) and
    frames whose locals hold raw body bytes: the np6 error leaves without them.
    """
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = False
    return error.with_traceback(None)
