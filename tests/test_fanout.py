"""Fan-out over a real socket: the shared rate gate, failures reported per contact, fail-fast."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import json
import math
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import np6
import np6._fanout_loop
import pytest
from aiolimiter import AsyncLimiter
from helpers import NP6, ScriptedServer, events_in_db, every_event_once, scripted_contacts, scripted_events
from np6._gate import RateGate
from np6_mock import MockServer, Store

KEY = "fan-out-test-key-0123456789"

ROUNDING = 1e-6
"""Slack for float sums of ``time.monotonic`` instants: far below anything a scheduler does.

The timing assertions here are lower bounds that follow from cause and effect (a request
sent after a pause ends arrives after it), so a busy machine, which only delays, cannot
break them; none bounds how long anything takes.
"""


def _client(server: ScriptedServer, **kwargs: Any) -> np6.Client:
    return np6.Client(KEY, base_url=server.base_url, **kwargs)


# --- the gate on its own: what it reads from headers ------------------------------------


class Clocks:
    def __init__(self) -> None:
        self.mono, self.wall = 100.0, 1_700_000_000.0


def _gate(clocks: Clocks, **kwargs: Any) -> RateGate:
    return RateGate(clock=lambda: clocks.mono, wall_clock=lambda: clocks.wall, **kwargs)


@pytest.mark.parametrize(
    ("status", "headers", "pause"),
    [
        (429, {"retry-after": "2"}, 2.0),
        (429, {"retry-after": email.utils.formatdate(1_700_000_003, usegmt=True)}, 3.0),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000001.5"}, 1.5),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4"}, 4.0),
        (429, {"retry-after": "1", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "5"}, 5.0),
        (200, {"x-ratelimit-remaining": "1", "x-ratelimit-reset": "4"}, 0.0),
        (200, {"x-ratelimit-remaining": "0"}, 0.0),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon"}, 0.0),
        (429, {}, 0.0),
        (503, {"retry-after": "9"}, 0.0),
        (429, {"retry-after": "3600"}, 60.0),
    ],
)
def test_the_gate_pauses_for_what_the_headers_say(status: int, headers: dict[str, str], pause: float) -> None:
    clocks = Clocks()
    gate = _gate(clocks)
    gate.observe(status, headers)
    assert gate.delay() == pytest.approx(pause)
    clocks.mono += pause
    assert gate.delay() == 0.0


def test_a_shorter_pause_never_shortens_a_longer_one() -> None:
    clocks = Clocks()
    gate = _gate(clocks)
    gate.observe(429, {"retry-after": "5"})
    gate.observe(429, {"retry-after": "1"})
    assert gate.delay() == pytest.approx(5.0)
    assert gate.pauses == 1


# --- the gate over a socket -----------------------------------------------------------------


def test_a_429_burst_pauses_every_worker_until_retry_after(scripted: Callable[..., ScriptedServer]) -> None:
    # The server refuses everything until 1 s after its first refusal. Its clock starts
    # at a request, not at the test's start, so a slow machine changes nothing: whatever
    # the timing, the only requests that can arrive while it refuses are the workers'
    # first ones, sent before any 429 came back; every later one waited for the gate.
    lock = threading.Lock()
    reopens = {"at": math.inf}

    def limited(number: int, contact: str, arrival: float) -> tuple[int, dict[str, str], bytes] | None:
        with lock:
            if reopens["at"] == math.inf:
                reopens["at"] = arrival + 1.0
            if arrival < reopens["at"]:
                return 429, {"Retry-After": "1"}, b'{"title": "Too Many Requests"}'
        return None

    server = scripted(12, rule=limited)
    with _client(server) as client:
        items = list(client.raw.contacts_events(scripted_contacts(12), concurrency=4))
        # the fan-out's requests went through this client's own gate
        assert client.gate.pauses >= 1
    every_event_once(items, server)
    refused = [contact for arrival, contact in server.arrivals if arrival < reopens["at"]]
    # the burst: at most one request per worker, and no contact refused twice (a worker
    # that retried before Retry-After, or went on to its next contact, would be refused again)
    assert 1 <= len(refused) <= 4
    assert len(set(refused)) == len(refused)
    assert len(server.arrivals) == 12 + len(refused)


def test_remaining_zero_pauses_until_reset_even_for_single_calls(
    scripted: Callable[..., ScriptedServer],
) -> None:
    def exhausted(number: int, contact: str, arrival: float) -> tuple[int, dict[str, str], bytes] | None:
        if number == 0:
            body = json.dumps(scripted_events(contact, 3)).encode()
            return 200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1.2"}, body
        return None

    server = scripted(3, rule=exhausted)
    with _client(server) as client:
        assert len(list(client.raw.events(np6.Contact(id="c0")))) == 3
        assert len(list(client.raw.events(np6.Contact(id="c1")))) == 3
    (first, _), (second, _) = server.arrivals
    # a lower bound, so load cannot break it: the client read the 0 after the server
    # recorded the first arrival, and waited the 1.2 s from then
    assert second - first >= 1.2 - ROUNDING


def test_a_rate_window_is_used_up_then_waited_out_without_a_429(
    scripted: Callable[..., ScriptedServer],
) -> None:
    # a limiter of 5 requests per 1.5 s window; the answer that uses the window up says so
    lock = threading.Lock()
    window = {"start": 0.0, "used": 0}
    refused: list[float] = []

    def limiter(number: int, contact: str, arrival: float) -> tuple[int, dict[str, str], bytes] | None:
        with lock:
            if arrival >= window["start"] + 1.5:
                window["start"], window["used"] = arrival, 0
            window["used"] += 1
            left = 5 - window["used"]
            reset = window["start"] + 1.5 - arrival
        headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": str(max(left, 0))}
        # rounded up: a reset shown a hair early would let a request in a hair early
        headers["X-RateLimit-Reset"] = f"{math.ceil(reset * 1000) / 1000:.3f}"
        if left < 0:
            refused.append(arrival)
            return 429, {**headers, "Retry-After": "1"}, b"{}"
        return 200, headers, json.dumps(scripted_events(contact, 3)).encode()

    server = scripted(12, rule=limiter)
    with _client(server) as client:
        # one worker: it sees Remaining: 0 before it sends again, so it never meets a 429
        items = list(client.raw.contacts_events(scripted_contacts(12), concurrency=1))
    every_event_once(items, server)
    assert refused == []
    # 12 requests in windows of 5 make 3 windows, each opened at least 1.5 s after the last
    # (a lower bound: a slow machine only widens it)
    assert server.arrivals[-1][0] - server.arrivals[0][0] >= 2 * 1.5 - ROUNDING


class _RecordingLimiter(AsyncLimiter):
    """aiolimiter's bucket, keeping the instant of each decision to let a request go.

    The instant is the one the limiter itself compared (its clock is the event loop's,
    which is ``time.monotonic``, the clock of the server's arrivals): unlike arrival
    times, which a busy machine can bunch together, these are what the limiter decided.
    """

    def __init__(self, max_rate: float, time_period: float = 60) -> None:
        super().__init__(max_rate, time_period)
        self.released: list[float] = []

    def has_capacity(self, amount: float = 1) -> bool:
        granted = super().has_capacity(amount)
        if granted:
            # has_capacity has just brought the bucket to "now": _last_check is that now
            self.released.append(self._last_check)
        return granted


def test_a_rate_of_the_callers_own_spaces_the_requests_evenly(
    scripted: Callable[..., ScriptedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    limiters: list[_RecordingLimiter] = []

    def recording(max_rate: float, time_period: float) -> _RecordingLimiter:
        limiters.append(_RecordingLimiter(max_rate, time_period))
        return limiters[-1]

    monkeypatch.setattr(np6._fanout_loop, "AsyncLimiter", recording)
    server = scripted(10)
    with _client(server) as client:
        items = list(client.raw.contacts_events(scripted_contacts(10), concurrency=4, rate_limit=20))
    every_event_once(items, server)
    # aiolimiter's bucket of one, drained 20 times a second: one request every 50 ms
    (limiter,) = limiters
    assert (limiter.max_rate, limiter.time_period) == (1, pytest.approx(1 / 20))
    released = limiter.released
    assert len(released) == 10, "one release per request"
    gaps = [later - earlier for earlier, later in itertools.pairwise(released)]
    assert min(gaps) >= 1 / 20 - ROUNDING
    # and each request waited for its release: the k-th arrival comes after the k-th release
    arrivals = sorted(arrival for arrival, _ in server.arrivals)
    assert all(arrival >= release for arrival, release in zip(arrivals, released, strict=True))


def test_the_sync_fan_out_refuses_a_transport_it_could_not_use(
    scripted: Callable[..., ScriptedServer],
) -> None:
    import httpx

    server = scripted(1)
    with _client(server, transport=httpx.HTTPTransport()) as client:
        with pytest.raises(np6.InvalidArgumentError, match="transport"):
            client.raw.contacts_events(scripted_contacts(1))
        assert len(list(client.raw.events(np6.Contact(id="c0")))) == 3


# --- failures -------------------------------------------------------------------------------


# --- memory: the input is read lazily, the output is bounded ---------------------------------


def test_contacts_are_read_lazily_and_stopping_early_ends_every_worker(
    scripted: Callable[..., ScriptedServer],
) -> None:
    server = scripted(1000)
    pulled = itertools.count()

    def endless() -> Iterator[np6.Contact]:
        for n in itertools.count():
            next(pulled)
            yield np6.Contact(id=f"c{n % 1000}")

    with _client(server) as client:
        fan_out = client.raw.contacts_events(endless(), concurrency=4)
        for number, _ in enumerate(fan_out):
            if number == 20:
                break
        fan_out.close()
    # a bounded buffer: the workers stopped far short of the 1,000 contacts
    assert next(pulled) < 300
    assert not [thread for thread in threading.enumerate() if thread.name == "np6-fan-out"]


async def test_the_async_gate_pauses_the_other_tasks_too(scripted: Callable[..., ScriptedServer]) -> None:
    opened = time.monotonic() + 0.8

    def limited(number: int, contact: str, arrival: float) -> tuple[int, dict[str, str], bytes] | None:
        return (429, {"Retry-After": "0.8"}, b"{}") if number == 0 else None

    server = scripted(6, rule=limited)
    async with np6.AsyncClient(KEY, base_url=server.base_url) as client:
        first = asyncio.create_task(_drain(client.raw.events(np6.Contact(id="c0"))))
        async with asyncio.timeout(120):  # a bound for a hang, not a measure
            while client.gate.delay() == 0:  # until the 429 has come back and shut the gate
                await asyncio.sleep(0.01)
        others = [await _drain(client.raw.events(np6.Contact(id=f"c{n}"))) for n in range(1, 3)]
        assert await first == 3 and others == [3, 3]
    # a lower bound, so load cannot break it: the gate shut after the first arrival, for 0.8 s
    assert all(arrival >= opened - ROUNDING for arrival, _ in server.arrivals[1:])


async def _drain(stream: Any) -> int:
    return len([event async for event in stream])


# --- against the mock: decoded events, campaigns ------------------------------------------------


def test_decoded_events_and_campaigns_against_the_mock(server: MockServer, store: Store) -> None:
    with store.connect() as db:
        ids = [row[0] for row in db.execute("SELECT DISTINCT contact_id FROM events LIMIT 5")]
        campaigns = [row[0] for row in db.execute("SELECT DISTINCT campaign_id FROM events")]
        expected = db.execute(
            f"SELECT count(*) FROM events WHERE contact_id IN ({','.join('?' * len(ids))})", ids
        ).fetchone()[0]
        in_campaigns = db.execute("SELECT count(*) FROM events WHERE campaign_id != ''").fetchone()[0]
    with np6.Client(server.api_key, base_url=server.base_url) as client:
        items = list(client.contacts_events([np6.Contact(id=i) for i in ids], sort="asc"))
        assert len(items) == expected
        assert all(isinstance(item.event, np6.Event) for item in items)
        by_contact: dict[str, list[int]] = {}
        for item in items:
            by_contact.setdefault(item.target.id, []).append(item.event.timestamp)
        assert all(stamps == sorted(stamps) for stamps in by_contact.values())
        tagged = list(client.raw.campaigns_events(campaigns, concurrency=2))
        assert len(tagged) == in_campaigns
        assert {item.target for item in tagged} == set(campaigns)


# --- the command line --------------------------------------------------------------------------


def _np6(server: MockServer, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NP6_API_KEY": server.api_key}
    command = [NP6, "events", *args, "--base-url", server.base_url]
    run = {"input": stdin, "capture_output": True, "text": True, "env": env, "timeout": 120}
    return subprocess.run(command, check=False, **run)


def test_events_of_a_file_of_ids_carry_their_contact_and_report_failures(
    server: MockServer, store: Store, tmp_path: Path
) -> None:
    with store.connect() as db:
        ids = [row[0] for row in db.execute("SELECT DISTINCT contact_id FROM events ORDER BY 1 LIMIT 6")]
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join([*ids[:3], "no-such-contact", "", *ids[3:]]) + "\n", encoding="utf-8")
    result = _np6(server, "--id-file", str(listed), "--concurrency", "2", "--sort", "asc")
    assert result.returncode == 4  # the exit status of a contact not found, as for one contact
    assert "1 of 7 contacts failed" in result.stderr
    assert "id no-such-contact: 404" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for contact in ids:
        sent = [r["event"] for r in records if r["contact"] == {"id": contact}]
        # lossless: each event exactly as the server sent it, in the order asked
        assert sent == events_in_db(store, "contact_id = ? ORDER BY timestamp, seq", (contact,))
    assert len(records) == sum(len(events_in_db(store, "contact_id = ?", (c,))) for c in ids)


def test_unicity_values_on_standard_input_and_no_failure_exit_zero(server: MockServer, store: Store) -> None:
    with store.connect() as db:
        rows = db.execute("SELECT id, unicity FROM contacts WHERE unicity IS NOT NULL LIMIT 3").fetchall()
    result = _np6(server, "--unicity-file", "-", "--format", "csv", stdin="\n".join(u for _, u in rows))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("asked,type,id,timestamp")
    expected = sum(len(events_in_db(store, "contact_id = ?", (i,))) for i, _ in rows)
    assert len(lines) == 1 + expected
    assert {line.split(",")[0] for line in lines[1:]} <= {f"unicity={u}" for _, u in rows}


def test_a_failed_contact_leaves_the_output_file_partial(
    server: MockServer, store: Store, tmp_path: Path
) -> None:
    with store.connect() as db:
        (known,) = db.execute(
            "SELECT c.hash FROM contacts c JOIN events e ON e.contact_id = c.id AND e.type = 'hit' "
            "WHERE c.hash IS NOT NULL LIMIT 1"
        ).fetchone()
    output = tmp_path / "events.jsonl"
    stdin = f"{known}\nunknown-hash\n"
    result = _np6(server, "--hash-file", "-", "--kind", "hits", "-o", str(output), stdin=stdin)
    assert result.returncode == 4
    assert "1 of 2 contacts failed" in result.stderr
    # the other contact's events are kept, in a file that does not look complete
    assert not output.exists()
    (partial,) = tmp_path.glob("events.jsonl.*.partial")
    assert f"are in {partial}" in result.stderr
    records = [json.loads(line) for line in partial.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["contact"] == {"hash": known} for r in records)


def test_more_workers_than_the_rate_limit_allows_fail_no_contact(store: Store) -> None:
    """Requests already on their way when a window fills get 429s: waited out, never a failure."""
    with store.connect() as db:
        ids = [row[0] for row in db.execute("SELECT DISTINCT contact_id FROM events LIMIT 30")]
    with MockServer(store, rate_limit=5) as server:
        with np6.Client(server.api_key, base_url=server.base_url, max_retries=0) as client:
            items = list(client.raw.contacts_events([np6.Contact(id=i) for i in ids], concurrency=8))
    failed = [item for item in items if isinstance(item, np6.Failed)]
    assert failed == []
    assert {item.target.id for item in items} <= set(ids)


def test_a_failed_contact_with_control_characters_is_shown_escaped(server: MockServer) -> None:
    result = _np6(server, "--id-file", "-", stdin="no\x1b[2Jsuch\n")
    assert result.returncode == 4
    assert "id no\\x1b[2Jsuch: 404" in result.stderr
    assert "\x1b" not in result.stderr
