"""Polymorphic decoding: one class per kind, unknown kinds kept, lossless, tolerant."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import json
import pickle
import uuid
from typing import Any

import attrs
import np6
import np6_generated.models as g
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from np6._views import View, parse_uuid, view_class

# examples of a kind the spec names without detailing (opt-outs) or from a source it leaves
# open (display): they decode losslessly to their level's Unknown class, tested on their own
OPEN_EXAMPLES = {"notificationOptouts", "displayActivations"}


def all_events(np6_examples: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e
        for name, events in np6_examples.items()
        if name != "itemsEventsQuery" and name not in OPEN_EXAMPLES
        for e in events
    ]


def test_kinds_and_sources_the_spec_leaves_open_decode_losslessly(np6_examples: dict[str, Any]) -> None:
    (optout,) = np6_examples["notificationOptouts"]
    event = np6.decode_event(optout)
    assert type(event) is np6.UnknownEvent
    assert event.kind == "optout"
    assert event.to_dict() == optout
    (display,) = np6_examples["displayActivations"]
    event = np6.decode_event(display)
    assert type(event) is np6.ActivationEvent
    assert type(event.source) is np6.UnknownSource
    # the spec leaves display sources open, so their kind is one the event union does not know
    assert event.deviations == ["source: unknown kind 'display'"]
    assert event.to_dict() == display


def test_every_example_decodes_to_the_class_its_type_names(np6_examples: dict[str, Any]) -> None:
    expected = {
        "execution": np6.ExecutionEvent,
        "cancellation": np6.CancellationEvent,
        "activation": np6.ActivationEvent,
        "hit": np6.HitEvent,
        "bounce": np6.BounceEvent,
        "reply": np6.ReplyEvent,
    }
    for raw in all_events(np6_examples):
        event = np6.decode_event(raw)
        assert type(event) is expected[raw["type"]]
        assert isinstance(event, np6.Event)
        assert event.deviations == []
        assert event.to_dict() == raw
        assert json.dumps(event.to_dict(), sort_keys=True) == json.dumps(raw, sort_keys=True)


def test_views_are_not_generated_models_but_carry_their_fields() -> None:
    assert not issubclass(np6.HitEvent, g.HitEvent)
    assert not attrs.has(np6.HitEvent)
    for view, model in [(np6.HitEvent, g.HitEvent), (np6.RedirectionLink, g.RedirectionLink)]:
        named = tuple(f.name for f in attrs.fields(model) if f.name != "additional_properties")
        assert view.__match_args__ == named


def test_the_hit_example_is_typed_at_every_level(np6_examples: dict[str, Any]) -> None:
    raw = np6_examples["np6Hits"][0]
    hit = np6.decode_event(raw)
    assert isinstance(hit, np6.HitEvent)
    assert hit.id == uuid.UUID("5cb5d7c1-70d4-421a-a850-73b0728e1684")
    assert hit.timestamp == 1623673176622
    assert hit.datetime == dt.datetime(2021, 6, 14, 12, 19, 36, 622000, tzinfo=dt.UTC)
    assert isinstance(hit.identity, np6.CustomerIdentity)
    assert hit.identity.agency == "DEMO"
    assert isinstance(hit.source, np6.EmailSource)
    detail = hit.source.detail
    assert isinstance(detail, View)
    assert type(detail).__name__ == "SourceDetail"
    assert isinstance(detail.activation.receiver, np6.FootprintReceiver)
    assert detail.activation.receiver.hash_ == "0441619ab4631d18548aa8835dd2c28b"
    assert detail.activation.stamp.id == uuid.UUID("d52055cd-e854-4177-8ef5-b10fd8d568a7")
    assert isinstance(detail.link, np6.RedirectionLink)
    assert detail.link.destination == "https://www.np6.fr"
    assert isinstance(detail.client, np6.WebClient)
    assert isinstance(detail.client.ip, np6.Ipv4)
    assert detail.client.ip.value == "10.1.1.1"
    assert isinstance(detail.client.ua, np6.ParsedUserAgent)
    assert detail.client.ua.client.name == "Chrome Mobile"
    assert detail.client.ua.device.brand == "Huawei"


def test_match_statements_work_on_event_classes(np6_examples: dict[str, Any]) -> None:
    seen = []
    for raw in np6_examples["np6MixedEvents"]:
        match np6.decode_event(raw):
            case np6.HitEvent(source=np6.EmailSource()):
                seen.append("email hit")
            case np6.ActivationEvent():
                seen.append("activation")
            case np6.ExecutionEvent():
                seen.append("execution")
    assert seen == ["execution", "activation", "email hit"]


def test_an_unknown_event_kind_is_kept_whole(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Hits"][0]) | {"type": "complaint"}
    event = np6.decode_event(raw)
    assert type(event) is np6.UnknownEvent
    assert isinstance(event, np6.Event)
    assert event.kind == "complaint"
    assert event.type_ == "complaint"
    # the surface every event shares, decoded as on a known kind
    assert event.id == uuid.UUID(raw["id"])
    assert event.timestamp == raw["timestamp"]
    assert event.datetime == np6.ms_to_datetime(raw["timestamp"])
    assert type(event.identity) is np6.CustomerIdentity
    assert event.identity.raw is raw["identity"]
    assert type(event.source) is np6.EmailSource
    assert event.source is event.source
    assert event.source.raw is raw["source"]
    assert event.raw is raw
    assert event.to_dict() == raw
    assert event.deviations == ["unknown kind 'complaint'"]


@pytest.mark.parametrize(
    ("path", "level", "unknown"),
    [
        (("identity",), np6.Identity, np6.UnknownIdentity),
        (("source",), np6.Source, np6.UnknownSource),
        (("source", "detail", "link"), np6.Link, np6.UnknownLink),
        (("source", "detail", "client"), np6.HitClient, np6.UnknownHitClient),
        (("source", "detail", "client", "ip"), np6.Ip, np6.UnknownIp),
        (("source", "detail", "client", "ua"), np6.UserAgent, np6.UnknownUserAgent),
        (("source", "detail", "activation", "receiver"), np6.Receiver, np6.UnknownReceiver),
    ],
)
def test_unknown_inner_kinds_decode_to_their_unknown_class(
    np6_examples: dict[str, Any], path: tuple[str, ...], level: type, unknown: type
) -> None:
    raw = copy.deepcopy(np6_examples["np6Hits"][0])
    node: Any = raw
    for key in path:
        node = node[key]
    node["type"] = "brand-new"
    event = np6.decode_event(raw)
    value: Any = event
    for key in path:
        value = getattr(value, {"type": "type_"}.get(key, key))
    assert type(value) is unknown
    assert isinstance(value, level)
    assert value.raw == node
    assert event.deviations == [f"{'.'.join(path)}: unknown kind 'brand-new'"]
    assert event.to_dict() == raw


def test_extra_fields_are_kept_on_known_kinds(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Hits"][0])
    raw["campaign"] = {"id": "000PE4", "name": "Spring"}
    raw["source"]["detail"]["link"]["position"] = 3
    event = np6.decode_event(raw)
    assert event.additional_properties == {"campaign": {"id": "000PE4", "name": "Spring"}}
    assert event.source.detail.link.additional_properties == {"position": 3}
    assert event.deviations == []
    assert event.to_dict() == raw


def test_missing_and_mistyped_fields_do_not_fail_and_are_reported(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Hits"][0])
    del raw["id"]
    raw["timestamp"] = "yesterday"
    raw["source"]["detail"]["activation"]["stamp"]["id"] = "not-a-uuid"
    del raw["source"]["detail"]["client"]["ip"]["value"]
    event = np6.decode_event(raw)
    assert isinstance(event, np6.HitEvent)
    assert event.id is None
    assert event.timestamp == "yesterday"
    with pytest.raises(np6.DecodeError, match="no usable timestamp: 'yesterday'"):
        _ = event.datetime
    assert event.source.detail.activation.stamp.id == "not-a-uuid"
    assert sorted(event.deviations) == sorted(
        [
            "id: required field is missing",
            "timestamp: expected an integer, got str (kept as sent)",
            "source.detail.activation.stamp.id: expected a UUID, got 'not-a-uuid' (kept as sent)",
            "source.detail.client.ip.value: required field is missing",
        ]
    )
    assert event.to_dict() == raw


def test_missing_optional_parts_are_none_and_unset_in_the_generated_one(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Activations"][0])
    del raw["source"]["detail"]
    event = np6.decode_event(raw)
    assert isinstance(event, np6.ActivationEvent)
    assert isinstance(event.source, np6.EmailSource)
    assert event.source.detail is None
    assert event.deviations == []
    # the generated model keeps openapi-python-client's sentinel, and writes nothing back
    model = event.to_generated()
    assert model.source.detail is np6.generated.types.UNSET
    assert model.to_dict() == raw


def test_an_optional_field_sent_as_null_stays_apart_from_one_not_sent(np6_examples: dict[str, Any]) -> None:
    sent = copy.deepcopy(np6_examples["np6Activations"][0])
    absent = copy.deepcopy(sent)
    del absent["source"]["detail"]["activation"]["recipient"]
    null = copy.deepcopy(sent)
    null["source"]["detail"]["activation"]["recipient"] = None
    views = {name: np6.decode_event(raw) for name, raw in (("absent", absent), ("null", null))}
    for view in views.values():
        assert isinstance(view, np6.ActivationEvent)
        assert isinstance(view.source, np6.EmailSource)
        assert view.source.detail is not None
        assert view.source.detail.activation is not None
        assert view.source.detail.activation.recipient is None
    # what was sent tells them apart, losslessly: raw, to_dict, deviations, to_generated
    assert views["absent"].to_dict() == absent
    assert views["null"].to_dict() == null
    assert "recipient" not in views["absent"].to_dict()["source"]["detail"]["activation"]
    assert views["null"].to_dict()["source"]["detail"]["activation"]["recipient"] is None
    assert views["absent"].deviations == []
    assert views["null"].deviations == [
        "source.detail.activation.recipient: expected a string, got NoneType (kept as sent)"
    ]
    assert views["absent"].to_generated().to_dict() == absent
    with pytest.raises(np6.DecodeError, match="recipient: expected a string"):
        views["null"].to_generated()


def test_a_known_kind_says_its_kind_even_when_type_was_assumed(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Activations"][0])
    del raw["type"]
    event = np6.decode_event(raw, default_type="activation")
    assert event.kind == "activation"
    assert event.type_ is None
    odd = np6.decode_event(copy.deepcopy(raw) | {"type": 7})
    assert type(odd) is np6.UnknownEvent
    assert odd.kind is None
    assert odd.type_ == 7
    assert odd.deviations == ["unknown kind 7"]


@pytest.mark.parametrize("big", [2**53 + 1, 2**62 + 12345, -(2**60)])
def test_big_integers_round_trip_exactly(np6_examples: dict[str, Any], big: int) -> None:
    raw = copy.deepcopy(np6_examples["np6MixedEvents"][0])
    raw["timestamp"] = big
    raw["source"]["detail"]["execution"]["data"]["counter"] = big
    event = np6.decode_event(raw)
    assert event.timestamp == big
    assert event.to_dict()["source"]["detail"]["execution"]["data"]["counter"] == big
    assert event.to_dict() == raw


def test_default_type_fills_in_for_single_kind_operations(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Activations"][0])
    del raw["type"]
    event = np6.decode_event(raw, default_type="activation")
    assert type(event) is np6.ActivationEvent
    assert event.deviations == ["type: required field is missing"]
    assert "type" not in event.to_dict()


def test_to_dict_is_a_copy_and_views_are_read_only(np6_examples: dict[str, Any]) -> None:
    raw = np6_examples["np6Hits"][0]
    event = np6.decode_event(raw)
    copied = event.to_dict()
    copied["source"]["type"] = "changed"
    assert raw["source"]["type"] == "email"
    with pytest.raises(AttributeError):
        event.timestamp = 1


def test_decode_event_refuses_what_is_not_an_object() -> None:
    with pytest.raises(np6.DecodeError, match="must be a JSON object, got list"):
        np6.decode_event([1, 2])  # type: ignore[arg-type]


def test_every_generated_kind_has_a_declared_np6_class() -> None:
    for name, cls in vars(g).items():
        if not inspect.isclass(cls) or "type_" not in getattr(cls, "__annotations__", {}):
            continue
        annotation = str(cls.__annotations__["type_"])
        if "Literal" not in annotation:
            continue
        view = view_class(cls)
        assert view.__module__ == "np6._events", f"no np6 class for generated {name}"
        assert hasattr(np6, view.__name__)


def _views_in(value: Any) -> list[View]:
    if isinstance(value, list):
        return [v for item in value for v in _views_in(item)]
    if not isinstance(value, View):
        return []
    found = [value]
    for name in type(value).__match_args__:
        found += _views_in(getattr(value, name))
    return found


def test_every_key_of_the_spec_examples_reaches_its_attribute(np6_examples: dict[str, Any]) -> None:
    # JSON keys come from the generator's JSON_KEYS: a wrong or missing key would leave
    # the value in additional_properties and the attribute None
    checked = 0
    for raw in all_events(np6_examples):
        for view in _views_in(np6.decode_event(raw)):
            if not type(view)._fields:
                continue  # a free-form object (execution data): every key is additional
            assert view.additional_properties == {}, (type(view).__name__, view.raw)
            for field in type(view)._fields:
                if field.key in view.raw:
                    assert getattr(view, field.name) is not None
                    checked += 1
    assert checked > 100
    assert np6.FootprintReceiver._fields[-1].key == "hash"


def test_json_keys_are_what_the_generated_models_read_and_write(np6_examples: dict[str, Any]) -> None:
    for raw in all_events(np6_examples):
        model = np6.decode_event(raw).to_generated()
        assert model.to_dict() == raw
        assert model.additional_properties == {}


def test_the_happy_path_records_nothing(np6_examples: dict[str, Any]) -> None:
    for raw in all_events(np6_examples):
        views = _views_in(np6.decode_event(raw))
        assert all("_problems" not in vars(v) for v in views)


def test_to_generated_gives_the_generated_model_equal_either_way(np6_examples: dict[str, Any]) -> None:
    raw = np6_examples["np6Hits"][0]
    event = np6.decode_event(raw)
    model = g.HitEvent.from_dict(raw)
    assert event.to_generated() == model
    assert type(event.to_generated()) is g.HitEvent
    assert model == event
    assert event == model
    assert event.source.detail == model.source.detail
    changed = attrs.evolve(model, timestamp=1)
    assert changed != event
    assert event != g.ActivationEvent.from_dict(np6_examples["np6Activations"][0])


def test_views_refuse_changes_with_clear_errors(np6_examples: dict[str, Any]) -> None:
    event = np6.decode_event(np6_examples["np6Hits"][0])
    with pytest.raises(AttributeError, match="read-only view"):
        event.timestamp = 1
    with pytest.raises(AttributeError, match="read-only view"):
        del event.id
    with pytest.raises(TypeError, match="does not support item assignment"):
        event["x"] = 1  # type: ignore[index]
    with pytest.raises(attrs.exceptions.NotAnAttrsClassError):
        attrs.evolve(event, timestamp=1)
    with pytest.raises(TypeError, match="unhashable"):
        hash(event)
    assert event.timestamp == 1623673176622


def test_views_copy_and_pickle_as_their_mapping(np6_examples: dict[str, Any]) -> None:
    event = np6.decode_event(np6_examples["np6Hits"][0])
    assert event.source.detail.link.destination == "https://www.np6.fr"
    for copied in (copy.copy(event), copy.deepcopy(event), pickle.loads(pickle.dumps(event))):
        assert type(copied) is np6.HitEvent
        assert copied == event
        assert copied.source.detail.link.destination == "https://www.np6.fr"


def test_to_generated_refuses_what_the_model_could_not_hold(np6_examples: dict[str, Any]) -> None:
    raw = copy.deepcopy(np6_examples["np6Hits"][0])
    raw["source"]["detail"]["client"]["ip"]["type"] = "v9"
    with pytest.raises(np6.DecodeError, match=r"source.detail.client.ip: unknown kind 'v9'"):
        np6.decode_event(raw).to_generated()
    with pytest.raises(np6.DecodeError, match="no generated model"):
        np6.decode_event(raw | {"type": "complaint"}).to_generated()
    assert np6.decode_event(raw) != g.HitEvent.from_dict(np6_examples["np6Hits"][0])


def test_deviations_in_lists_are_reported_with_their_index() -> None:
    query = view_class(g.ItemsEventsQuery)(
        {"itemsEvents": [{"type": "email", "items": ["a", 2], "events": []}, "odd"]}
    )
    assert sorted(query.deviations) == [
        "itemsEvents[0].items[1]: expected a string, got int (kept as sent)",
        "itemsEvents[1]: expected an object, got str (kept as sent)",
    ]
    assert query.items_events[0].items == ["a", 2]
    assert query.items_events[1] == "odd"


_UUID_ALPHABET = "0123456789abcdefABCDEF-_+ {}:urnid\u0660"


def _with_hyphens(parts: tuple[str, list[int]]) -> str:
    """``parts[0]`` with a hyphen inserted at each of the offsets ``parts[1]``."""
    text, offsets = parts
    for offset in sorted(offsets, reverse=True):
        text = text[:offset] + "-" + text[offset:]
    return text


# 36 characters holding hyphens: where the fast path decides, odd digits and offsets included
_HYPHENATED = st.integers(3, 5).flatmap(
    lambda hyphens: st.tuples(
        st.text(alphabet="0123456789abcdefABCDEF_+ \u0660g-", min_size=36 - hyphens, max_size=36 - hyphens),
        st.lists(st.integers(0, 36 - hyphens), min_size=hyphens, max_size=hyphens),
    ).map(_with_hyphens)
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: str(u).upper()),
        _HYPHENATED,
        st.text(alphabet=_UUID_ALPHABET, min_size=30, max_size=45),
        st.text(max_size=40),
    )
)
def test_the_fast_uuid_parser_agrees_with_the_standard_library(text: str) -> None:
    """np6's UUID fast path accepts, refuses and reads exactly what ``uuid.UUID`` does."""
    try:
        expected: object = uuid.UUID(text)
    except ValueError:
        expected = ValueError
    try:
        got: object = parse_uuid(text)
    except ValueError:
        got = ValueError
    assert got == expected
    if isinstance(got, uuid.UUID):
        assert (got.int, got.is_safe, str(got), hash(got)) == (
            expected.int,  # type: ignore[union-attr]
            uuid.SafeUUID.unknown,
            str(expected),
            hash(expected),
        )
