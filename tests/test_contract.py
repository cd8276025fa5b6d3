"""The contract suite: spec, mock and client agree, checked by property-based tests.

* server against spec: schemathesis, every check, through the real ``np6 conformance``
  (``tests/test_conformance.py``);
* client against spec, responses: bodies generated from the response schemas are
  served over a socket and read by ``np6.Client``;
* client against spec, requests: what the client sends for generated arguments is
  validated against the operation it calls.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import hypothesis.strategies as st
import jsonschema
import np6
import pytest
from helpers import JsonServer
from hypothesis import assume, given, settings
from np6_mock import MockServer
from spec_strategies import SpecStrategies

RESPONSE_OPERATIONS = {
    "events": ("get", "/targets/events", None),
    "activations": ("get", "/targets/{id}/events/activations", np6.ActivationEvent),
    "bounces": ("get", "/targets/{id}/events/bounces", np6.BounceEvent),
    "hits": ("get", "/targets/events/hits", np6.HitEvent),
    "form_hits": ("get", "/targets/{id}/events/hits/form", np6.HitEvent),
    "stop_responses": ("get", "/targets/events/responses/stop", np6.ReplyEvent),
}


# --- server against spec: tests/test_conformance.py runs ``np6 conformance`` and ``st run``


# --- client against spec: responses ------------------------------------------------------


@pytest.fixture(scope="module")
def body_server() -> Iterator[JsonServer]:
    server = JsonServer()
    yield server
    server.close()


def response_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    return schema


def read_back(base_url: str, family: str, contact: np6.Contact) -> list[np6.Event]:
    with np6.Client("k", base_url=base_url, max_retries=0) as client:
        return list(getattr(client, family)(contact))


@pytest.mark.parametrize("family", list(RESPONSE_OPERATIONS))
def test_schema_valid_bodies_decode_into_their_classes_losslessly(
    spec: dict[str, Any], body_server: JsonServer, family: str
) -> None:
    method, path, expected_class = RESPONSE_OPERATIONS[family]
    contact = np6.Contact(id="000R4M0T")
    base_url = body_server.base_url

    validator = jsonschema.Draft202012Validator(
        {**response_schema(spec, method, path), "components": spec["components"]},
        format_checker=jsonschema.FormatChecker(),
    )

    @given(SpecStrategies(spec).strategy(response_schema(spec, method, path)))
    def check(events: list[dict[str, Any]]) -> None:
        validator.validate(events)  # the strategy itself stays honest
        body_server.payload = json.dumps(events).encode()
        decoded = read_back(base_url, family, contact)
        assert len(decoded) == len(events)
        for raw, event in zip(events, decoded, strict=True):
            assert type(event) is np6.EVENT_CLASSES[raw["type"]]
            if expected_class is not None:
                assert type(event) is expected_class
            assert event.to_dict() == raw
            assert event.deviations == [], event.deviations

    check()


LEVELS = [
    (),
    ("identity",),
    ("source",),
    ("source", "detail", "link"),
    ("source", "detail", "client"),
    ("source", "detail", "activation", "receiver"),
]


@given(data=st.data())
@settings(max_examples=25)
def test_unknown_kinds_and_fields_still_decode(
    spec: dict[str, Any],
    body_server: JsonServer,
    np6_examples: dict[str, Any],
    data: st.DataObject,
) -> None:
    base_url = body_server.base_url
    event = copy.deepcopy(
        data.draw(st.sampled_from(np6_examples["np6MixedEvents"] + np6_examples["np6Hits"]))
    )
    level = data.draw(st.sampled_from(LEVELS))
    node = event
    for key in level:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        node = event
        level = ()
    kind = data.draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=3, max_size=12))
    known = {
        "customer",
        "email",
        "sms",
        "notification",
        "footprint",
        "id",
        "contact",
        "open",
        "redirection",
        "form",
        "unsubscribe",
        "mirror",
        "web",
        "robot",
        *np6.EVENT_CLASSES,
    }
    node["type"] = kind if kind not in known else f"x-{kind}"
    extra = data.draw(
        st.dictionaries(
            st.text(min_size=1, max_size=5).map(lambda k: f"extra_{k}"),
            st.integers(-(2**63) + 1, 2**63 - 1) | st.text() | st.none(),
            max_size=3,
        )
    )
    event.update(extra)
    body_server.payload = json.dumps([event]).encode()
    (decoded,) = read_back(base_url, "events", np6.Contact(id="x"))
    assert decoded.to_dict() == event
    target: Any = decoded
    for key in level:
        target = getattr(target, key)
    assert type(target).__name__.startswith("Unknown")
    assert target.raw == node
    assert decoded.deviations and "unknown kind" in decoded.deviations[-1]


# --- client against spec: requests --------------------------------------------------------


def _path_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")


class SpecRequestValidator:
    """Checks one captured request against the spec's operation for it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.components = spec["components"]

    def _schema(self, schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
        return jsonschema.Draft202012Validator(
            {**schema, "components": self.components}, format_checker=jsonschema.FormatChecker()
        )

    def _resolve(self, item: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in item:
            name = item["$ref"].rsplit("/", 1)[1]
            return self.components["parameters"][name]
        return item

    def _object_schema(self, parameter: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = parameter["schema"]
        if "$ref" in schema:
            schema = self.components["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def _exploded(self, parameter: dict[str, Any]) -> bool:
        return (
            parameter["in"] == "query"
            and parameter.get("style", "form") == "form"
            and parameter.get("explode", True)
            and self._object_schema(parameter).get("type") == "object"
        )

    def _query_names(self, parameter: dict[str, Any]) -> list[str]:
        if self._exploded(parameter):
            return list(self._object_schema(parameter)["properties"])
        return [parameter["name"]]

    def validate(self, request: httpx.Request) -> str:
        method = request.method.lower()
        path = urlsplit(str(request.url)).path
        matches = [
            (template, m)
            for template, item in self.spec["paths"].items()
            if method in item
            for m in [_path_regex(template).match(path)]
            if m
        ]
        assert len(matches) == 1, f"{request.method} {path} matches no operation of the spec"
        template, match = matches[0]
        operation = self.spec["paths"][template][method]
        assert request.headers.get("X-Key"), "the key header is missing"
        query = dict(parse_qsl(urlsplit(str(request.url)).query, keep_blank_values=True))
        parameters = [self._resolve(p) for p in operation["parameters"]]
        declared = {name for p in parameters if p["in"] == "query" for name in self._query_names(p)}
        assert set(query) <= declared, f"undeclared query parameters {set(query) - declared}"
        for parameter in parameters:
            if self._exploded(parameter):
                # a form-exploded object: its properties are query parameters of their own
                names = self._query_names(parameter)
                exploded = {name: value for name, value in query.items() if name in names}
                assert exploded or not parameter.get("required"), f"missing {parameter['name']}"
                self._schema(parameter["schema"]).validate(exploded)
                continue
            where = match.groupdict() if parameter["in"] == "path" else query
            if parameter["name"] not in where:
                assert not parameter.get("required"), f"missing {parameter['name']}"
                continue
            value: Any = where[parameter["name"]]
            schema = parameter["schema"]
            if value.isdigit() and "TimeBound" in json.dumps(schema):
                value = int(value)
            self._schema(schema).validate(value)
        if "requestBody" in operation:
            content = request.content
            if operation["requestBody"].get("required"):
                assert content, "the required body is missing"
            if content:
                assert request.headers["content-type"] == "application/json"
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                self._schema(schema).validate(json.loads(content))
        else:
            assert not request.content
        return f"{request.method} {template}"


text_ids = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF, exclude_characters="/"),
    min_size=1,
    max_size=20,
)
# epoch ms, leaving out 10**8 <= ms < 10**11, which can only be seconds and is refused
EPOCH_MS = st.integers(0, 10**8 - 1) | st.integers(10**11, 2**63 - 1)
bounds = st.one_of(
    st.none(),
    EPOCH_MS,
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(9000, 1, 1),
        timezones=st.none() | st.timezones(),
    ),
    st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(9000, 1, 1)),
    st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(9000, 1, 1)).map(dt.date.isoformat),
    st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9000, 1, 1)).map(
        lambda d: d.isoformat() + "Z"
    ),
)
sorts = st.sampled_from([None, "asc", "desc"])
classifications = st.none() | st.lists(
    st.sampled_from(["genericrobot", "mpp", "gsr", "other_robot-2"]), min_size=1, max_size=3
)
contact_refs = st.one_of(
    text_ids.map(lambda v: np6.Contact(id=v)),
    text_ids.map(lambda v: np6.Contact(unicity=v)),
    text_ids.map(lambda v: np6.Contact(hash=v)),
)
campaign_filters = st.none() | st.lists(
    st.builds(
        np6.items_filter,
        st.lists(text_ids, min_size=1, max_size=3),
        channel=st.sampled_from(["email", "sms", "notification"]),
        events=st.lists(
            st.sampled_from(["execution", "cancellation", "activation", "bounce", "reply"]), max_size=3
        ),
        hits=st.none()
        | st.lists(st.sampled_from(["open", "form", "unsubscribe", "redirection", "mirror"]), max_size=3),
    ),
    min_size=1,
    max_size=3,
)


def recording_client() -> tuple[np6.Client, list[httpx.Request]]:
    """A client whose every request is recorded and answered with an empty array."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    return np6.Client("k", base_url="https://np6.test", transport=httpx.MockTransport(answer)), sent


def empty_window(start: Any, end: Any) -> bool:
    """Whether ``start`` is not before ``end``, read without np6's own code."""
    if start is None or end is None:
        return False

    def ms(bound: Any) -> int:
        if isinstance(bound, int):
            return bound
        if isinstance(bound, str):
            bound = dt.datetime.fromisoformat(bound.replace("Z", "+00:00"))  # a date-only string too
        if not isinstance(bound, dt.datetime):
            bound = dt.datetime(bound.year, bound.month, bound.day)
        if bound.tzinfo is None:
            bound = bound.replace(tzinfo=dt.UTC)
        return (bound - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)

    return ms(start) >= ms(end)


@given(
    family=st.sampled_from(list(RESPONSE_OPERATIONS)),
    contact=contact_refs,
    start=bounds,
    end=bounds,
    sort=sorts,
    classification=classifications,
    route=st.sampled_from(["query", "path"]),
)
def test_every_request_the_client_sends_for_a_contact_is_described_by_the_spec(
    spec: dict[str, Any],
    family: str,
    contact: np6.Contact,
    start: Any,
    end: Any,
    sort: Any,
    classification: Any,
    route: str,
) -> None:
    assume(not empty_window(start, end))
    client, sent = recording_client()
    with client:
        options: dict[str, Any] = {"start": start, "end": end, "sort": sort}
        if family in ("hits", "form_hits"):
            options["classification"] = classification
        if family == "events":
            options["route"] = route
        try:
            list(getattr(client, family)(contact, **options))
        except np6.InvalidArgumentError as refused:
            # only the selectors the operation (or the path route) does not accept may be refused
            assert "selects the contact by" in str(refused) or (
                route == "path" and "route='path'" in str(refused) and contact.selector != "id"
            )
            return
    (request,) = sent
    SpecRequestValidator(spec).validate(request)
    assert urlsplit(str(request.url)).query.count(f"{contact.selector}=") <= 1


_instants = st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9000, 1, 1))
_days = st.dates(min_value=dt.date(1970, 1, 2), max_value=dt.date(9000, 1, 1))
BOUND_FORMS = {
    "epoch ms": EPOCH_MS,
    "naive datetime": _instants,
    "aware datetime": st.datetimes(
        min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9000, 1, 1), timezones=st.timezones()
    ),
    "date": _days,
    "date-time string": _instants.map(lambda d: d.isoformat() + "Z"),
    "date-time string without offset": _instants.map(dt.datetime.isoformat),
    "date string": _days.map(dt.date.isoformat),
}


@pytest.mark.parametrize("form", list(BOUND_FORMS))
@given(data=st.data())
def test_every_form_of_bound_the_client_accepts_is_sent_as_the_spec_describes(
    spec: dict[str, Any], form: str, data: st.DataObject
) -> None:
    value = data.draw(BOUND_FORMS[form])
    client, sent = recording_client()
    with client:
        list(client.events(np6.Contact(id="000R4M0T"), start=value))
    (request,) = sent
    SpecRequestValidator(spec).validate(request)


@given(
    campaign=text_ids, query=campaign_filters, items_only=st.booleans(), start=bounds, end=bounds, sort=sorts
)
def test_every_campaign_request_is_described_by_the_spec(
    spec: dict[str, Any], campaign: str, query: Any, items_only: bool, start: Any, end: Any, sort: Any
) -> None:
    assume(not empty_window(start, end))
    client, sent = recording_client()
    with client:
        try:
            list(
                client.campaign_events(
                    campaign, query, items_only=items_only, start=start, end=end, sort=sort
                )
            )
        except np6.InvalidArgumentError as refused:
            assert items_only and query is None and "needs a query" in str(refused)
            return
    (request,) = sent
    operation = SpecRequestValidator(spec).validate(request)
    assert operation == ("POST /campaigns/{id}/items/events" if items_only else "POST /campaigns/{id}/events")


@given(family=st.sampled_from([*RESPONSE_OPERATIONS, "campaign_events"]), start=bounds, end=bounds)
def test_a_window_that_holds_no_event_is_refused_before_any_request(
    family: str, start: Any, end: Any
) -> None:
    assume(empty_window(start, end))
    client, sent = recording_client()
    with client:
        first: Any = np6.Contact(id="000R4M0T") if family != "campaign_events" else "000PE4"
        with pytest.raises(np6.InvalidArgumentError, match="must be before end"):
            getattr(client, family)(first, start=start, end=end)
    assert sent == []


def test_a_date_bound_is_the_same_instant_to_the_spec_the_client_and_the_mock(
    spec: dict[str, Any], server: MockServer, client: np6.Client, contact: np6.Contact
) -> None:
    """``2024-01-02`` is 00:00 UTC that day everywhere: the spec allows it, the mock reads it so,
    and the client, which sends the explicit instant instead, gets the same events."""
    bound = {"$ref": "#/components/schemas/TimeBound", "components": spec["components"]}
    jsonschema.Draft202012Validator(bound, format_checker=jsonschema.FormatChecker()).validate("2024-01-02")
    raw = httpx.get(
        f"{server.base_url}/targets/{contact.value}/events",
        params={"start": "2024-01-02", "end": "2024-02-01"},
        headers={"X-Key": server.api_key},
    )
    assert raw.status_code == 200, raw.text
    by_date = sorted(event["id"] for event in raw.json())
    via_client = sorted(
        str(event.id) for event in client.events(contact, start="2024-01-02", end=dt.date(2024, 2, 1))
    )
    assert by_date and by_date == via_client
