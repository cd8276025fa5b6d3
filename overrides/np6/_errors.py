"""The np6 exception hierarchy: what users catch.

Everything the package raises derives from :class:`Error`::

    Error
    ├── InvalidArgumentError (also ValueError)
    │   ├── InsecureTransportError
    │   └── UnexpectedArgumentError (also TypeError)
    ├── APIConnectionError (also ConnectionError)
    │   └── APITimeoutError (also TimeoutError)
    ├── APIStatusError
    │   ├── BadRequestError         400
    │   ├── AuthenticationError     401
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── RateLimitError          429
    │   └── ServerError             5xx
    └── DecodeError (also ValueError)
        └── StreamTruncatedError

This module holds the classes only. Each message is written beside the code that raises
it, and passes through the key's masking (:class:`np6._masking.Redactor`) last, so that no
message, ``repr`` or attribute of an exception carries the API key.
"""

from __future__ import annotations

import builtins

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
    "UnexpectedArgumentError",
]


class Error(Exception):
    """Root of every exception raised by np6."""


class InvalidArgumentError(Error, ValueError):
    """An argument was refused before any request was sent."""


class InsecureTransportError(InvalidArgumentError):
    """The API key would travel unencrypted to a host that is not this machine."""


class UnexpectedArgumentError(InvalidArgumentError, builtins.TypeError):
    """A keyword argument the method does not take (a ``TypeError`` too, as Python raises for one)."""


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

    # every argument but the message has a default so that pickle and copy, which call the class
    # with the message alone and then restore the attributes, can rebuild one
    def __init__(
        self,
        message: str,
        *,
        status_code: int = 0,
        method: str = "",
        url: str = "",
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
