"""Hostile servers over raw sockets: the key never leaks, np6 never falls over, nothing changes silently.

Each test stands for a class of failure (issue 14), played byte for byte by a
:class:`RawServer`; the property test at the end throws generated answers at both
clients and checks every promise at once.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import subprocess
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import hypothesis.strategies as st
import np6
import pytest
from _async import drive as async_drive
from _sync import drive as sync_drive
from helpers import NP6, RawServer, everything_shown, http_response, leaked, recording_policy
from hypothesis import given, settings
from np6._jsonguard import MAX_DEPTH, JsonGuard

KEY = "sk-live-HOSTILE-Secret/0123456789"
CONTACT = np6.Contact(id="c1")


def event(n: int, timestamp: int | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "hit", "id": f"e{n}", "timestamp": 1000 + n if timestamp is None else timestamp, **extra}


def array(*events: dict[str, Any]) -> bytes:
    return json.dumps(list(events)).encode()


def answer(*responses: bytes | list[Any]) -> Callable[[bytes, int], list[Any]]:
    """A script giving the n-th connection the n-th response (the last one repeats)."""

    def script(request: bytes, index: int) -> list[Any]:
        chosen = responses[min(index, len(responses) - 1)]
        return chosen if isinstance(chosen, list) else [chosen]

    return script


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def client(server: RawServer, **kwargs: Any) -> np6.Client:
    kwargs.setdefault("retry_policy", recording_policy([], max_retries=kwargs.pop("max_retries", 2)))
    return np6.Client(kwargs.pop("api_key", KEY), base_url=server.base_url, **kwargs)


def async_client(server: RawServer, **kwargs: Any) -> np6.AsyncClient:
    kwargs.setdefault("retry_policy", recording_policy([], max_retries=kwargs.pop("max_retries", 2)))
    return np6.AsyncClient(kwargs.pop("api_key", KEY), base_url=server.base_url, **kwargs)


def _drive_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    key = kwargs.pop("api_key", KEY)
    kwargs.setdefault("retry_policy", recording_policy([], max_retries=kwargs.pop("max_retries", 2)))
    return {"key": key, **kwargs}


def collect(server: RawServer, **kwargs: Any) -> list[Any]:
    """Every raw event of one call; ``follow=True`` goes through a caller's client that follows redirects."""
    return sync_drive.raw_events(server.base_url, CONTACT, **_drive_options(kwargs))


async def acollect(server: RawServer, **kwargs: Any) -> list[Any]:
    """:func:`collect` with the async client."""
    return await async_drive.raw_events(server.base_url, CONTACT, **_drive_options(kwargs))


def both(server: RawServer, **kwargs: Any) -> list[list[Any] | BaseException]:
    """What the sync and the async client each give for the same server (a list, or the exception)."""
    outcomes: list[list[Any] | BaseException] = []
    runs = (lambda: collect(server, **dict(kwargs)), lambda: asyncio.run(acollect(server, **dict(kwargs))))
    for run in runs:
        server.requests.clear()  # each client meets the script from its start
        try:
            outcomes.append(run())
        except BaseException as error:  # what escapes is what the test judges
            outcomes.append(error)
    return outcomes


def assert_no_key(error: BaseException, key: str = KEY, chain_free: bool = True) -> None:
    """``error`` is an np6 error that shows no run of the key anywhere.

    ``chain_free``: it comes without a chain (errors after a request: httpx's carry the key header).
    """
    assert isinstance(error, np6.Error), repr(error)
    shown = everything_shown(error)
    runs = leaked(key, shown)
    assert not runs, shown[max(0, shown.find(runs[0]) - 600) : shown.find(runs[0]) + 100]
    if chain_free:
        assert error.__context__ is None
        assert error.__cause__ is None


# --- the key leaks ------------------------------------------------------------------------


def test_a_key_with_surrounding_whitespace_is_stripped(raw: RawServer) -> None:
    raw.script = answer(http_response(body=array(event(1))))
    assert collect(raw, api_key=f"  {KEY}\n") == [event(1)]
    assert raw.header(0, "X-Key") == KEY


@pytest.mark.parametrize(
    "bad_key",
    [f"{KEY}é", f"{KEY[:10]}\n{KEY[10:]}", f"{KEY[:10]} {KEY[10:]}", f"{KEY}\x00", "ключ-ключ-ключ"],
)
def test_a_key_that_cannot_be_a_header_is_refused_before_any_request(raw: RawServer, bad_key: str) -> None:
    for make in (np6.Client, np6.AsyncClient):
        with pytest.raises(np6.InvalidArgumentError) as caught:
            make(bad_key, base_url=raw.base_url)
        assert "the key is not shown" in str(caught.value)
        assert_no_key(caught.value, bad_key)
    assert raw.requests == []


def _echoes(key: str) -> list[bytes]:
    escaped = json.dumps({"message": f"bad key {key}"}).replace("/", "\\/").encode()
    unicode_escaped = json.dumps({"detail": key}, ensure_ascii=True).replace("S", "\\u0053").encode()
    percent = "".join(f"%{ord(c):02X}" for c in key).encode()
    return [
        escaped,  # PHP writes / as \/
        unicode_escaped,
        b" " * 2040 + key.encode(),  # the excerpt is cut after masking
        b"<html>" + key.encode() + b"</html>",
        b"key=" + percent,
        json.dumps({"error": {"nested": key}}).encode(),
        json.dumps({"title": key[:12], "detail": key[12:]}).encode(),
    ]


@pytest.mark.parametrize("body", _echoes(KEY))
@pytest.mark.parametrize("status", [401, 400, 503])
def test_an_echoed_key_never_shows_in_any_escaping(raw: RawServer, body: bytes, status: int) -> None:
    raw.script = answer(http_response(status, body, {"X-Echo": KEY, "Retry-After": "0"}))
    for outcome in both(raw, max_retries=1):
        assert isinstance(outcome, np6.APIStatusError)
        assert outcome.status_code == status
        assert_no_key(outcome)


def test_a_key_with_markup_characters_is_masked_when_echoed_as_html_or_xml(raw: RawServer) -> None:
    import html

    key = "Sup&r<Secr&t>Key'1\"2<3456"
    for body in (html.escape(key).encode(), html.escape(key, quote=False).encode(), key.encode()):
        raw.script = answer(http_response(401, b"<p>" + body + b"</p>"))
        with np6.Client(key, base_url=raw.base_url, max_retries=0) as client:
            with pytest.raises(np6.AuthenticationError) as caught:
                list(client.events(np6.Contact(id="x")))
        assert_no_key(caught.value, key)
        # what reads the message as markup (an XML report, a browser) sees no key either
        assert leaked(key, html.unescape(everything_shown(caught.value))) == []


def test_tracebacks_with_locals_and_chains_carry_no_key(raw: RawServer) -> None:
    """A cut, a malformed body, a refused connection: formatted as Sentry or rich would."""
    raw.script = answer(
        [http_response(body=b'[{"type": "hit", "k": "' + KEY.encode() + b'"}, ' + KEY.encode(), length=False)]
    )
    for outcome in both(raw, max_retries=0):
        assert isinstance(outcome, np6.DecodeError)
        assert_no_key(outcome)
    raw.script = answer([http_response(body=b'[{"a": "' + KEY.encode() + b'"},', length=False)])
    for outcome in both(raw, max_retries=0):
        assert isinstance(outcome, np6.StreamTruncatedError)
        assert_no_key(outcome)
    refused = RawServer()
    refused.close()
    for outcome in both(refused, max_retries=0):
        assert isinstance(outcome, np6.APIConnectionError)
        assert_no_key(outcome)


def test_debug_logs_of_every_logger_carry_no_key(raw: RawServer, caplog: pytest.LogCaptureFixture) -> None:
    raw.script = answer(
        http_response(503, json.dumps({"message": KEY}).encode(), {"X-Echo": KEY, "Retry-After": "0"}),
        http_response(body=array(event(1)), headers={"X-Echo": KEY, "Set-Cookie": f"k={KEY}"}),
    )
    with caplog.at_level(logging.DEBUG):
        outcomes = both(raw)
    assert outcomes[0] == [event(1)]
    records = [record.getMessage() for record in caplog.records]
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert not leaked(KEY, "\n".join(records))


# --- the key goes where it must not -----------------------------------------------------------


def test_environment_proxies_never_carry_a_plain_http_request(
    raw: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw.script = answer(http_response(body=array(event(1))))
    with RawServer(answer(http_response(body=b"[]"))) as proxy:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.base_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        assert both(raw) == [[event(1)], [event(1)]]
        assert proxy.requests == []
        # a caller's client that would route through the proxy is refused, before any request
        with pytest.raises(np6.InsecureTransportError), httpx.Client(base_url=raw.base_url) as own:
            np6.Client(KEY, http_client=own)
        assert proxy.requests == []


def test_the_proxy_check_fails_closed_when_httpx_hides_its_routing(
    raw: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx has no public routing API: should a later version rename the private one np6
    # reads, a caller's client for a plain-http server is refused, not waved through
    monkeypatch.delattr(httpx.Client, "_transport_for_url")
    with pytest.raises(np6.InsecureTransportError, match="cannot tell"), httpx.Client(trust_env=False) as own:
        np6.Client(KEY, base_url=raw.base_url, http_client=own)
    assert raw.requests == []


@pytest.mark.parametrize("loop", [False, True])
def test_a_callers_client_following_redirects_never_takes_the_key_elsewhere(loop: bool) -> None:
    with RawServer(host="127.0.0.1") as origin, RawServer(host="localhost") as elsewhere:
        target = f"{origin.base_url}/again" if loop else f"{elsewhere.base_url}/steal"
        origin.script = answer(http_response(302, b"", {"Location": target}))
        with (
            httpx.Client(base_url=origin.base_url, follow_redirects=True, trust_env=False) as own,
            np6.Client(KEY, http_client=own, max_retries=0) as np6_client,
            pytest.raises(np6.APIStatusError) as caught,
        ):
            list(np6_client.events(CONTACT))
        assert caught.value.status_code == 302
        assert_no_key(caught.value)
        assert elsewhere.requests == []
        assert len(origin.requests) == 1


# --- the process falls over -----------------------------------------------------------------


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_nesting_beyond_the_limit_is_a_decode_error_in_bounded_memory(raw: RawServer, opener: bytes) -> None:
    body = b'[{"type": "hit", "data": ' + opener * 200_000
    raw.script = answer(http_response(body=body))
    tracemalloc.start()
    try:
        outcomes = both(raw, max_retries=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    for outcome in outcomes:
        assert isinstance(outcome, np6.DecodeError)
        assert f"more than {MAX_DEPTH} levels" in str(outcome)
    assert peak < 64 * 2**20


def test_nesting_at_the_limit_decodes_and_every_consumer_copes(raw: RawServer) -> None:
    depth = MAX_DEPTH - 2  # the events array and the event object are two levels
    nested: Any = "bottom"
    for level in range(depth):
        nested = [nested] if level % 2 else {"type": nested}
    raw.script = answer(http_response(body=array(event(1, data=nested))))
    sent = event(1, data=nested)
    assert both(raw) == [[sent], [sent]]
    with client(raw) as np6_client:
        (decoded,) = list(np6_client.events(CONTACT))
    assert decoded.to_dict() == sent
    assert decoded.deviations is not None
    json.dumps(sent)


def test_a_long_token_reaches_the_decoder_in_one_piece() -> None:
    """ijson re-reads a token that spans chunks at every chunk: np6 hands it over whole."""
    guard = JsonGuard()
    pieces = [b'[{"a": "', *[b"x" * 1000] * 50, b"\\", b'"tail", "n": 12', b"34", b"5}]"]
    handed = [guard.feed(piece) for piece in pieces]
    assert handed[1:-3] == [b""] * (len(pieces) - 4)  # the string's pieces are held until it ends
    assert b"".join(handed) == b"".join(pieces)
    assert handed[-3].startswith(b'"' + b"x" * 50_000 + b'\\"tail"')
    assert handed[-2] == b""  # so is the number's
    assert handed[-1].startswith(b"12345")
    assert json.loads(b"".join(handed)) == [{"a": "x" * 50_000 + '"tail', "n": 12345}]


def test_whitespace_long_strings_and_long_numbers_stream_whole(raw: RawServer) -> None:
    long = "y" * (8 * 2**20)
    events = array(event(1, long=long), event(2))
    number = b"0." + b"1" * (4 * 2**20)
    body = b" \n" * 2**20 + b"[" + b" " * 4 * 2**20 + events[1:-1] + b', {"n": ' + number + b"}]"
    raw.script = answer(http_response(body=body))
    expected = json.loads(body)
    assert both(raw) == [expected, expected]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "9" * 20, "-5", "soon", "\u00e9"])
def test_any_retry_after_is_a_bounded_wait(raw: RawServer, value: str) -> None:
    raw.script = answer(
        http_response(503, b"{}", [("Retry-After", value.encode("utf-8").decode("latin-1"))]),
        http_response(body=array(event(1))),
    )
    waits: list[float] = []
    policy = recording_policy(waits, retry_after_max=30)
    assert both(raw, retry_policy=policy) == [[event(1)], [event(1)]]
    assert len(waits) == 2
    assert all(0 <= wait <= 30 for wait in waits)
    assert np6.RetryPolicy().delay(10**6) <= np6.RetryPolicy().backoff_max


def test_a_deadline_ends_a_trickling_server(raw: RawServer) -> None:
    head = http_response(body=b"", length=False)
    raw.script = answer([head, b"[", *[0.05, b" "] * 400])
    for outcome in both(raw, deadline=0.5):
        assert isinstance(outcome, np6.APITimeoutError)
        assert "deadline of 0.5 s" in str(outcome)
    with client(raw) as np6_client, pytest.raises(np6.APITimeoutError):
        list(np6_client.events(CONTACT, deadline=0.3))


def test_a_clients_deadline_bounds_each_contact_of_a_fan_out(raw: RawServer) -> None:
    """The sync fan-out runs on a twin AsyncClient in a thread: it once dropped the deadline."""
    head = http_response(body=b"", length=False)
    raw.script = answer([head, b"[", *[0.05, b" "] * 400, b"]"])
    with client(raw, deadline=0.5) as np6_client:
        (item,) = list(np6_client.raw.contacts_events([CONTACT]))
    assert isinstance(item, np6.Failed) and isinstance(item.error, np6.APITimeoutError)


def test_a_fan_out_that_fails_keeps_no_event_in_its_frames(raw: RawServer) -> None:
    """An event echoing the key, then a cut: the traceback's captured locals must not show it."""
    body = b'[{"type": "hit", "id": "' + KEY.encode() + b'", "timestamp": 1},'
    raw.script = answer([http_response(body=body, length=False)])
    with client(raw, max_retries=0) as np6_client, pytest.raises(np6.StreamTruncatedError) as caught:
        for _ in np6_client.raw.contacts_events([CONTACT], fail_fast=True):
            pass
    assert leaked(KEY, everything_shown(caught.value)) == []

    async def fan_out() -> BaseException:
        async with np6.AsyncClient(KEY, base_url=raw.base_url, max_retries=0) as aclient:
            try:
                async for _ in aclient.raw.contacts_events([CONTACT], fail_fast=True):
                    pass
            except np6.Error as error:
                return error
        raise AssertionError("the cut was not reported")

    assert leaked(KEY, everything_shown(asyncio.run(fan_out()))) == []


def test_a_deadline_shortens_retry_waits(raw: RawServer) -> None:
    raw.script = answer(http_response(503, b"{}", {"Retry-After": "20"}))
    with np6.Client(KEY, base_url=raw.base_url, deadline=1) as np6_client, pytest.raises(np6.APITimeoutError):
        list(np6_client.events(CONTACT))
    assert len(raw.requests) == 1


def test_timeout_holds_with_a_callers_http_client(raw: RawServer) -> None:
    # np6's 3 s read timeout must end a 20 s stall; with the caller's 120 s the stall would end
    # first, on a body cut after "[" (no ReadTimeout). 3 s: ten times what a busy machine takes
    # to send a header over loopback, so only the stall can time out.
    raw.script = answer([http_response(body=b"", length=False), b"[", 20.0])
    with (
        httpx.Client(base_url=raw.base_url, timeout=120, trust_env=False) as own,
        np6.Client(KEY, http_client=own, timeout=3, max_retries=0) as np6_client,
        pytest.raises(np6.StreamTruncatedError, match="ReadTimeout"),
    ):
        list(np6_client.events(CONTACT))


# --- errors that are not np6 errors -------------------------------------------------------------


def _gzip_lie(body: bytes, status: int = 200) -> bytes:
    return http_response(status, b"\x1f\x8b not gzip at all " + body, {"Content-Encoding": "gzip"})


def test_a_body_that_lies_about_gzip_keeps_each_status_meaning(raw: RawServer) -> None:
    raw.script = answer(_gzip_lie(b"{}", 401))
    for outcome in both(raw):
        assert isinstance(outcome, np6.AuthenticationError)
        assert "could not be read" in str(outcome)
    raw.script = answer(_gzip_lie(b"{}", 503), http_response(body=array(event(1))))
    assert both(raw) == [[event(1)], [event(1)]]
    raw.script = answer(_gzip_lie(array(event(1))), http_response(body=array(event(1))))
    assert both(raw) == [[event(1)], [event(1)]]
    raw.script = answer(_gzip_lie(array(event(1))))
    for outcome in both(raw):
        assert isinstance(outcome, np6.DecodeError)


def test_gzip_that_breaks_mid_stream_resumes_with_sort_asc(raw: RawServer) -> None:
    first = array(event(1), event(2), event(3))[:-1] + b", "
    packer = zlib.compressobj(wbits=31)
    good = packer.compress(first) + packer.flush(zlib.Z_SYNC_FLUSH)
    head = http_response(body=good, headers={"Content-Encoding": "gzip"}, length=False)
    cut = [head, 0.1, b"garbage, not deflate" * 10]
    whole = array(event(3), event(4))
    raw.script = answer(cut, http_response(body=gzip.compress(whole), headers={"Content-Encoding": "gzip"}))
    for outcome in both(raw, options={"sort": "asc"}):
        assert outcome == [event(1), event(2), event(3), event(4)]


@pytest.mark.parametrize(
    "text",
    [
        r'["\ud800"]',
        r'["\udc00"]',
        r'["a\ud800\u0041"]',
        r'[{"\ud800": 1, "?": 2}]',
        r'["\udc00\ud800"]',
        r'["\"\ud800"]',
        r'["\\\udc00"]',
    ],
)
def test_a_lone_surrogate_is_a_decode_error_never_a_question_mark(raw: RawServer, text: str) -> None:
    raw.script = answer(http_response(body=f'[{{"type": "hit", "v": {text}}}]'.encode()))
    for outcome in both(raw, max_retries=0):
        assert isinstance(outcome, np6.DecodeError)
        assert "surrogate" in str(outcome)


@pytest.mark.parametrize("text", [r'"\ud83d\ude00"', r'"\\ud800"', r'"\\\ud83d\ude00"', r'"\\\\udc00"'])
def test_surrogate_look_alikes_decode_exactly_as_json_does(raw: RawServer, text: str) -> None:
    """A pair, and escaped backslashes before the letter u, are valid text: kept exactly."""
    body = f'[{{"type": "hit", "v": {text}}}]'.encode()
    raw.script = answer(http_response(body=body))
    expected = json.loads(body)
    assert both(raw) == [expected, expected]


@pytest.mark.parametrize("number", [str(-(2**63)), str(2**64), "1e400"])
def test_a_number_the_decoder_cannot_hold_is_a_loud_decode_error(raw: RawServer, number: str) -> None:
    raw.script = answer(http_response(body=f'[{{"type": "hit", "v": {number}}}]'.encode()))
    for outcome in both(raw, max_retries=0):
        assert isinstance(outcome, np6.DecodeError)
        assert "beyond what np6 decodes exactly" in str(outcome)


def test_a_nested_type_that_is_not_a_string_is_an_unknown_kind(raw: RawServer) -> None:
    odd = event(1, source={"type": ["email"], "detail": {"type": {"a": 1}}}, identity={"type": [[1]]})
    raw.script = answer(http_response(body=array(odd, event(2, type={"k": []}))))
    with client(raw) as np6_client:
        first, second = list(np6_client.events(CONTACT))
    assert first.source is not None
    assert any("unknown kind" in deviation for deviation in first.deviations)
    assert isinstance(second, np6.UnknownEvent)
    assert second.to_dict() == event(2, type={"k": []})


@settings(max_examples=40, deadline=None)
@given(
    value=st.text(max_size=40) | st.integers(1, 3).map(lambda n: "ab" * 35_000 * n),
    selector=st.sampled_from(["id", "unicity", "hash", "campaign"]),
    start=st.none() | st.text(max_size=12) | st.integers(),
)
def test_any_argument_is_sent_or_refused_as_an_np6_error(
    raw: RawServer, value: str, selector: str, start: Any
) -> None:
    raw.script = answer(http_response(body=b"[]"))
    with client(raw, max_retries=0) as np6_client:
        try:
            if selector == "campaign":
                list(np6_client.campaign_events(value, start=start))
            else:
                list(np6_client.hits(np6.Contact(**{selector: value}), start=start))
        except np6.InvalidArgumentError as error:
            assert_no_key(error, chain_free=False)  # refused before any request: no httpx in a chain
        except np6.Error as error:
            assert_no_key(error)


# --- silent change ---------------------------------------------------------------------------


@pytest.mark.parametrize("resumed", [[], [event(9, timestamp=2000)], [event(2)]])
def test_a_resumed_answer_that_contradicts_the_first_fails_loudly(raw: RawServer, resumed: list[Any]) -> None:
    tied = [event(1, timestamp=1500), event(2, timestamp=1500)]
    first = json.dumps(tied).encode()[:-1] + b", {"
    raw.script = answer(http_response(body=first, length=False), http_response(body=array(*resumed)))
    for outcome in both(raw, options={"sort": "asc"}):
        assert isinstance(outcome, np6.StreamTruncatedError), outcome
        assert "contradicts" in str(outcome)
        assert outcome.events_yielded == 2


# --- the CLI ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        http_response(401, json.dumps({"message": KEY}).replace("/", "\\/").encode(), {"X-Echo": KEY}),
        http_response(body=b"[" * 100_000),
        _gzip_lie(b"[]"),
    ],
)
def test_the_cli_prints_one_line_and_never_the_key(raw: RawServer, response: bytes) -> None:
    raw.script = answer(response)
    result = subprocess.run(
        [NP6, "events", "--id", "c1", "--base-url", raw.base_url, "--max-retries", "0", "--timeout", "5"],
        capture_output=True,
        text=True,
        env={"NP6_API_KEY": KEY + "\n", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode in (1, 3, 5)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not leaked(KEY, result.stderr + result.stdout)


# --- everything at once -------------------------------------------------------------------------

ELSEWHERE = RawServer(host="localhost")
"""Another origin: redirects point here, and no request may ever arrive."""

_fragments = st.sampled_from(
    [
        KEY,
        KEY.replace("/", "\\/"),
        json.dumps(KEY, ensure_ascii=True).replace("S", "\\u0053")[1:-1],
        "\\ud800",
        "\\udc00",
        "\\ud83d\\ude00",
        "[" * 300,
        "{}",
        ' "type": ["x"] ',
        "\\",
        '"',
        "é",
    ]
)
_events = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["hit", "bounce", "activation", "mystery"]), "timestamp": st.integers(0, 3)},
        optional={"id": st.text(max_size=4), "data": st.recursive(st.none() | st.text(max_size=5), st.lists)},
    ),
    max_size=4,
)


@st.composite
def _bodies(draw: st.DrawFn) -> bytes:
    shape = draw(st.sampled_from(["events", "spliced", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=64))
    text = json.dumps(draw(_events))
    if shape == "spliced":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(_fragments) + text[at:]
    return text.encode("utf-8", "surrogatepass")


@st.composite
def _answers(draw: st.DrawFn) -> list[Any]:
    status = draw(st.sampled_from([200, 200, 200, 302, 400, 401, 429, 500, 503]))
    body = draw(_bodies())
    headers: list[tuple[str, str]] = []
    if draw(st.booleans()):
        waits = ["nan", "inf", "1e999", "-1", "0", "x", "Wed, 21"]
        headers.append(("Retry-After", draw(st.sampled_from(waits))))
    if draw(st.booleans()):
        headers.append(("X-Echo", KEY))
    if status == 302:
        headers.append(("Location", draw(st.sampled_from([ELSEWHERE.base_url + "/steal", "/again"]))))
    lie = draw(st.sampled_from(["", "gzip", "deflate"]))
    if lie:
        headers.append(("Content-Encoding", lie))
    cut = draw(st.integers(0, len(body))) if draw(st.booleans()) else None
    response = http_response(status, body if cut is None else body[:cut], headers, length=cut is None)
    half = len(response) // 2
    return [response] if draw(st.booleans()) else [response[:half], 0.01, response[half:]]


@settings(max_examples=40, deadline=None)
@given(
    script=st.lists(_answers(), min_size=1, max_size=3),
    sort=st.sampled_from([None, "asc"]),
    follow=st.booleans(),
)
def test_generated_hostile_answers_only_raise_np6_errors_and_never_show_the_key(
    raw: RawServer, caplog: pytest.LogCaptureFixture, script: list[list[Any]], sort: str | None, follow: bool
) -> None:
    raw.script = answer(*script)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        outcomes = both(raw, deadline=5, timeout=2, options={"sort": sort}, follow=follow)
    assert ELSEWHERE.requests == []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            assert_no_key(outcome)
    assert not leaked(KEY, "\n".join(record.getMessage() for record in caplog.records))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63) + 1, 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_json_values, max_size=3), ascii_only=st.booleans(), split=st.integers(1, 7))
def test_every_valid_body_decodes_exactly_as_json_does_or_fails_loudly(
    raw: RawServer, values: list[Any], ascii_only: bool, split: int
) -> None:
    """Lossless: what np6 yields equals ``json.loads`` of the body, whatever the chunking, or a DecodeError.

    Integers are drawn within ±(2**63-1): beyond, yajl refuses them (a loud DecodeError, tested below).
    """
    events = [{"type": "hit", "v": value} for value in values]
    body = json.dumps(events, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    chunks = [body[i : i + split] for i in range(0, len(body), split)]
    raw.script = answer([http_response(body=b"", length=False), *chunks])
    for outcome in both(raw, max_retries=0):
        if isinstance(outcome, np6.DecodeError):
            text = json.dumps(values, ensure_ascii=False)
            assert any(0xD800 <= ord(c) <= 0xDFFF for c in text), (outcome, body)
        else:
            assert outcome == json.loads(body)
