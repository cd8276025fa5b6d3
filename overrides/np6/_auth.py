"""Sending the API key: an ``httpx.Auth``, so that it lives in no plain dict of headers."""

from __future__ import annotations

from collections.abc import Generator

import httpx

__all__ = ["KeyAuth"]


class KeyAuth(httpx.Auth):
    """Adds ``X-Key`` to requests for ``origin`` only, and to nothing else.

    A redirect, or any request to another scheme, host or port, goes without the key.
    """

    def __init__(self, key: str, origin: httpx.URL) -> None:
        self._key = key
        self._origin = (origin.scheme, origin.host, origin.port)

    def __repr__(self) -> str:
        return "KeyAuth(***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the key when the request goes to the configured origin."""
        url = request.url
        if (url.scheme, url.host, url.port) == self._origin:
            request.headers["X-Key"] = self._key
        else:
            request.headers.pop("X-Key", None)
        yield request
