"""The client's namespaces (contacts, campaigns, actions, notifications, display) over real sockets.

What each method sends is read off a local server that records requests byte for byte;
what it yields is compared with what the mock serves for the same call (the mock's
half of issue 27 is tested in the mock's own tests).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import np6
import pytest
from helpers import RawServer, http_response, recording_policy

KEY = "sk-namespaces-0123456789"


def event(n: int, timestamp: int | None = None, kind: str | None = "hit") -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "timestamp": timestamp or 1_700_000_000_000 + n,
    }
    if kind is not None:
        found["type"] = kind
    return found


def array(*events: dict[str, Any]) -> bytes:
    return json.dumps(list(events)).encode()


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def client(server: RawServer, **kwargs: Any) -> np6.Client:
    return np6.Client(KEY, base_url=server.base_url, retry_policy=recording_policy([]), **kwargs)


def sent(server: RawServer, index: int = -1) -> tuple[str, str, dict[str, list[str]]]:
    """Method, path and query of request number ``index``."""
    line = server.requests[index].split(b"\r\n", 1)[0].decode("latin-1")
    method, target, _ = line.split(" ")
    parts = urlsplit(target)
    return method, parts.path, parse_qs(parts.query)


# every new operation: the call, and the method, path and query it must send
WINDOW = {"start": "2024-01-01T00:00:00Z", "end": 1_800_000_000_000, "sort": "asc"}
SENT_WINDOW = {"start": ["2024-01-01T00:00:00+00:00"], "end": ["1800000000000"], "sort": ["asc"]}
REACTIVITY = {
    "activation_start": "2024-01-01",
    "activation_end": "2024-02-01",
    "reactivity_start": 1_700_000_000_000,
    "reactivity_end": "2024-03-01T00:00:00Z",
    "sort": "asc",
}
SENT_REACTIVITY = {
    "activationStart": ["2024-01-01T00:00:00+00:00"],
    "activationEnd": ["2024-02-01T00:00:00+00:00"],
    "reactivityStart": ["1700000000000"],
    "reactivityEnd": ["2024-03-01T00:00:00+00:00"],
    "sort": ["asc"],
}
CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str, dict[str, list[str]]]] = [
    (
        "contacts",
        "open_hits",
        (np6.Contact(id="C1"),),
        {**WINDOW, "classification": "mpp"},
        "/targets/C1/events/hits/open",
        {**SENT_WINDOW, "classification": ["mpp"]},
    ),
    ("actions", "activations", ("A1",), WINDOW, "/actions/A1/events/activations", SENT_WINDOW),
    ("actions", "cancellations", ("A1",), WINDOW, "/actions/A1/events/cancellations", SENT_WINDOW),
    ("actions", "bounces", ("A1",), WINDOW, "/actions/A1/events/bounces", SENT_WINDOW),
    (
        "actions",
        "mirror_hits",
        ("A1",),
        {**WINDOW, "classification": ["gsr", "mpp"]},
        "/actions/A1/events/hits/mirror",
        {**SENT_WINDOW, "classification": ["gsr,mpp"]},
    ),
    ("actions", "reactivities", (), REACTIVITY, "/actions/reactivities", SENT_REACTIVITY),
    ("actions", "reactivities", ("bounces",), REACTIVITY, "/actions/reactivities/bounces", SENT_REACTIVITY),
    (
        "actions",
        "reactivities",
        ("open_hits",),
        REACTIVITY,
        "/actions/reactivities/hits/open",
        SENT_REACTIVITY,
    ),
    (
        "actions",
        "reactivities",
        ("mirror_hits",),
        REACTIVITY,
        "/actions/reactivities/hits/mirror",
        SENT_REACTIVITY,
    ),
    (
        "actions",
        "reactivities",
        ("redirection_hits", "A1"),
        REACTIVITY,
        "/actions/A1/reactivities/hits/redirection",
        SENT_REACTIVITY,
    ),
    (
        "actions",
        "reactivities",
        ("unsubscribe_hits", "A1"),
        REACTIVITY,
        "/actions/A1/reactivities/hits/unsubscribe",
        SENT_REACTIVITY,
    ),
    ("notifications", "executions", (156,), WINDOW, "/notifications/156/events/executions", SENT_WINDOW),
    (
        "notifications",
        "cancellations",
        (156,),
        WINDOW,
        "/notifications/156/events/cancellations",
        SENT_WINDOW,
    ),
    ("notifications", "activations", (156,), WINDOW, "/notifications/156/events/activations", SENT_WINDOW),
    ("notifications", "reactivities", (), REACTIVITY, "/notifications/reactivities", SENT_REACTIVITY),
    (
        "notifications",
        "reactivities",
        ("hits",),
        REACTIVITY,
        "/notifications/reactivities/hits",
        SENT_REACTIVITY,
    ),
    (
        "notifications",
        "reactivities",
        ("bounces",),
        REACTIVITY,
        "/notifications/reactivities/bounces",
        SENT_REACTIVITY,
    ),
    (
        "notifications",
        "reactivities",
        ("optouts", 156),
        REACTIVITY,
        "/notifications/156/reactivities/optouts",
        SENT_REACTIVITY,
    ),
    ("display", "activations", (), WINDOW, "/display/events/activations", SENT_WINDOW),
    ("display", "activations", ("D1",), WINDOW, "/display/content/D1/events/activations", SENT_WINDOW),
]
IDS = [f"{ns}.{method}{list(args)}" for ns, method, args, *_ in CALLS]


@pytest.mark.parametrize(("namespace", "method", "args", "options", "path", "query"), CALLS, ids=IDS)
def test_each_method_sends_its_operation_from_the_client_raw_and_async_alike(
    raw: RawServer,
    namespace: str,
    method: str,
    args: tuple[Any, ...],
    options: dict[str, Any],
    path: str,
    query: dict[str, list[str]],
) -> None:
    raw.script = lambda request, index: [http_response(body=array(event(1, kind=None)))]

    async def asynchronous() -> list[Any]:
        async with np6.AsyncClient(KEY, base_url=raw.base_url) as aclient:
            return [e async for e in getattr(getattr(aclient, namespace), method)(*args, **options)]

    with client(raw) as sync:
        typed = list(getattr(getattr(sync, namespace), method)(*args, **options))
        untyped = list(getattr(getattr(sync.raw, namespace), method)(*args, **options))
    from_async = asyncio.run(asynchronous())
    assert len(raw.requests) == 3
    for index in range(3):
        assert sent(raw, index) == ("GET", path, query)
        assert raw.header(index, "X-Key") == KEY
    assert untyped == [event(1, kind=None)]
    assert [str(e.id) for e in typed] == [str(e.id) for e in from_async] == [event(1)["id"]]
    assert all(isinstance(e, np6.EventBase) for e in typed)


def test_an_event_without_type_is_the_kind_its_operation_answers(raw: RawServer) -> None:
    """The default kind is read off the generated operation (a list of one event model), not a table."""
    raw.script = lambda request, index: [http_response(body=array(event(1, kind=None)))]
    with client(raw) as sync:
        (bounce,) = sync.actions.bounces("A1")
        (hit,) = sync.actions.reactivities("mirror_hits")
        (cancellation,) = sync.notifications.cancellations(7)
        (mixed,) = sync.actions.reactivities()
    assert isinstance(bounce, np6.BounceEvent)
    assert isinstance(hit, np6.HitEvent)
    assert isinstance(cancellation, np6.CancellationEvent)
    # every kind mixed: nothing to default to, kept as sent
    assert not isinstance(mixed, (np6.BounceEvent, np6.HitEvent))


def cut_then_rest(first: list[dict[str, Any]], rest: list[dict[str, Any]]) -> Any:
    """A first answer cut after ``first`` (mid-array), then ``rest`` whole."""

    def script(request: bytes, index: int) -> list[Any]:
        if index == 0:
            body = array(*first)[:-1] + b', {"id": "cut-he'
            return [http_response(body=body, length=False)]
        return [http_response(body=array(*rest))]

    return script


def test_a_cut_reactivity_stream_resumes_on_the_reactions_own_timestamp(raw: RawServer) -> None:
    """sort="asc" orders reactions by their own timestamp, so a resumed request moves
    ``reactivityStart`` (the operation has no ``start``): the events tied at the cut's
    instant are skipped, none lost, none twice; the activation window stays as asked."""
    a, b, c, d = event(1, 500), event(2, 600), event(3, 600), event(4, 700)
    raw.script = cut_then_rest([a, b], [b, c, d])
    with client(raw) as sync:
        got = list(
            sync.raw.actions.reactivities(activation_start="2024-01-01", reactivity_start=100, sort="asc")
        )
    assert got == [a, b, c, d]
    assert len(raw.requests) == 2
    _, path, first = sent(raw, 0)
    _, again_path, again = sent(raw, 1)
    assert again_path == path == "/actions/reactivities"
    assert first["reactivityStart"] == ["100"]
    assert again["reactivityStart"] == ["600"]
    assert again["activationStart"] == first["activationStart"] == ["2024-01-01T00:00:00+00:00"]
    assert "start" not in again


def test_a_cut_stream_of_a_new_event_operation_resumes_on_start(raw: RawServer) -> None:
    a, b, c = event(1, 500), event(2, 600), event(3, 700)
    raw.script = cut_then_rest([a, b], [b, c])
    with client(raw) as sync:
        got = list(sync.raw.notifications.executions(3, sort="asc"))
    assert got == [a, b, c]
    assert sent(raw, 1)[2]["start"] == ["600"]


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (
            lambda c: c.actions.reactivities("unsubscribe_hits"),
            ["'unsubscribe_hits'", "'bounces'", "'open_hits'", "'mirror_hits'", "None (every kind)"],
        ),
        (lambda c: c.actions.reactivities(None, "A1"), ["'redirection_hits'", "'unsubscribe_hits'"]),
        (lambda c: c.actions.reactivities("clicks"), ["'clicks'", "'redirection_hits'"]),
        (lambda c: c.notifications.reactivities("optouts"), ["'optouts'", "'hits'", "'bounces'"]),
        (lambda c: c.notifications.reactivities("hits", 156), ["'optouts'"]),
    ],
)
def test_a_kind_the_reference_lacks_for_that_scope_names_the_ones_it_has(
    raw: RawServer, call: Any, named: list[str]
) -> None:
    with client(raw) as sync, pytest.raises(np6.InvalidArgumentError) as caught:
        call(sync)
    for name in named:
        assert name in str(caught.value)
    assert raw.requests == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.notifications.activations("156"), "notification_id must be a whole number"),
        (lambda c: c.notifications.activations(True), "notification_id must be a whole number"),
        (lambda c: c.notifications.activations(2**31), "notification_id must be a whole number"),
        (lambda c: c.actions.bounces(""), "action_id must be a non-empty string"),
        (lambda c: c.actions.bounces(5), "action_id must be a non-empty string"),
        (lambda c: c.display.activations("x\ud800"), "content_id"),
        (lambda c: c.actions.mirror_hits("A", start="2024-02-01", end="2024-01-01"), "start ("),
        (
            lambda c: c.actions.reactivities(reactivity_start="2024-02-01", reactivity_end="2024-01-01"),
            "reactivity_start (2024-02-01T00:00:00.000Z) must be before reactivity_end",
        ),
        (
            lambda c: c.notifications.reactivities(activation_start=5, activation_end=5),
            "activation_start (5 ms) must be before activation_end",
        ),
        (lambda c: c.actions.reactivities(sort="up"), "sort must be 'asc' or 'desc'"),
        (lambda c: c.actions.reactivities(activation_start="soon"), "activation_start: 'soon' is not"),
    ],
)
def test_arguments_are_refused_before_any_request_in_np6s_words(
    raw: RawServer, call: Any, message: str
) -> None:
    with client(raw) as sync, pytest.raises(np6.InvalidArgumentError, match=None) as caught:
        call(sync)
    assert message in str(caught.value)
    assert raw.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.actions.bounces("A", classification="mpp"),
        lambda c: c.actions.reactivities(start="2024-01-01"),
        lambda c: c.notifications.executions(1, reactivity_start=1),
        lambda c: c.display.activations(classification="mpp"),
    ],
)
def test_an_option_the_operation_does_not_take_is_a_type_error(raw: RawServer, call: Any) -> None:
    with client(raw) as sync, pytest.raises(TypeError, match="unexpected keyword argument"):
        call(sync)
    assert raw.requests == []


def test_flat_methods_are_shortcuts_to_the_namespaces(raw: RawServer) -> None:
    """One implementation: the flat contact and campaign methods call the namespaces' methods."""
    raw.script = lambda request, index: [http_response(body=array(event(1)))]
    contact = np6.Contact(id="C1")
    with client(raw) as sync:
        for flat, namespaced in [
            (sync.hits(contact), sync.contacts.hits(contact)),
            (sync.raw.events(contact), sync.raw.contacts.events(contact)),
            (sync.campaign_events("K1"), sync.campaigns.events("K1")),
            (
                sync.campaign_events("K1", [np6.items_filter(["I1"])], items_only=True),
                sync.campaigns.items_events("K1", [np6.items_filter(["I1"])]),
            ),
        ]:
            assert repr(flat) == repr(namespaced)
            assert type(flat) is type(namespaced)


def test_the_fan_out_reaches_every_contact_method_including_open_hits(raw: RawServer) -> None:
    raw.script = lambda request, index: [http_response(body=array(event(index + 1)))]
    contacts = [np6.Contact(id=f"C{n}") for n in range(3)]
    with client(raw) as sync:
        got = list(sync.raw.contacts_events(contacts, kind="open_hits", concurrency=2, sort="asc"))
    assert sorted(sent(raw, i)[1] for i in range(3)) == [f"/targets/C{n}/events/hits/open" for n in range(3)]
    assert len(got) == 3


def test_a_429_on_a_reactivity_stream_pauses_through_the_clients_gate(raw: RawServer) -> None:
    sleeps: list[float] = []

    def script(request: bytes, index: int) -> list[Any]:
        if index == 0:
            return [http_response(429, b"{}", {"Retry-After": "4"})]
        return [http_response(body=array(event(1)))]

    raw.script = script
    with np6.Client(KEY, base_url=raw.base_url, retry_policy=recording_policy(sleeps)) as sync:
        got = list(sync.raw.notifications.reactivities("bounces"))
    assert got == [event(1)]
    assert sleeps == [4.0]
    assert sent(raw, 1)[1] == "/notifications/reactivities/bounces"


# against the mock: what each method yields is what the mock serves for that operation


@pytest.fixture(scope="module")
def manifest(store: Any) -> dict[str, Any]:
    found: dict[str, Any] = store.manifest()
    return found


def _served(server: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    import httpx

    response = httpx.get(f"{server.base_url}{path}", params=params, headers={"X-Key": server.api_key})
    response.raise_for_status()
    return list(response.json())


MOCK_CALLS = [
    ("actions", "activations", "action", (), "/actions/{action}/events/activations"),
    ("actions", "cancellations", "action", (), "/actions/{action}/events/cancellations"),
    ("actions", "bounces", "action", (), "/actions/{action}/events/bounces"),
    ("actions", "mirror_hits", "action", (), "/actions/{action}/events/hits/mirror"),
    ("actions", "reactivities", None, (None,), "/actions/reactivities"),
    ("actions", "reactivities", None, ("bounces",), "/actions/reactivities/bounces"),
    ("actions", "reactivities", None, ("open_hits",), "/actions/reactivities/hits/open"),
    ("actions", "reactivities", None, ("mirror_hits",), "/actions/reactivities/hits/mirror"),
    (
        "actions",
        "reactivities",
        "action",
        ("redirection_hits",),
        "/actions/{action}/reactivities/hits/redirection",
    ),
    (
        "actions",
        "reactivities",
        "action",
        ("unsubscribe_hits",),
        "/actions/{action}/reactivities/hits/unsubscribe",
    ),
    ("notifications", "executions", "notification", (), "/notifications/{notification}/events/executions"),
    (
        "notifications",
        "cancellations",
        "notification",
        (),
        "/notifications/{notification}/events/cancellations",
    ),
    ("notifications", "activations", "notification", (), "/notifications/{notification}/events/activations"),
    ("notifications", "reactivities", None, (None,), "/notifications/reactivities"),
    ("notifications", "reactivities", None, ("hits",), "/notifications/reactivities/hits"),
    ("notifications", "reactivities", None, ("bounces",), "/notifications/reactivities/bounces"),
    (
        "notifications",
        "reactivities",
        "notification",
        ("optouts",),
        "/notifications/{notification}/reactivities/optouts",
    ),
    ("display", "activations", None, (), "/display/events/activations"),
    ("display", "activations", "content", (), "/display/content/{content}/events/activations"),
    ("contacts", "open_hits", "contact", (), "/targets/{contact}/events/hits/open"),
]


@pytest.mark.parametrize(
    ("namespace", "method", "target", "kind", "path"),
    MOCK_CALLS,
    ids=[f"{c[0]}.{c[1]}{list(c[3])}{'@' + c[2] if c[2] else ''}" for c in MOCK_CALLS],
)
def test_each_method_yields_what_the_mock_serves_for_its_operation(
    server: Any,
    manifest: dict[str, Any],
    namespace: str,
    method: str,
    target: str | None,
    kind: tuple[Any, ...],
    path: str,
) -> None:
    ids = {
        "action": manifest["actions"][0]["id"],
        "notification": manifest["notifications"][0]["id"],
        "content": manifest["contents"][0]["id"],
        "contact": manifest["contacts"][0]["id"],
    }
    if target is None:
        args: tuple[Any, ...] = kind
    elif kind:
        args = (*kind, ids[target])  # reactivities(kind, target_id)
    else:
        args = (np6.Contact(id=ids[target]) if target == "contact" else ids[target],)
    expected = _served(server, path.format(**ids), sort="asc")
    with np6.Client(server.api_key, base_url=server.base_url) as sync:
        got = list(getattr(getattr(sync.raw, namespace), method)(*args, sort="asc"))
        typed = list(getattr(getattr(sync, namespace), method)(*args, sort="asc"))
    assert got == expected
    assert [str(e.id) for e in typed] == [e["id"] for e in expected]
    assert [e.to_dict() for e in typed] == expected  # lossless, unknown kinds included


def test_a_reactivity_stream_cut_by_the_mock_resumes_with_every_reaction_once(server: Any) -> None:
    """The mock filters ``reactivityStart`` on the reaction's timestamp: a resumed request
    from there, with the tied reactions skipped, gives each reaction exactly once."""
    from helpers import Recorder

    sleeps: list[float] = []
    recorder = Recorder()
    with np6.Client(
        server.api_key,
        base_url=server.base_url,
        transport=recorder.transport(),
        retry_policy=recording_policy(sleeps),
    ) as sync:
        expected = [e["id"] for e in sync.raw.actions.reactivities(sort="asc")]
        assert len(expected) > 50
        recorder.set_fault("cut-after=50,times=1")
        got = [e["id"] for e in sync.raw.actions.reactivities(sort="asc")]
    assert got == expected
    assert len(sleeps) == 1
    resumed = recorder.requests[-1].url.params
    assert "reactivityStart" in resumed and "start" not in resumed


def test_many_actions_or_notifications_fan_out_through_one_gate_each_tagged(raw: RawServer) -> None:
    def script(request: bytes, index: int) -> list[Any]:
        if b"/actions/GONE/" in request:
            return [http_response(404, b'{"message": "no such action"}')]
        return [http_response(body=array(event(index + 1)))]

    raw.script = script

    async def from_async() -> list[Any]:
        async with np6.AsyncClient(KEY, base_url=raw.base_url) as aclient:
            async with aclient.raw.notifications.many("executions", [1, 2], sort="asc") as fan_out:
                return [item async for item in fan_out]

    with client(raw) as sync:
        items = list(
            sync.actions.many("mirror_hits", ["A1", "GONE", "A2"], concurrency=2, classification="mpp")
        )
    tagged = sorted(item.target for item in items if isinstance(item, np6.Tagged))
    failed = [item for item in items if isinstance(item, np6.Failed)]
    assert tagged == ["A1", "A2"]
    assert [f.target for f in failed] == ["GONE"] and isinstance(failed[0].error, np6.NotFoundError)
    assert all(isinstance(item.event, np6.HitEvent) for item in items if isinstance(item, np6.Tagged))
    paths = sorted(sent(raw, i)[1] for i in range(3))
    assert paths == [
        "/actions/A1/events/hits/mirror",
        "/actions/A2/events/hits/mirror",
        "/actions/GONE/events/hits/mirror",
    ]
    assert all(sent(raw, i)[2]["classification"] == ["mpp"] for i in range(3))
    notified = asyncio.run(from_async())
    assert sorted(item.target for item in notified) == [1, 2]
    assert sorted(sent(raw, i)[1] for i in (3, 4)) == [
        "/notifications/1/events/executions",
        "/notifications/2/events/executions",
    ]


@pytest.mark.parametrize(
    ("call", "error", "said"),
    [
        (
            lambda c: c.actions.many("reactivities", ["A"]),
            np6.InvalidArgumentError,
            "kind must be one of activations",
        ),
        (lambda c: c.actions.many("bounces", "A1"), np6.InvalidArgumentError, "targets must be an iterable"),
        (lambda c: c.actions.many("bounces", ["A"], classification="mpp"), TypeError, "classification"),
        (lambda c: c.notifications.many("executions", [1], start="later"), np6.InvalidArgumentError, "start"),
    ],
)
def test_a_fan_out_refuses_its_options_before_any_request(
    raw: RawServer, call: Any, error: type[Exception], said: str
) -> None:
    with client(raw) as sync, pytest.raises(error) as caught:
        call(sync)
    assert said in str(caught.value)
    assert raw.requests == []
