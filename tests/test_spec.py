"""The spec: NP6's examples validate where they should, unknown kinds do not."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import jsonschema
import pytest

OPERATIONS = [
    ("get", "/targets/{id}/events"),
    ("get", "/targets/{id}/events/activations"),
    ("get", "/targets/{id}/events/bounces"),
    ("get", "/targets/{id}/events/hits/form"),
    ("get", "/targets/events"),
    ("get", "/targets/events/hits"),
    ("get", "/targets/events/responses/stop"),
    ("post", "/campaigns/{id}/events"),
    ("post", "/campaigns/{id}/items/events"),
]
# which operations may answer each kind of event
KIND_OPERATIONS = {
    "execution": [
        "/targets/{id}/events",
        "/targets/events",
        "/campaigns/{id}/events",
        "/campaigns/{id}/items/events",
    ],
    "activation": ["/targets/{id}/events/activations"],
    "bounce": ["/targets/{id}/events/bounces"],
    "hit": ["/targets/{id}/events/hits/form", "/targets/events/hits"],
    "reply": ["/targets/events/responses/stop"],
}
ALL_KINDS_OPERATIONS = KIND_OPERATIONS["execution"]


def response_validator(spec: dict[str, Any], method: str, path: str) -> jsonschema.Draft202012Validator:
    schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator(
        {**schema, "components": spec["components"]}, format_checker=jsonschema.FormatChecker()
    )


def operations_for(kind: str) -> list[str]:
    return sorted(set(KIND_OPERATIONS.get(kind, [])) | set(ALL_KINDS_OPERATIONS))


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def selector_parameters(spec: dict[str, Any], path: str) -> list[dict[str, Any]]:
    parameters = [resolve(spec, p) for p in spec["paths"][path]["get"]["parameters"]]
    return [p for p in parameters if p["name"] == "contact"]


def selectors_of(spec: dict[str, Any], path: str) -> list[str] | None:
    """The names in the operation's exactly-one-of contact object, if it has one."""
    found = selector_parameters(spec, path)
    if not found:
        return None
    return list(resolve(spec, found[0]["schema"])["properties"])


def test_the_thirteen_documented_operations_are_nine_path_methods(spec: dict[str, Any]) -> None:
    found = [(m, p) for p, item in spec["paths"].items() for m in item if m in ("get", "post")]
    assert sorted(found) == sorted(OPERATIONS)
    selectors = {p: selectors_of(spec, p) for _, p in OPERATIONS if _ == "get"}
    # 4 path operations + 2 (events) + 3 (hits) + 2 (stop) + 2 campaign = 13 documented variants
    variants = sum(len(s) if s else 1 for s in selectors.values()) + 2
    assert variants == 13
    assert selectors["/targets/events/hits"] == ["id", "unicity", "hash"]
    assert selectors["/targets/events"] == ["id", "unicity"]
    assert selectors["/targets/events/responses/stop"] == ["id", "unicity"]


SELECTOR_PATHS = ["/targets/events", "/targets/events/hits", "/targets/events/responses/stop"]


@pytest.mark.parametrize("path", SELECTOR_PATHS)
def test_exactly_one_selector_is_said_in_the_schema_itself(spec: dict[str, Any], path: str) -> None:
    """Said in JSON Schema that generic tools honour (schemathesis, Prism, openapi-python-client)."""
    (parameter,) = selector_parameters(spec, path)
    assert (parameter["in"], parameter["required"], parameter["style"], parameter["explode"]) == (
        "query",
        True,
        "form",
        True,
    )
    assert not any(key.startswith("x-") for key in spec["paths"][path]["get"])
    schema = {**resolve(spec, parameter["schema"]), "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    names = selectors_of(spec, path) or []
    for name in names:
        validator.validate({name: "x"})
    for count in (0, 2, 3):
        for chosen in itertools.combinations(names, count):
            with pytest.raises(jsonschema.ValidationError):
                validator.validate(dict.fromkeys(chosen, "x"))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({names[0]: ""})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({names[0]: "x", "sort": "asc"})


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_has_the_common_parameters_and_key(
    spec: dict[str, Any], method: str, path: str
) -> None:
    operation = spec["paths"][path][method]
    names = {p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]}
    assert {"start", "end", "sort"} <= names
    assert ("classification" in names) == ("hits" in path)
    assert operation["security"] == [{"apiKey": []}]
    for status in ("400", "401", "403", "404", "429", "500", "502", "503", "504"):
        assert status in operation["responses"]


def test_every_np6_example_validates_against_every_operation_that_can_return_it(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    checked = 0
    for name, events in np6_examples.items():
        if name == "itemsEventsQuery":
            continue
        for event in events:
            for path in operations_for(event["type"]):
                method = "post" if path.startswith("/campaigns") else "get"
                response_validator(spec, method, path).validate([event])
                checked += 1
    assert checked >= 20


def test_an_example_of_one_kind_is_refused_by_an_operation_for_another(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    execution = np6_examples["np6MixedEvents"][0]
    with pytest.raises(jsonschema.ValidationError):
        response_validator(spec, "get", "/targets/{id}/events/activations").validate([execution])


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_unknown_event_kind_is_rejected_by_the_spec(
    spec: dict[str, Any], np6_examples: dict[str, Any], method: str, path: str
) -> None:
    event = copy.deepcopy(np6_examples["np6Hits"][0])
    event["type"] = "teleportation"
    with pytest.raises(jsonschema.ValidationError):
        response_validator(spec, method, path).validate([event])


@pytest.mark.parametrize(
    ("where", "kind"),
    [
        (("source",), "carrier-pigeon"),
        (("source", "detail", "link"), "hologram"),
        (("source", "detail", "client"), "cyborg"),
        (("source", "detail", "client", "ip"), "v9"),
        (("source", "detail", "client", "ua"), "telepathic"),
        (("identity",), "martian"),
        (("source", "detail", "activation", "receiver"), "ghost"),
    ],
)
def test_unknown_kinds_at_inner_levels_are_rejected_too(
    spec: dict[str, Any], np6_examples: dict[str, Any], where: tuple[str, ...], kind: str
) -> None:
    event = copy.deepcopy(np6_examples["np6Hits"][0])
    node = event
    for key in where:
        node = node[key]
    node["type"] = kind
    with pytest.raises(jsonschema.ValidationError):
        response_validator(spec, "get", "/targets/events/hits").validate([event])


def test_extra_properties_stay_allowed(spec: dict[str, Any], np6_examples: dict[str, Any]) -> None:
    event = copy.deepcopy(np6_examples["np6Hits"][0])
    event["campaign"] = {"id": "000PE4"}
    event["source"]["detail"]["client"]["ua"]["engine"] = "Blink"
    response_validator(spec, "get", "/targets/events/hits").validate([event])


def test_the_request_example_validates_and_its_body_is_strict(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/ItemsEventsQuery", "components": spec["components"]}
    )
    body = np6_examples["itemsEventsQuery"]
    validator.validate(body)
    wrong = copy.deepcopy(body)
    wrong["itemsEvents"][0]["events"][0]["subtypes"].append("teleport")
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(wrong)


def test_an_example_called_np6s_holds_only_np6s_own_events(spec: dict[str, Any]) -> None:
    """NP6's pages show three real events (np6MixedEvents); any other event is ours and says so."""
    examples = spec["components"]["examples"]
    np6_events = examples["np6MixedEvents"]["value"]
    for name, example in examples.items():
        if not isinstance(example["value"], list):
            continue
        ours = "(ours" in example["summary"]
        from_np6 = all(event in np6_events for event in example["value"])
        assert ours != from_np6, f"{name}: {example['summary']!r}"
        assert ours or "NP6's" in example["summary"], name
