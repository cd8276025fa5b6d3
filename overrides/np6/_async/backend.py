"""The deadline-aware network backend and its streams, around httpcore's (see ``np6._deadline``).

Every connect, TLS handshake, read and write is given at most the call's time left.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore

from .._deadline import limited

__all__ = ["AsyncDeadlineBackend", "AsyncDeadlineStream"]


class AsyncDeadlineStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with limited(timeout, httpcore.ReadTimeout) as left:
            return await self._inner.read(max_bytes, left)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with limited(timeout, httpcore.WriteTimeout) as left:
            await self._inner.write(buffer, left)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        with limited(timeout, httpcore.ConnectTimeout) as left:
            return AsyncDeadlineStream(await self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
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
        with limited(timeout, httpcore.ConnectTimeout) as left:
            stream = await self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return AsyncDeadlineStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        with limited(timeout, httpcore.ConnectTimeout) as left:
            stream = await self._inner.connect_unix_socket(path, left, socket_options)
        return AsyncDeadlineStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
