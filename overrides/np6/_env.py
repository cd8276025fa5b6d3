"""The environment variables np6 reads, all read here, by :func:`read_environment`.

Every part of np6 that takes a setting from the environment (the clients, ``np6.dlt``,
the commands and their help, ``np6 mock``, the conformance hooks) asks this one
function, so that a variable means the same everywhere and is spelled in one place.
An empty variable counts as unset, as a missing one does.

Kept free of client code: ``np6 --help`` shows the defaults these variables give.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

__all__ = ["API_KEY", "BASE_URL", "CONFORMANCE_PREFIX", "MOCK_API_KEY", "Environment", "read_environment"]

API_KEY = "NP6_API_KEY"
BASE_URL = "NP6_BASE_URL"
MOCK_API_KEY = "NP6_MOCK_API_KEY"
CONFORMANCE_PREFIX = "NP6_CONFORMANCE_"
"""``NP6_CONFORMANCE_ID``, ``_UNICITY``, ``_HASH``, ``_CAMPAIGN_ID``, ``_ACTION_ID``, ``_NOTIFICATION_ID``,
``_CONTENT_ID``, ``_START``, ``_END``, ``_RECORD``."""


def _hidden(value: str | None) -> str:
    # a key is never shown, not even in part
    return "None" if value is None else "'***'"


@attrs.frozen
class Environment:
    """What np6's variables hold at one instant (``None`` for a variable unset or empty)."""

    api_key: str | None = attrs.field(default=None, repr=_hidden)
    base_url: str | None = None
    mock_api_key: str | None = attrs.field(default=None, repr=_hidden)
    conformance: Mapping[str, str] = attrs.field(factory=dict)
    """``NP6_CONFORMANCE_<NAME>`` by lower-case ``name`` (``"id"``, ``"campaign_id"`` ...)."""


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """np6's variables from ``environ`` (default: ``os.environ``, read now, not cached).

    Read on each call rather than once at import: a test's ``monkeypatch`` or a
    program that sets a variable before building its client is honoured.
    """
    source = os.environ if environ is None else environ

    def value(name: str) -> str | None:
        return source.get(name) or None

    return Environment(
        api_key=value(API_KEY),
        base_url=value(BASE_URL),
        mock_api_key=value(MOCK_API_KEY),
        conformance={
            name.removeprefix(CONFORMANCE_PREFIX).lower(): text
            for name, text in source.items()
            if name.startswith(CONFORMANCE_PREFIX) and text
        },
    )
