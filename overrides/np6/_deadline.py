"""A call's deadline inside every socket operation, not only between body chunks.

httpx's timeouts bound each network operation: a server that sends its headers, or
an error body, one byte at a time resets the read timeout with each byte and so takes
as long as it likes. np6 puts a network backend around httpcore's (in the pools of
the httpx client it uses): while a call with a deadline waits on the network (the
stream marks those moments with :func:`bounded`), every connect, TLS handshake, read
and write is given at most the time left, and none starts once it has passed. The
backend does nothing for requests made outside those moments, so it is harmless in a
caller's ``http_client`` shared with other code.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from ._errors import Error

__all__ = ["Bound", "bounded", "install"]


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
def _limited(timeout: float | None, error: type[Exception]) -> Iterator[float | None]:
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


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _limited(timeout, httpcore.ReadTimeout) as left:
            return self._inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _limited(timeout, httpcore.WriteTimeout) as left:
            self._inner.write(buffer, left)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            return _Stream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _limited(timeout, httpcore.ReadTimeout) as left:
            return await self._inner.read(max_bytes, left)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _limited(timeout, httpcore.WriteTimeout) as left:
            await self._inner.write(buffer, left)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            stream = self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            stream = self._inner.connect_unix_socket(path, left, socket_options)
        return _Stream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            stream = await self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        with _limited(timeout, httpcore.ConnectTimeout) as left:
            stream = await self._inner.connect_unix_socket(path, left, socket_options)
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def install(http: httpx.Client | httpx.AsyncClient) -> None:
    """Put the deadline-aware backend into every httpx pool of ``http``.

    httpx builds its pools without a way to pass a network backend, so the pool's
    (``_network_backend``, read when each new connection is made) is wrapped in place.
    A transport that is not httpx's own (a mock, a caller's) is left alone. These are
    httpx's and httpcore's private names, read here only: when a later version renames
    them, the client refuses to start (:class:`np6.Error`) rather than run without its
    deadline inside socket operations.
    """
    transports = [_private(http, "_transport"), *_private(http, "_mounts").values()]
    for transport in transports:
        if not isinstance(transport, (httpx.HTTPTransport, httpx.AsyncHTTPTransport)):
            continue
        pool = _private(transport, "_pool")
        inner = _private(pool, "_network_backend")
        if isinstance(inner, (_Backend, _AsyncBackend)):
            continue
        wrapped: Any = (
            _AsyncBackend(inner) if isinstance(inner, httpcore.AsyncNetworkBackend) else _Backend(inner)
        )
        pool._network_backend = wrapped


def _private(owner: object, name: str) -> Any:
    """``owner.name``, a private attribute of httpx or httpcore; an :class:`np6.Error` when it is gone."""
    try:
        return getattr(owner, name)
    except AttributeError:
        raise Error(
            f"this version of httpx ({httpx.__version__}) or httpcore ({httpcore.__version__}) has no "
            f"{type(owner).__name__}.{name}, through which np6 bounds each socket operation by the "
            "call's deadline: install the versions np6 declares (pip install np6 resolves them)"
        ) from None
