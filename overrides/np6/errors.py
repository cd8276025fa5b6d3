"""The np6 exception hierarchy, and the one place where error messages are written.

Everything the package raises derives from :class:`Error`. Every message is built by
a function of this module and passes through :class:`Redactor` last, after every
other transformation of its text, so that no message, ``repr`` or attribute of an
exception carries the API key.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from typing import Any

import httpx

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
    answer, and ``attempts`` counts the tries made.
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


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"


class Redactor:
    """Writes the messages of one call's errors, with its API key masked.

    The key is masked last, once the text is final, and excerpts are cut after that.
    """

    __slots__ = ("_secret",)

    def __init__(self, secret: str | None) -> None:
        self._secret = secret

    def __repr__(self) -> str:
        return "Redactor(***)"

    def __call__(self, text: str) -> str:
        """``text`` with every occurrence of the key masked."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return text

    def url(self, url: httpx.URL | str) -> str:
        """A request URL as it may be shown."""
        return self(str(url))

    def status_error(self, response: httpx.Response, body: bytes, attempts: int) -> APIStatusError:
        """The typed exception for an error answer, with a short excerpt of its body."""
        text = self(body[:EXCERPT_BYTES].decode("utf-8", "replace"))
        summary = None
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, Mapping):
            parts = [str(parsed[k]) for k in ("title", "detail", "message", "error") if parsed.get(k)]
            summary = self(": ".join(parts)) or None
        flat = " ".join(text.split())
        excerpt = flat[:_EXCERPT_CHARS] + "…" if len(flat) > _EXCERPT_CHARS else flat
        request = response.request
        url = self.url(request.url)
        reason = response.reason_phrase or "error"
        said = summary or (f"body starts {excerpt!r}" if excerpt else "empty body")
        tries = f" after {_attempts(attempts)}" if attempts > 1 else ""
        cls = error_class_for(response.status_code)
        retry_after = None
        if cls is RateLimitError:
            from .retries import parse_retry_after

            retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return cls(
            f"{response.status_code} {reason} from {request.method} {url}{tries}: {said}",
            status_code=response.status_code,
            method=request.method,
            url=url,
            body_excerpt=excerpt,
            attempts=attempts,
            retry_after=retry_after,
        )

    def transport_error(self, exc: httpx.TransportError, attempts: int) -> APIConnectionError:
        """The np6 exception for a network failure after ``attempts`` tries."""
        message = self(f"{type(exc).__name__}: {exc} (after {_attempts(attempts)})")
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(message)
        return APIConnectionError(message)

    def not_an_array(self, head: bytes, response: httpx.Response, events_yielded: int) -> DecodeError:
        """A 200 whose body does not start a JSON array."""
        stripped = head.lstrip()
        if not stripped:
            what = "an empty body"
        elif stripped[:1] == b"{":
            what = "a JSON object"
        else:
            what = f"a body starting {' '.join(stripped[:120].decode('utf-8', 'replace').split())!r}"
        content_type = response.headers.get("content-type", "no content type")
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
        """A body that is not valid JSON."""
        detail = " ".join(self(str(exc)).split())[:_EXCERPT_CHARS]
        return DecodeError(
            f"malformed JSON in the events body near byte {offset} after {events_yielded} events: {detail}",
            offset=offset,
            events_yielded=events_yielded,
        )

    def truncated(
        self, cause: BaseException | str, why: str, offset: int, events_yielded: int
    ) -> StreamTruncatedError:
        """A body that stopped before its closing ``]``; ``why`` says why it cannot be resumed."""
        reason = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else cause
        return StreamTruncatedError(
            self(
                f"the body ended before the closing ']' after {events_yielded} events ({reason}); "
                f"the result is incomplete{why}"
            ),
            offset=offset,
            events_yielded=events_yielded,
        )
