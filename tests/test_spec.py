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
# operations of the wider reference whose method and path its pages show (DECISIONS #31-#56);
# each with the query set it takes: E (start, end, sort), E+c (and classification), R (two windows)
WIDER_OPERATIONS = {
    "/targets/{id}/events/hits/open": "E+c",
    "/actions/{id}/events/activations": "E",
    "/actions/{id}/events/cancellations": "E",
    "/actions/{id}/events/bounces": "E",
    "/actions/{id}/events/hits/mirror": "E+c",
    "/actions/reactivities": "R",
    "/actions/reactivities/bounces": "R",
    "/actions/reactivities/hits/open": "R",
    "/actions/reactivities/hits/mirror": "R",
    "/actions/{id}/reactivities/hits/redirection": "R",
    "/actions/{id}/reactivities/hits/unsubscribe": "R",
    "/notifications/{id}/events/executions": "E",
    "/notifications/{id}/events/cancellations": "E",
    "/notifications/{id}/events/activations": "E",
    "/notifications/reactivities": "R",
    "/notifications/reactivities/hits": "R",
    "/notifications/reactivities/bounces": "R",
    "/notifications/{id}/reactivities/optouts": "R",
    "/display/events/activations": "E",
    "/display/content/{id}/events/activations": "E",
}
QUERY_SETS = {
    "E": ["start", "end", "sort"],
    "E+c": ["start", "end", "sort", "classification"],
    "R": ["activationStart", "activationEnd", "reactivityStart", "reactivityEnd", "sort"],
}
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
    assert sorted(found) == sorted(OPERATIONS + [("get", path) for path in WIDER_OPERATIONS])
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


@pytest.mark.parametrize("path", list(WIDER_OPERATIONS))
def test_every_wider_operation_takes_the_query_set_its_page_shows(spec: dict[str, Any], path: str) -> None:
    operation = spec["paths"][path]["get"]
    names = [p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]]
    path_ids = [n for n in names if n.endswith("IdPath")]
    assert names[len(path_ids) :] == QUERY_SETS[WIDER_OPERATIONS[path]]
    assert len(path_ids) == path.count("{id}")
    assert operation["security"] == [{"apiKey": []}]
    for status in ("400", "401", "403", "404", "429", "500", "502", "503", "504"):
        assert status in operation["responses"]
    assert operation["operationId"].startswith("get")
    assert operation["tags"][0].replace("-", "_") in {
        "contact_events",
        "action_events",
        "action_reactivities",
        "notification_events",
        "notification_reactivities",
        "display_events",
    }


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("actionIdPath", {"type": "string", "minLength": 1}),
        ("contentIdPath", {"type": "string", "minLength": 1}),
        ("notificationIdPath", {"type": "integer", "format": "int32", "minimum": 0, "maximum": 2**31 - 1}),
    ],
)
def test_path_ids_are_typed_as_the_pages_type_them(
    spec: dict[str, Any], name: str, schema: dict[str, Any]
) -> None:
    assert spec["components"]["parameters"][name]["schema"] == schema


# the kinds NP6's list of event types names without showing their shape
UNDETAILED = ["creation", "modification", "impression", "suppression", "optout", "complaint"]
REACTION_PATHS = ["/actions/reactivities", "/notifications/reactivities"]


@pytest.mark.parametrize("path", REACTION_PATHS)
def test_reaction_lists_take_reactions_and_undetailed_kinds_but_not_sends(
    spec: dict[str, Any], np6_examples: dict[str, Any], path: str
) -> None:
    validator = response_validator(spec, "get", path)
    for name in ("softBounces", "np6Hits", "stopReplies", "notificationOptouts", "notificationHits"):
        validator.validate(np6_examples[name])
    for kind in UNDETAILED:
        validator.validate([{**np6_examples["notificationOptouts"][0], "type": kind}])
    for name in ("np6Activations", "np6ActionCancellations"):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(np6_examples[name])
    with pytest.raises(jsonschema.ValidationError):
        validator.validate([{**np6_examples["notificationOptouts"][0], "type": "teleportation"}])


def test_display_events_keep_their_kind_and_source_open(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    validator = response_validator(spec, "get", "/display/events/activations")
    (event,) = np6_examples["displayActivations"]
    validator.validate([event])
    validator.validate([{**event, "source": {"type": "banner"}}])
    for missing in ("id", "timestamp", "identity", "source"):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate([{k: v for k, v in event.items() if k != missing}])


def test_an_item_id_is_a_string_for_actions_and_an_integer_for_notifications(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    validator = response_validator(spec, "get", "/notifications/{id}/events/activations")
    (event,) = np6_examples["notificationActivations"]
    assert isinstance(event["source"]["detail"]["activation"]["id"], int)
    validator.validate([event])
    response_validator(spec, "get", "/actions/{id}/events/activations").validate(
        np6_examples["np6ActionActivations"]
    )
    wrong = copy.deepcopy(event)
    wrong["source"]["detail"]["activation"]["id"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        validator.validate([wrong])


def test_every_np6_example_validates_against_every_operation_that_can_return_it(
    spec: dict[str, Any], np6_examples: dict[str, Any]
) -> None:
    checked = 0
    for name, events in np6_examples.items():
        if name == "itemsEventsQuery" or name in WIDER_EXAMPLES:
            continue
        for event in events:
            for path in operations_for(event["type"]):
                method = "post" if path.startswith("/campaigns") else "get"
                response_validator(spec, method, path).validate([event])
                checked += 1
    assert checked >= 20


# the examples of the wider operations, and the operations each is attached to
WIDER_EXAMPLES = {
    "np6ActionActivations",
    "np6ActionCancellations",
    "np6ActionBounces",
    "mirrorHits",
    "openHits",
    "unsubscribeHits",
    "notificationExecutions",
    "notificationCancellations",
    "notificationActivations",
    "notificationHits",
    "notificationBounces",
    "notificationOptouts",
    "displayActivations",
}


def test_every_example_validates_against_every_operation_it_is_attached_to(spec: dict[str, Any]) -> None:
    checked = set()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation["responses"]["200"]["content"]["application/json"]
            for example in content.get("examples", {}).values():
                name = example["$ref"].rsplit("/", 1)[1]
                response_validator(spec, method, path).validate(spec["components"]["examples"][name]["value"])
                checked.add(name)
    assert checked >= WIDER_EXAMPLES
    for path in WIDER_OPERATIONS:
        assert spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["examples"], path


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
    # and the first, whole event of each cut-off example of the action events pages
    np6_events = [
        event
        for name in ("np6MixedEvents", "np6ActionActivations", "np6ActionCancellations", "np6ActionBounces")
        for event in examples[name]["value"]
    ]
    for name, example in examples.items():
        if not isinstance(example["value"], list):
            continue
        ours = "(ours" in example["summary"]
        from_np6 = all(event in np6_events for event in example["value"])
        assert ours != from_np6, f"{name}: {example['summary']!r}"
        assert ours or "NP6's" in example["summary"], name
