"""Every bad argument is refused in np6's words, before any request (issue 24, item 6).

Both clients and the command, against a :class:`RawServer` that records every request:
a refused argument is an :class:`np6.InvalidArgumentError` and no request arrived; an
accepted one leads to a request, and whatever happens then is an :class:`np6.Error`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import math
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import hypothesis.strategies as st
import np6
import pytest
from helpers import NP6, RawServer
from hypothesis import HealthCheck, given, settings

KEY = "zq-Arguments-Secret-77aa66bb"
CONTACT = np6.Contact(id="c1")


@pytest.fixture(scope="module")
def raw() -> Any:
    with RawServer() as server:
        yield server


# --- what a call looks like, with one keyword replaced -------------------------------------------

Call = Callable[[Any, Any], Any]
"""``call(events, value)``: the stream or fan-out of one method of ``client`` or ``client.raw``."""

_CONTACT_METHODS = ("events", "activations", "bounces", "hits", "form_hits", "stop_responses")
_OPTIONS = ("start", "end", "sort", "timeout", "max_retries", "deadline")


def _method_cases() -> dict[str, Call]:
    cases: dict[str, Call] = {}
    for method in _CONTACT_METHODS:
        cases[f"{method}(contact)"] = lambda events, value, m=method: getattr(events, m)(value)
        extra = (
            ("classification",)
            if method in ("hits", "form_hits")
            else ("route",)
            if method == "events"
            else ()
        )
        for option in (*_OPTIONS, *extra):
            cases[f"{method}({option}=)"] = lambda events, value, m=method, o=option: getattr(events, m)(
                CONTACT, **{o: value}
            )
    cases["campaign_events(campaign_id)"] = lambda events, value: events.campaign_events(value)
    cases["campaign_events(query)"] = lambda events, value: events.campaign_events("C1", value)
    cases["campaign_events(items_only=)"] = lambda events, value: events.campaign_events(
        "C1", [np6.items_filter(["I1"])], items_only=value
    )
    for option in _OPTIONS:
        cases[f"campaign_events({option}=)"] = lambda events, value, o=option: events.campaign_events(
            "C1", **{o: value}
        )
    fan_out = {"concurrency": 1}
    cases["contacts_events(contacts)"] = lambda events, value: events.contacts_events(value, **fan_out)
    cases["campaigns_events(campaign_ids)"] = lambda events, value: events.campaigns_events(value, **fan_out)
    cases["campaigns_events(query)"] = lambda events, value: events.campaigns_events(["C1"], value, **fan_out)
    for option in ("kind", "concurrency", "fail_fast", "rate_limit", "classification", *_OPTIONS):
        options = {**fan_out, "kind": "hits", option: value_marker}
        cases[f"contacts_events({option}=)"] = lambda events, value, o=options: events.contacts_events(
            [CONTACT], **{k: value if v is value_marker else v for k, v in o.items()}
        )
    for option in ("items_only", "concurrency", "fail_fast", "rate_limit", *_OPTIONS):
        options = {**fan_out, option: value_marker}
        cases[f"campaigns_events({option}=)"] = lambda events, value, o=options: events.campaigns_events(
            ["C1"], **{k: value if v is value_marker else v for k, v in o.items()}
        )
    cases.update(_namespace_cases())
    return cases


# a valid value of each positional parameter of the namespaces' methods
_VALID = {
    "contact": CONTACT,
    "campaign_id": "C1",
    "query": [np6.items_filter(["I1"])],
    "action_id": "A1",
    "notification_id": 101,
    "content_id": "D1",
    "action_ids": ["A1"],
    "notification_ids": [101],
}
_NAMESPACES = ("contacts", "campaigns", "actions", "notifications", "display")


def _namespace_cases() -> dict[str, Call]:
    """Each parameter and keyword option of every namespace method, read off its signature.

    A method added to a namespace is covered with no line here: its parameters come from
    ``inspect.signature`` and its keyword options from the TypedDict its ``**options`` unpacks.
    """
    cases: dict[str, Call] = {}
    client = np6.Client("k", base_url="http://127.0.0.1:9")
    for namespace in _NAMESPACES:
        for name, method in inspect.getmembers(getattr(client, namespace), inspect.ismethod):
            if name.startswith("_"):
                continue
            parameters = inspect.signature(method).parameters
            valid = {
                p.name: _VALID.get(p.name, "bounces" if p.name == "kind" and name == "many" else None)
                for p in parameters.values()
                if p.kind is not p.VAR_KEYWORD and p.default is p.empty
            }
            keywords = [p.name for p in parameters.values() if p.kind is not p.VAR_KEYWORD]
            unpacked = typing.get_args(typing.get_type_hints(method)["options"])[0]
            keywords += list(typing.get_type_hints(unpacked))
            for keyword in keywords:
                cases[f"{namespace}.{name}({keyword}=)"] = (
                    lambda events, value, ns=namespace, m=name, v=valid, k=keyword: getattr(
                        getattr(events, ns), m
                    )(**{**v, k: value})
                )
    client.close()
    return cases


value_marker = object()
METHOD_CASES = _method_cases()
CONSTRUCTOR_KEYWORDS = (
    "api_key",
    "base_url",
    "timeout",
    "max_retries",
    "retry_policy",
    "transport",
    "http_client",
    "allow_insecure_http",
    "deadline",
    "rate_gate",
)
OTHER_CASES: dict[str, Callable[[Any], Any]] = {
    **{
        f"Contact({name}=)": lambda value, n=name: np6.Contact(**{n: value})
        for name in ("id", "unicity", "hash")
    },
    "items_filter(items)": np6.items_filter,
    **{
        f"items_filter({name}=)": lambda value, n=name: np6.items_filter(["I1"], **{n: value})
        for name in ("channel", "events", "hits")
    },
    **{
        f"RetryPolicy({name}=)": lambda value, n=name: np6.RetryPolicy(**{n: value})
        for name in ("max_retries", "backoff", "backoff_max", "retry_after_max", "max_rate_limited")
    },
    "RateGate(max_pause=)": lambda value: np6.RateGate(max_pause=value),
}

_ANY_CHAR = st.characters(exclude_categories=()) | st.characters(
    min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()
)
# concurrency stays small when it is a whole number: its upper bound is another item's (issue 24, item 4)
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 8),
    st.integers(2**62, 2**70),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0.0, 1e-300, 1e300]),
    st.text(_ANY_CHAR, max_size=8),
    st.sampled_from(["", "asc", "desc", "hits", "path", "mpp", "\ud800", "2024-01-01", "C\udcff", " "]),
    st.binary(max_size=6),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
    st.builds(httpx.Timeout, st.none() | st.floats()),
    st.just(dt.datetime(2024, 1, 1)),
    st.just(httpx.Client()),
    st.just(httpx.AsyncClient()),
    st.just(np6.RetryPolicy(max_retries=5)),
)


def _consume(thing: Any, asynchronous: bool) -> None:
    if not asynchronous:
        for _ in thing:
            pass
        return

    async def drain() -> None:
        async for _ in thing:
            pass

    asyncio.run(drain())


def _judge(raw: RawServer, attempt: Callable[[], None]) -> None:
    """An argument is refused before any request, or accepted; nothing but an np6 error escapes."""
    before = len(raw.requests)
    try:
        attempt()
    except np6.InvalidArgumentError:
        assert len(raw.requests) == before, "refused after a request was sent"
    except np6.Error:
        pass  # accepted, then the network or the server said something


def _client(raw: RawServer, asynchronous: bool, **kwargs: Any) -> Any:
    kwargs.setdefault("base_url", raw.base_url)
    kwargs.setdefault("timeout", 5)
    api_key = kwargs.pop("api_key", KEY)
    return (np6.AsyncClient if asynchronous else np6.Client)(api_key, **kwargs)


def _close(client: Any, asynchronous: bool) -> None:
    if asynchronous:
        asyncio.run(client.aclose())
    else:
        client.close()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.sampled_from(sorted(METHOD_CASES)),
    value=WRONG,
    asynchronous=st.booleans(),
    raw_events=st.booleans(),
)
def test_any_value_of_any_keyword_of_any_method_is_sent_or_refused_in_np6s_words(
    raw: RawServer, case: str, value: Any, asynchronous: bool, raw_events: bool
) -> None:
    client = _client(raw, asynchronous, max_retries=0)

    def attempt() -> None:
        events = client.raw if raw_events else client
        _consume(METHOD_CASES[case](events, value), asynchronous)

    try:
        _judge(raw, attempt)
    finally:
        _close(client, asynchronous)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keyword=st.sampled_from(CONSTRUCTOR_KEYWORDS), value=WRONG, asynchronous=st.booleans())
def test_any_value_of_any_client_option_is_used_or_refused_in_np6s_words(
    raw: RawServer, keyword: str, value: Any, asynchronous: bool
) -> None:
    def attempt() -> None:
        client = _client(raw, asynchronous, **{keyword: value})
        try:
            _consume(client.raw.events(CONTACT, max_retries=0, deadline=10), asynchronous)
        finally:
            _close(client, asynchronous)

    _judge(raw, attempt)


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(sorted(OTHER_CASES)), value=WRONG)
def test_any_value_given_to_contact_items_filter_or_retry_policy_is_taken_or_refused(
    case: str, value: Any
) -> None:
    with contextlib.suppress(np6.InvalidArgumentError):
        OTHER_CASES[case](value)


# --- the findings, one by one --------------------------------------------------------------------


def _both(raw: RawServer, use: Callable[[Any], Any], **kwargs: Any) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = []
    for asynchronous in (False, True):
        before = len(raw.requests)
        try:
            client = _client(raw, asynchronous, **kwargs)
            try:
                _consume(use(client), asynchronous)
            finally:
                _close(client, asynchronous)
        except BaseException as error:  # what escapes is what the test judges
            outcomes.append(error)
        else:
            outcomes.append(None)
        assert len(raw.requests) == before
    return outcomes


@pytest.mark.parametrize(
    ("options", "use", "message"),
    [
        ({}, lambda c: c.hits(CONTACT, classification=b"mpp"), "classification must be names"),
        ({}, lambda c: c.hits(CONTACT, classification=[b"mpp"]), "classification must be names"),
        ({}, lambda c: c.events(np6.Contact(id="c\ud800")), "lone surrogate (U+D800) at position 2"),
        ({}, lambda c: c.campaign_events("C\udcff"), "campaign_id holds a lone surrogate"),
        ({}, lambda c: c.campaigns_events(["C\ud800", "C1"], concurrency=1), "lone surrogate"),
        ({}, lambda c: c.campaign_events("C1", [np6.items_filter(["I\ud800"])]), "lone surrogate"),
        (
            {"max_retries": -1},
            lambda c: c.events(CONTACT),
            "max_retries must be a whole number of at least 0",
        ),
        ({"max_retries": math.nan}, lambda c: c.events(CONTACT), "max_retries must be a whole number"),
        ({}, lambda c: c.events(CONTACT, max_retries=-1), "max_retries must be a whole number"),
        ({}, lambda c: c.events(CONTACT, max_retries=math.nan), "max_retries must be a whole number"),
        ({"base_url": 8080}, lambda c: c.events(CONTACT), "base_url must be a URL string"),
        ({"timeout": math.inf}, lambda c: c.events(CONTACT), "timeout must be a positive, finite number"),
        ({}, lambda c: c.events(CONTACT, timeout=math.inf), "timeout must be a positive, finite number"),
        ({"timeout": httpx.Timeout(math.inf)}, lambda c: c.events(CONTACT), "the connect phase"),
        (
            {"max_retries": 3, "retry_policy": np6.RetryPolicy()},
            lambda c: c.events(CONTACT),
            "max_retries=3 and retry_policy (max_retries=2) disagree",
        ),
        ({}, lambda c: c.contacts_events([CONTACT], start="tomorrow"), "start: 'tomorrow' is not"),
        ({}, lambda c: c.campaigns_events("C1"), "campaign_ids must be an iterable of campaign ids, got str"),
        ({}, lambda c: c.events(CONTACT, route="paths"), "route must be 'query' or 'path'"),
    ],
)
def test_each_finding_is_refused_in_np6s_words_by_both_clients(
    raw: RawServer, options: dict[str, Any], use: Callable[[Any], Any], message: str
) -> None:
    for outcome in _both(raw, use, **options):
        assert isinstance(outcome, np6.InvalidArgumentError), repr(outcome)
        assert message in str(outcome)


def test_the_same_retries_given_twice_are_accepted(raw: RawServer) -> None:
    for asynchronous in (False, True):
        client = _client(
            raw, asynchronous, max_retries=5, retry_policy=np6.RetryPolicy(max_retries=5, backoff=0)
        )
        assert client.retry_policy == np6.RetryPolicy(max_retries=5, backoff=0)
        _close(client, asynchronous)


# --- the command ---------------------------------------------------------------------------------


def _np6(raw: RawServer, *args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": raw.base_url}
    return subprocess.run(
        [NP6, *args], capture_output=True, env=env, check=False, timeout=120, input=stdin, text=False
    )  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-retries", "-1"], "argument --max-retries: '-1': give a whole number of at least 0"),
        (["--max-retries", "nan"], "argument --max-retries: 'nan'"),
        (["--timeout", "inf"], "argument --timeout: 'inf': give a positive number of seconds"),
        (["--timeout", "0"], "argument --timeout: '0': give a positive number of seconds"),
        (["--timeout", "nan"], "argument --timeout: 'nan'"),
        (["--deadline=-inf"], "argument --deadline: '-inf'"),
        (
            [b"--unicity", b"caf\xe9@example.com"],
            "argument --unicity: b'caf\\xe9@example.com' is not UTF-8 text",
        ),
        ([b"--id", b"\xff\xfe"], "argument --id: b'\\xff\\xfe' is not UTF-8 text"),
    ],
)
def test_the_command_refuses_each_finding_with_exit_2_before_any_request(
    raw: RawServer, args: list[str | bytes], message: str
) -> None:
    before = len(raw.requests)
    base = [] if any(arg in ("--id", b"--id", b"--unicity") for arg in args) else ["--id", "c1"]
    result = _np6(raw, "events", *base, *args)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert message in stderr
    assert "httpx" not in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert len(raw.requests) == before


def test_an_id_file_that_is_not_utf8_names_its_line(raw: RawServer) -> None:
    result = _np6(raw, "events", "--id-file", "-", stdin=b"c1\n\xffbad\n")
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "--id-file -, line 2: Contact id holds a lone surrogate (U+DCFF) at position 1" in stderr
    assert "internal error" not in stderr
