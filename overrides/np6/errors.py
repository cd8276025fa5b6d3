"""The np6 exception hierarchy: everything the package raises derives from Error.

Messages name what went wrong and what was received; none of them, nor any
``repr``, ever contains the API key.
"""

from __future__ import annotations

import builtins

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConnectionError",
    "DecodeError",
    "Error",
    "InsecureTransportError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamTruncatedError",
    "TimeoutError",
]


class Error(Exception):
    """Root of every exception raised by np6."""


class InvalidArgumentError(Error, ValueError):
    """An argument was refused before any request was sent."""


class InsecureTransportError(InvalidArgumentError):
    """The API key would travel unencrypted to a host that is not this machine."""


class ConnectionError(Error, builtins.ConnectionError):
    """The server could not be reached, or the connection broke."""


class TimeoutError(Error, builtins.TimeoutError):
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
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.body_excerpt = body_excerpt
        self.attempts = attempts


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

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


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
