"""Faults over a real socket: retries, resuming cut streams, loud failures, no key leaks."""

from __future__ import annotations

import copy
import json
import logging
import random
from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis.strategies as st
import np6
import pytest
from helpers import Recorder, recording_policy
from hypothesis import given
from np6_mock import MockServer, Store

KEY = "sk-live-VERY-SECRET-0123456789"


@pytest.fixture
def sleeps() -> list[float]:
    """The waits np6 asks for, recorded by the retry policy instead of slept."""
    return []


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def faulty(server: MockServer, recorder: Recorder, sleeps: list[float]) -> Iterator[np6.Client]:
    with np6.Client(
        server.api_key,
        base_url=server.base_url,
        transport=recorder.transport(),
        retry_policy=recording_policy(sleeps),
    ) as client:
        yield client


def test_429_then_success_honours_retry_after(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("status=429,retry-after=3,times=1")
    events = list(faulty.events(contact))
    assert events
    assert sleeps == [3.0]


def test_503_twice_then_success(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("status=503,retry-after=0,times=2")
    assert list(faulty.events(contact))
    assert len(sleeps) == 2


def test_retries_exhausted_raise_the_typed_error_with_the_attempt_count(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("status=503,retry-after=0")
    with pytest.raises(np6.ServerError, match="after 3 attempts") as caught:
        list(faulty.events(contact))
    assert caught.value.status_code == 503
    assert caught.value.attempts == 3
    assert recorder.all_closed


def test_backoff_without_retry_after_doubles(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("status=502")
    with pytest.raises(np6.ServerError):
        list(faulty.events(contact, max_retries=3))
    assert len(sleeps) == 3
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0 and 1.0 <= sleeps[2] <= 2.0


def test_a_429_without_retries_left_carries_retry_after(
    server: MockServer, contact: np6.Contact, sleeps: list[float]
) -> None:
    recorder = Recorder("status=429,retry-after=7")
    policy = recording_policy(sleeps, max_retries=0, max_rate_limited=0)
    with np6.Client(
        server.api_key, base_url=server.base_url, transport=recorder.transport(), retry_policy=policy
    ) as client:
        with pytest.raises(np6.RateLimitError) as caught:
            list(client.events(contact))
    assert caught.value.retry_after == 7.0
    assert len(recorder.requests) == 1


def test_429s_do_not_use_up_retries_but_are_bounded(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("status=429,retry-after=0,times=4")
    assert list(faulty.events(contact, max_retries=0))
    assert len(sleeps) == 4
    recorder.set_fault("status=429,retry-after=0")
    sleeps.clear()
    with pytest.raises(np6.RateLimitError, match="after 13 attempts"):
        list(faulty.events(contact))
    assert len(sleeps) == 12  # 10 rate-limited waits, then the 2 ordinary retries


def test_retry_after_as_an_http_date() -> None:
    from np6._retries import parse_retry_after

    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None


def test_resume_skips_only_the_events_already_seen_at_the_tied_timestamp(
    faulty: np6.Client, store: Any, sleeps: list[float], recorder: Recorder
) -> None:
    with store.connect() as db:
        campaign, timestamp, ties = db.execute(
            "SELECT campaign_id, timestamp, count(*) FROM events GROUP BY campaign_id, timestamp "
            "HAVING count(*) > 1 ORDER BY timestamp LIMIT 1"
        ).fetchone()
        before = db.execute(
            "SELECT count(*) FROM events WHERE campaign_id = ? AND timestamp < ?", (campaign, timestamp)
        ).fetchone()[0]
        total = db.execute("SELECT count(*) FROM events WHERE campaign_id = ?", (campaign,)).fetchone()[0]
    assert ties >= 2
    recorder.set_fault(f"cut-after={before + 1},times=1")  # one of the tied events seen, the others not
    got = [e["id"] for e in faulty.raw.campaign_events(campaign, sort="asc")]
    assert len(got) == len(set(got)) == total
    assert len(sleeps) == 1, "the stream was cut once and resumed"
    assert [r.url.params.get("start") for r in recorder.requests] == [None, str(timestamp)]


@pytest.fixture(scope="module")
def repeats_server(
    tmp_path_factory: pytest.TempPathFactory, np6_examples: dict[str, Any]
) -> Iterator[MockServer]:
    """A mock serving events NP6 might send: repeated, without ids, tied on one instant."""
    base = np6_examples["np6Activations"][0]

    def event(timestamp: int, identity: str | None, tag: str) -> dict[str, Any]:
        made = {**copy.deepcopy(base), "timestamp": timestamp, "tag": tag}
        if identity is None:
            del made["id"]
        else:
            made["id"] = identity
        return made

    events = [
        event(1000, "0b1f7c57-0000-4000-8000-000000000001", "first"),
        event(2000, None, "no id"),
        event(2000, None, "no id"),  # the same event twice, without an id
        event(2000, "0b1f7c57-0000-4000-8000-000000000002", "twice"),
        event(2000, "0b1f7c57-0000-4000-8000-000000000002", "twice"),
        event(2000, None, "no id, other"),
        event(3000, "0b1f7c57-0000-4000-8000-000000000003", "last"),
    ]
    source = tmp_path_factory.mktemp("repeats") / "events.jsonl"
    source.write_text("".join(json.dumps(e) + "\n" for e in events))
    store = Store.from_jsonl(source)
    with MockServer(store) as server:
        yield server
    store.close()


def _canonical(events: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(e, sort_keys=True) for e in events)


def test_sort_asc_keeps_repeated_and_id_less_events(repeats_server: MockServer) -> None:
    with np6.Client(repeats_server.api_key, base_url=repeats_server.base_url) as client:
        unsorted = list(client.raw.activations(np6.Contact(id="000R4M0T")))
        ascending = list(client.raw.activations(np6.Contact(id="000R4M0T"), sort="asc"))
    assert len(unsorted) == 7
    assert _canonical(ascending) == _canonical(unsorted)


@pytest.mark.parametrize("cut", range(1, 7))
def test_a_resume_yields_repeated_and_id_less_events_exactly_as_often_as_sent(
    repeats_server: MockServer, cut: int, sleeps: list[float]
) -> None:
    recorder = Recorder()
    with np6.Client(
        repeats_server.api_key,
        base_url=repeats_server.base_url,
        transport=recorder.transport(),
        retry_policy=recording_policy(sleeps),
    ) as client:
        expected = list(client.raw.activations(np6.Contact(id="000R4M0T"), sort="asc"))
        recorder.set_fault(f"cut-after={cut},times=1")
        got = list(client.raw.activations(np6.Contact(id="000R4M0T"), sort="asc"))
    assert len(sleeps) == 1, "the cut happened and was resumed"
    assert _canonical(got) == _canonical(expected)


def _cut_after(events: list[dict[str, Any]]) -> httpx.MockTransport:
    """A transport whose body breaks off (a reset connection) after ``events``."""

    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield ("[" + ",".join(json.dumps(e) for e in events) + ",").encode()
            raise httpx.ReadError("connection reset by peer")

    return httpx.MockTransport(lambda request: httpx.Response(200, stream=Broken()))


@pytest.mark.parametrize(
    ("timestamps", "reason"),
    [
        ([1000, None, 2000], "event #2 has no integer timestamp"),
        ([1000, 3000, 2000], "event #3 is older than the one before it"),
    ],
)
def test_a_cut_that_cannot_be_resumed_exactly_raises_instead(
    np6_examples: dict[str, Any], timestamps: list[int | None], reason: str, sleeps: list[float]
) -> None:
    events = []
    for number, timestamp in enumerate(timestamps):
        made = {**copy.deepcopy(np6_examples["np6Activations"][0]), "id": f"event-{number}"}
        made["timestamp"] = timestamp
        events.append(made)
    with np6.Client(
        KEY, base_url="https://np6.test", transport=_cut_after(events), retry_policy=recording_policy(sleeps)
    ) as client:
        seen = 0
        with pytest.raises(np6.StreamTruncatedError, match=reason) as caught:
            for _ in client.raw.activations(np6.Contact(id="x"), sort="asc"):
                seen += 1
    assert seen == caught.value.events_yielded == 3
    assert sleeps == []


def test_a_cut_before_any_event_is_retried_from_scratch(
    faulty: np6.Client, sample: dict[str, Any], sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("cut-after=0,times=1")
    assert list(faulty.campaign_events(sample["campaign"]))
    assert len(sleeps) == 1
    assert [r.url.params.get("start") for r in recorder.requests] == [None, None]


def test_cuts_beyond_the_retry_budget_fail_loudly(
    faulty: np6.Client, sample: dict[str, Any], sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("cut-after=5")
    with pytest.raises(np6.StreamTruncatedError, match="after 3 attempts"):
        list(faulty.campaign_events(sample["campaign"], sort="asc"))
    assert len(sleeps) == 2 and len(recorder.requests) == 3
    assert recorder.all_closed


def test_a_server_that_stalls_mid_body_is_a_truncation(
    server: MockServer, sample: dict[str, Any], sleeps: list[float]
) -> None:
    gate = f"stall-{random.getrandbits(32)}"
    recorder = Recorder(f"hold-after=5,gate={gate}")
    # 3 s: ten times what a busy machine takes to send the first events, so only the stall times out
    with np6.Client(
        server.api_key, base_url=server.base_url, timeout=3, max_retries=0, transport=recorder.transport()
    ) as client:
        seen = 0
        try:
            with pytest.raises(np6.StreamTruncatedError, match=r"after 5 events.*ReadTimeout"):
                for _ in client.campaign_events(sample["campaign"]):
                    seen += 1
        finally:
            server.open_gate(gate)
    assert seen == 5


def test_a_drip_of_one_byte_chunks_decodes_the_same(
    faulty: np6.Client, contact: np6.Contact, recorder: Recorder
) -> None:
    expected = [e.to_dict() for e in faulty.stop_responses(contact, sort="asc")] + [
        e.to_dict() for e in faulty.bounces(contact, sort="asc")
    ]
    recorder.set_fault("drip=1")
    got = [e.to_dict() for e in faulty.stop_responses(contact, sort="asc")] + [
        e.to_dict() for e in faulty.bounces(contact, sort="asc")
    ]
    assert got == expected


def test_a_proxy_html_502_gives_status_and_excerpt(
    faulty: np6.Client, contact: np6.Contact, sleeps: list[float], recorder: Recorder
) -> None:
    recorder.set_fault("html=502")
    with pytest.raises(np6.ServerError) as caught:
        list(faulty.events(contact))
    message = str(caught.value)
    assert message.startswith("502 Bad Gateway from GET ")
    assert "<html><head><title>502 Bad Gateway" in message
    assert "Traceback" not in message


def test_malformed_json_says_where_and_how_many_events(
    faulty: np6.Client, sample: dict[str, Any], recorder: Recorder
) -> None:
    recorder.set_fault("malformed-after=20")
    with pytest.raises(np6.DecodeError, match=r"malformed JSON .* near byte \d+ after 20 events") as caught:
        list(faulty.campaign_events(sample["campaign"]))
    assert caught.value.events_yielded == 20
    assert caught.value.offset and caught.value.offset > 1000
    assert recorder.all_closed


def test_a_wrong_key_never_appears_in_messages_or_logs(
    server: MockServer, contact: np6.Contact, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with np6.Client(KEY, base_url=server.base_url) as client:
        assert KEY not in repr(client)
        assert KEY not in repr(client.generated)
        stream = client.events(contact)
        assert KEY not in repr(stream)
        with pytest.raises(np6.AuthenticationError) as caught:
            list(stream)
    assert caught.value.status_code == 401
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert caplog.records, "the np6 logger recorded the request"
    assert any("401" in r.getMessage() for r in caplog.records if r.name == "np6")
    for record in caplog.records:
        assert KEY not in record.getMessage()


def test_an_echoed_key_is_redacted_from_error_excerpts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"title": "Bad Request", "detail": f"key {request.headers['X-Key']} bad"}
        )

    client = np6.Client(KEY, base_url="https://np6.test", transport=httpx.MockTransport(handler))
    with pytest.raises(np6.BadRequestError) as caught:
        list(client.events(np6.Contact(id="x")))
    assert KEY not in str(caught.value) and "***" in str(caught.value)
    assert KEY not in caught.value.body_excerpt


def test_the_key_is_refused_over_plain_http_to_other_hosts() -> None:
    with pytest.raises(np6.InsecureTransportError, match="refusing to send the API key"):
        np6.Client(KEY, base_url="http://api-cm.np6.com")
    np6.Client(KEY, base_url="http://127.0.0.1:1").close()
    np6.Client(KEY, base_url="http://localhost:1").close()
    np6.Client(KEY, base_url="http://[::1]:1").close()
    np6.Client(KEY, base_url="http://np6.internal", allow_insecure_http=True).close()


def test_a_callers_http_client_cannot_route_the_key_around_the_transport_check(
    server: MockServer, contact: np6.Contact
) -> None:
    with pytest.raises(np6.InsecureTransportError, match="refusing to send the API key"):
        np6.Client(KEY, http_client=httpx.Client(base_url="http://np6.example.com"))
    with pytest.raises(np6.InvalidArgumentError, match="differ: give the server once"):
        np6.Client(KEY, base_url="https://np6.test", http_client=httpx.Client(base_url="https://other.test"))
    # the http_client's server when base_url is not given; np6's base_url when the client has none
    with np6.Client(server.api_key, http_client=httpx.Client(base_url=server.base_url)) as client:
        assert list(client.events(contact))
    with np6.Client(server.api_key, base_url=server.base_url, http_client=httpx.Client()) as client:
        assert list(client.events(contact))


def test_a_base_url_with_a_path_keeps_it(np6_examples: dict[str, Any]) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    transport = httpx.MockTransport(answer)
    with np6.Client(KEY, base_url="https://gateway.test/np6/", transport=transport) as client:
        list(client.hits(np6.Contact(hash="a b/c")))
        list(client.bounces(np6.Contact(id="a b/c")))
    assert str(seen[0].url) == "https://gateway.test/np6/targets/events/hits?hash=a+b%2Fc"
    assert str(seen[1].url) == "https://gateway.test/np6/targets/a%20b%2Fc/events/bounces"


def test_a_user_agent_names_the_package(server: MockServer, contact: np6.Contact) -> None:
    recorder = Recorder()
    with np6.Client(server.api_key, base_url=server.base_url, transport=recorder.transport()) as client:
        list(client.bounces(contact))
    assert recorder.requests[0].headers["User-Agent"].startswith(f"np6-python/{np6.__version__}")


def test_connection_refused_is_a_typed_error_after_retries(sleeps: list[float]) -> None:
    with np6.Client(
        KEY, base_url="http://127.0.0.1:9", retry_policy=recording_policy(sleeps, max_retries=1)
    ) as client:
        with pytest.raises(np6.APIConnectionError, match="after 2 attempts"):
            list(client.events(np6.Contact(id="x")))
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("body", "expected", "pattern"),
    [
        (b"", np6.DecodeError, "got an empty body"),
        (b'{"events": []}', np6.DecodeError, "got a JSON object"),
        (b"<!doctype html><p>maintenance", np6.DecodeError, "got a body starting '<!doctype html>"),
        (b'[{"type": "hit"}, 42]', np6.DecodeError, "event #2 is a JSON int, not an object"),
        (b'[{"type": "hit"}, {"type": "bounce"', np6.StreamTruncatedError, "after 1 events"),
        (b'[{"type": "hit"}] trailing', np6.DecodeError, "trailing garbage"),
        # ijson's C parser stops at integers beyond int64: a loud error, never a short stream
        (b'[{"type": "hit", "n": 92233720368547758070}]', np6.DecodeError, "integer overflow"),
    ],
)
def test_bodies_that_are_not_an_array_of_objects_fail_typed(
    body: bytes, expected: type, pattern: str
) -> None:
    client = np6.Client(
        KEY,
        base_url="https://np6.test",
        max_retries=0,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body)),
    )
    with pytest.raises(expected, match=pattern):
        list(client.events(np6.Contact(id="x")))


@given(data=st.data())
def test_fuzzed_bodies_only_raise_np6_errors(np6_examples: dict[str, Any], data: st.DataObject) -> None:
    body = bytearray(json.dumps(np6_examples["np6MixedEvents"]).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["truncate", "flip", "insert"]))
        position = data.draw(st.integers(0, max(len(body) - 1, 0)))
        if action == "truncate":
            del body[position:]
        elif action == "flip" and body:
            body[position] ^= data.draw(st.integers(1, 255))
        else:
            body[position:position] = data.draw(st.binary(min_size=1, max_size=8))
    client = np6.Client(
        KEY,
        base_url="https://np6.test",
        max_retries=0,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=bytes(body))),
    )
    try:
        for event in client.events(np6.Contact(id="x")):
            event.to_dict()
            _ = event.deviations
    except np6.Error:
        pass
