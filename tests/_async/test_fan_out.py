"""Fan-outs over a real socket: failures reported per contact, fail-fast, arguments refused first.

Each test here runs on ``np6.AsyncClient``. Written once in ``tests/_async/``; the twin in
``tests/_sync/`` is generated from it by ``scripts/make_sync.py``. The sync fan-out drives the
same algorithm from a thread of its own, so both ways are checked end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import np6
import pytest
from helpers import ScriptedServer, every_event_once, scripted_contacts

KEY = "fan-out-test-key-0123456789"


def _client(server: ScriptedServer, **kwargs: Any) -> np6.AsyncClient:
    return np6.AsyncClient(KEY, base_url=server.base_url, **kwargs)


async def test_one_failing_contact_among_many_is_reported_and_the_others_complete(
    scripted: Callable[..., ScriptedServer],
) -> None:
    server = scripted(20)
    server.cut.add("c7")
    contacts = scripted_contacts(20, extra=("missing",))
    async with _client(server, max_retries=1) as client:
        fan_out = client.raw.contacts_events(contacts, concurrency=3)
        items = [item async for item in fan_out]
    failed = {item.target.id: item.error for item in items if isinstance(item, np6.Failed)}
    assert set(failed) == {"missing", "c7"}
    assert isinstance(failed["missing"], np6.NotFoundError)
    assert isinstance(failed["c7"], np6.StreamTruncatedError)
    assert fan_out.failed == 2
    # the cut contact's events that arrived before the cut stay yielded: a strict prefix
    partial = [item.event["id"] for item in items if isinstance(item, np6.Tagged) and item.target.id == "c7"]
    assert partial == [event["id"] for event in server.known["c7"][: len(partial)]]
    assert len(partial) < 3
    assert fan_out.count == 19 * 3 + len(partial)
    every_event_once([item for item in items if item.target.id != "c7"], server)


async def test_fail_fast_raises_the_first_failure_and_stops_the_others(
    scripted: Callable[..., ScriptedServer],
) -> None:
    server = scripted(200)
    contacts = [np6.Contact(id="missing"), *scripted_contacts(200)]
    async with _client(server) as client:
        with pytest.raises(np6.NotFoundError) as caught:
            # no `with` block: the failure itself stops the other workers
            async for _ in client.raw.contacts_events(contacts, concurrency=2, fail_fast=True):
                pass
    assert "Contact(id='missing')" in " ".join(caught.value.__notes__)
    assert len(server.arrivals) < 50


async def test_argument_errors_are_raised_not_reported(scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted(2)
    async with _client(server) as client:
        with pytest.raises(np6.InvalidArgumentError):
            [
                _
                async for _ in client.raw.contacts_events(
                    [np6.Contact(unicity="a@example.com")], kind="bounces"
                )
            ]
        with pytest.raises(np6.InvalidArgumentError):
            client.raw.contacts_events(scripted_contacts(2), kind="nothing")
        with pytest.raises(np6.InvalidArgumentError):
            client.raw.contacts_events(scripted_contacts(2), concurrency=0)
    assert server.arrivals == []
