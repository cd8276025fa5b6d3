"""One call of a client driven to its end: what the tests that hold for both clients compare.

Each function here drives ``np6.AsyncClient``. Written once in ``tests/_async/``; the twin in
``tests/_sync/`` is generated from it, so that ``tests/test_hostile.py`` and
``tests/test_timebounds.py`` run one scenario on both clients without writing it twice.
"""

from __future__ import annotations

from typing import Any

import httpx
import np6


async def raw_events(
    base_url: str,
    contact: np6.Contact,
    *,
    key: str,
    follow: bool = False,
    options: dict[str, Any] | None = None,
    **client_options: Any,
) -> list[Any]:
    """Every raw event of ``events(contact)``; ``follow=True`` goes through a caller's own
    httpx client, one that follows redirects (np6's own never does)."""
    if follow:
        async with httpx.AsyncClient(base_url=base_url, follow_redirects=True, trust_env=False) as own:
            async with np6.AsyncClient(key, http_client=own, **client_options) as client:
                return [item async for item in client.raw.events(contact, **(options or {}))]
    async with np6.AsyncClient(key, base_url=base_url, **client_options) as client:
        return [item async for item in client.raw.events(contact, **(options or {}))]


async def outcome(base_url: str, contact: np6.Contact, *, key: str, **client_options: Any) -> Any:
    """:func:`raw_events`, or the exception that escaped it (what the test judges)."""
    try:
        return await raw_events(base_url, contact, key=key, **client_options)
    except BaseException as error:
        return error
