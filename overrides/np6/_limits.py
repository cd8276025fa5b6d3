"""Bounds the commands show in their help: kept apart so that ``np6 --help`` imports no client code."""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_TIME", "MAX_CONCURRENCY"]

MAX_CONCURRENCY = 100
"""The most requests a fan-out runs at once: httpx's pool holds 100 connections, so more
workers would only wait for one, while each costs memory before anything is sent."""

DEFAULT_MAX_TIME = 1800.0
"""Seconds a whole ``np6 conformance`` run may take (``--max-time``).

Past it, the run stops with the summary of what ran (exit 4)."""
