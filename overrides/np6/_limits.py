"""Bounds the commands show in their help: kept apart so that ``np6 --help`` imports no client code."""

from __future__ import annotations

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_TIME",
    "DEFAULT_TIMEOUT",
    "MAX_CONCURRENCY",
    "describe_timeout",
]

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
"""Seconds each network phase of an attempt may take, unless ``timeout`` says otherwise
(the clients' default, and the ``np6`` commands' ``--timeout`` default)."""

DEFAULT_MAX_RETRIES = 2
"""Retries after a transient failure (``np6.RetryPolicy.max_retries``, ``--max-retries``)."""


def describe_timeout(timeout: httpx.Timeout) -> str:
    """``connect 10, read 60, write 30, pool 10`` (seconds; ``none`` for a phase without a bound)."""
    phases = {"connect": timeout.connect, "read": timeout.read, "write": timeout.write, "pool": timeout.pool}
    return ", ".join(
        f"{phase} {'none' if seconds is None else f'{seconds:g}'}" for phase, seconds in phases.items()
    )


MAX_CONCURRENCY = 100
"""The most requests a fan-out runs at once: httpx's pool holds 100 connections, so more
workers would only wait for one, while each costs memory before anything is sent."""

DEFAULT_MAX_TIME = 1800.0
"""Seconds a whole ``np6 conformance`` run may take (``--max-time``).

Past it, the run stops with the summary of what ran (exit 4)."""
