"""Streams over a real socket: incremental, closed early, resumed after a cut, timed out.

Each test here runs on ``np6.AsyncClient``. Written once in ``tests/_async/``; the twin in
``tests/_sync/`` is generated from it by ``scripts/make_sync.py``.
"""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator
from typing import Any

import np6
import pytest
from helpers import Recorder, events_in_db, recording_policy
from np6_mock import MockServer, Store

KEY = "sk-live-VERY-SECRET-0123456789"


async def test_contact_events_are_exactly_what_the_server_stored(
    server: MockServer, store: Store, contact: np6.Contact
) -> None:
    expected = events_in_db(store, "contact_id = ?", (contact.id,))
    async with np6.AsyncClient(server.api_key, base_url=server.base_url) as client:
        got = [e.to_dict() async for e in client.events(contact, sort="asc")]
        stream = client.hits(contact)
        async for event in stream:
            assert isinstance(event, np6.HitEvent)
            break
        await stream.aclose()
    assert sorted(got, key=lambda e: e["id"]) == sorted(expected, key=lambda e: e["id"])
    assert [e["timestamp"] for e in got] == sorted(e["timestamp"] for e in got)


async def test_events_are_yielded_before_the_body_is_complete(
    server: MockServer, contact: np6.Contact
) -> None:
    # the server sends one event, then holds the rest until the test has seen it (or, if
    # the client waited for the whole body, until the mock's hold gives up: the test fails)
    gate = f"first-event-{random.getrandbits(32)}"
    recorder = Recorder(f"hold-after=1,gate={gate}")
    async with np6.AsyncClient(
        server.api_key, base_url=server.base_url, max_retries=0, transport=recorder.async_transport()
    ) as client:
        stream = client.events(contact, sort="asc")
        first = await anext(stream)
        assert isinstance(first, np6.Event)
        assert stream.count == 1
        server.open_gate(gate)
        rest = [e async for e in stream]
    assert rest


async def test_closing_the_stream_object_closes_the_connection(
    server: MockServer, sample: dict[str, Any]
) -> None:
    recorder = Recorder()
    async with np6.AsyncClient(
        server.api_key, base_url=server.base_url, transport=recorder.async_transport()
    ) as client:
        async with client.campaign_events(sample["campaign"]) as stream:
            async for _ in stream:
                break
            assert recorder.open_bodies == 1
        assert recorder.all_closed
        with pytest.raises(StopAsyncIteration):
            await anext(stream)
        assert stream.count == 1


async def test_a_cut_sorted_stream_resumes_and_an_unsorted_one_fails_loudly(
    server: MockServer, sample: dict[str, Any]
) -> None:
    recorder = Recorder()
    sleeps: list[float] = []
    async with np6.AsyncClient(
        server.api_key,
        base_url=server.base_url,
        retry_policy=recording_policy(sleeps),
        transport=recorder.async_transport(),
    ) as client:
        expected = [e["id"] async for e in client.raw.campaign_events(sample["campaign"], sort="asc")]
        # the data set has ties (activations rounded to the second): cut inside the run
        recorder.set_fault("cut-after=400,times=1")
        recorder.requests.clear()
        got = [e["id"] async for e in client.raw.campaign_events(sample["campaign"], sort="asc")]
        assert got == expected and len(set(got)) == len(got)
        assert len(recorder.requests) == 2 and "start=" in str(recorder.requests[1].url)
        assert len(sleeps) == 1
        recorder.set_fault("cut-after=30,times=1")
        seen = 0
        with pytest.raises(np6.StreamTruncatedError, match="after 30 events") as caught:
            async for _ in client.campaign_events(sample["campaign"]):
                seen += 1
        assert seen == caught.value.events_yielded == 30
        assert recorder.all_closed


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


async def test_a_server_that_never_answers_is_a_timeout_error(silent_server: str) -> None:
    sleeps: list[float] = []
    policy = recording_policy(sleeps, max_retries=1)
    async with np6.AsyncClient(KEY, base_url=silent_server, timeout=0.3, retry_policy=policy) as client:
        with pytest.raises(np6.APITimeoutError, match=r"ReadTimeout.*after 2 attempts"):
            async for _ in client.events(np6.Contact(id="x")):
                pass
    assert len(sleeps) == 1
