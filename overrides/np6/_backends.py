"""Putting np6's deadline-aware network backend (see ``np6._deadline``) into httpx's pools."""

from __future__ import annotations

from typing import Any

import httpcore
import httpx

from ._async.backend import AsyncDeadlineBackend
from ._errors import Error
from ._sync.backend import DeadlineBackend

__all__ = ["install"]


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
        if isinstance(inner, (DeadlineBackend, AsyncDeadlineBackend)):
            continue
        wrapped: Any = (
            AsyncDeadlineBackend(inner)
            if isinstance(inner, httpcore.AsyncNetworkBackend)
            else DeadlineBackend(inner)
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
