"""The generated client alone reaches every documented operation correctly.

A recording HTTP server on a real socket captures what each generated function
sends: method, path, selector, parameters, body and key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from helpers import JsonServer
from np6_generated.api.action_events import (
    get_action_activations,
    get_action_bounces,
    get_action_cancellations,
    get_action_mirror_hits,
)
from np6_generated.api.action_reactivities import (
    get_action_reactivities,
    get_action_reactivities_bounces,
    get_action_reactivities_mirror_hits,
    get_action_reactivities_open_hits,
    get_one_action_reactivities_redirection_hits,
    get_one_action_reactivities_unsubscribe_hits,
)
from np6_generated.api.campaign_events import get_campaign_events, get_campaign_items_events
from np6_generated.api.contact_events import (
    get_contact_activations,
    get_contact_bounces,
    get_contact_events,
    get_contact_form_hits,
    get_contact_open_hits,
    get_target_events,
    get_target_hits,
    get_target_stop_responses,
)
from np6_generated.api.display_events import get_display_activations, get_display_content_activations
from np6_generated.api.notification_events import (
    get_notification_activations,
    get_notification_cancellations,
    get_notification_executions,
)
from np6_generated.api.notification_reactivities import (
    get_notification_reactivities,
    get_notification_reactivities_bounces,
    get_notification_reactivities_hits,
    get_one_notification_reactivities_optouts,
)
from np6_generated.client import AuthenticatedClient
from np6_generated.models import ContactByIdOrUnicity, ContactByIdUnicityOrHash, ItemsEventsQuery, SortOrder
from np6_generated.types import UNSET

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
END = 1706745600000
QUERY = {
    "itemsEvents": [
        {"type": "email", "events": [{"type": "hit", "subtypes": ["open", "mirror"]}], "items": ["actionId1"]}
    ]
}


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    server = JsonServer()
    yield server.base_url, server.requests
    server.close()


COMMON = {"start": START, "end": END, "sort": SortOrder.ASC}
EXPECTED_COMMON = {"start": ["2024-01-01T00:00:00+00:00"], "end": [str(END)], "sort": ["asc"]}
CASES: list[tuple[str, Callable[..., Any], dict[str, Any], str, str, dict[str, list[str]]]] = [
    (
        "GET /targets/{id}/events",
        get_contact_events.sync_detailed,
        {"id": "C 1/2"},
        "GET",
        "/targets/C%201%2F2/events",
        {},
    ),
    (
        "GET /targets/{id}/events/activations",
        get_contact_activations.sync_detailed,
        {"id": "000R4M0T"},
        "GET",
        "/targets/000R4M0T/events/activations",
        {},
    ),
    (
        "GET /targets/{id}/events/bounces",
        get_contact_bounces.sync_detailed,
        {"id": "000R4M0T"},
        "GET",
        "/targets/000R4M0T/events/bounces",
        {},
    ),
    (
        "GET /targets/{id}/events/hits/form",
        get_contact_form_hits.sync_detailed,
        {"id": "000R4M0T", "classification": "mpp,gsr"},
        "GET",
        "/targets/000R4M0T/events/hits/form",
        {"classification": ["mpp,gsr"]},
    ),
    (
        "GET /targets/{id}/events/hits/open",
        get_contact_open_hits.sync_detailed,
        {"id": "000R4M0T", "classification": "mpp"},
        "GET",
        "/targets/000R4M0T/events/hits/open",
        {"classification": ["mpp"]},
    ),
    (
        "GET /actions/{id}/events/activations",
        get_action_activations.sync_detailed,
        {"id": "000PE4"},
        "GET",
        "/actions/000PE4/events/activations",
        {},
    ),
    (
        "GET /actions/{id}/events/cancellations",
        get_action_cancellations.sync_detailed,
        {"id": "000PE4"},
        "GET",
        "/actions/000PE4/events/cancellations",
        {},
    ),
    (
        "GET /actions/{id}/events/bounces",
        get_action_bounces.sync_detailed,
        {"id": "000PE4"},
        "GET",
        "/actions/000PE4/events/bounces",
        {},
    ),
    (
        "GET /actions/{id}/events/hits/mirror",
        get_action_mirror_hits.sync_detailed,
        {"id": "000PE4", "classification": "gsr"},
        "GET",
        "/actions/000PE4/events/hits/mirror",
        {"classification": ["gsr"]},
    ),
    (
        "GET /notifications/{id}/events/executions",
        get_notification_executions.sync_detailed,
        {"id": 156},
        "GET",
        "/notifications/156/events/executions",
        {},
    ),
    (
        "GET /notifications/{id}/events/cancellations",
        get_notification_cancellations.sync_detailed,
        {"id": 156},
        "GET",
        "/notifications/156/events/cancellations",
        {},
    ),
    (
        "GET /notifications/{id}/events/activations",
        get_notification_activations.sync_detailed,
        {"id": 0},
        "GET",
        "/notifications/0/events/activations",
        {},
    ),
    (
        "GET /display/events/activations",
        get_display_activations.sync_detailed,
        {},
        "GET",
        "/display/events/activations",
        {},
    ),
    (
        "GET /display/content/{id}/events/activations",
        get_display_content_activations.sync_detailed,
        {"id": "C 1/2"},
        "GET",
        "/display/content/C%201%2F2/events/activations",
        {},
    ),
    (
        "GET /targets/events?id=",
        get_target_events.sync_detailed,
        {"contact": ContactByIdOrUnicity(id="000R4M0T")},
        "GET",
        "/targets/events",
        {"id": ["000R4M0T"]},
    ),
    (
        "GET /targets/events?unicity=",
        get_target_events.sync_detailed,
        {"contact": ContactByIdOrUnicity(unicity="a@np6.com")},
        "GET",
        "/targets/events",
        {"unicity": ["a@np6.com"]},
    ),
    (
        "GET /targets/events/hits?id=",
        get_target_hits.sync_detailed,
        {"contact": ContactByIdUnicityOrHash(id="000R4M0T")},
        "GET",
        "/targets/events/hits",
        {"id": ["000R4M0T"]},
    ),
    (
        "GET /targets/events/hits?unicity=",
        get_target_hits.sync_detailed,
        {"contact": ContactByIdUnicityOrHash(unicity="a@np6.com"), "classification": "genericrobot"},
        "GET",
        "/targets/events/hits",
        {"unicity": ["a@np6.com"], "classification": ["genericrobot"]},
    ),
    (
        "GET /targets/events/hits?hash=",
        get_target_hits.sync_detailed,
        {"contact": ContactByIdUnicityOrHash(hash_="0441619a")},
        "GET",
        "/targets/events/hits",
        {"hash": ["0441619a"]},
    ),
    (
        "GET /targets/events/responses/stop?id=",
        get_target_stop_responses.sync_detailed,
        {"contact": ContactByIdOrUnicity(id="000R4M0T")},
        "GET",
        "/targets/events/responses/stop",
        {"id": ["000R4M0T"]},
    ),
    (
        "GET /targets/events/responses/stop?unicity=",
        get_target_stop_responses.sync_detailed,
        {"contact": ContactByIdOrUnicity(unicity="a@np6.com")},
        "GET",
        "/targets/events/responses/stop",
        {"unicity": ["a@np6.com"]},
    ),
    (
        "POST /campaigns/{id}/events",
        get_campaign_events.sync_detailed,
        {"id": "000PE4", "body": ItemsEventsQuery.from_dict(QUERY)},
        "POST",
        "/campaigns/000PE4/events",
        {},
    ),
    (
        "POST /campaigns/{id}/items/events",
        get_campaign_items_events.sync_detailed,
        {"id": "000PE4", "body": ItemsEventsQuery.from_dict(QUERY)},
        "POST",
        "/campaigns/000PE4/items/events",
        {},
    ),
]


# the reactivity operations take two windows instead of start/end
REACTIVITY_COMMON = {
    "activation_start": START,
    "activation_end": END,
    "reactivity_start": dt.date(2024, 1, 2),
    "reactivity_end": END + 1,
    "sort": SortOrder.DESC,
}
EXPECTED_REACTIVITY_COMMON = {
    "activationStart": ["2024-01-01T00:00:00+00:00"],
    "activationEnd": [str(END)],
    "reactivityStart": ["2024-01-02"],
    "reactivityEnd": [str(END + 1)],
    "sort": ["desc"],
}
REACTIVITY_CASES: list[tuple[str, Callable[..., Any], dict[str, Any], str]] = [
    ("GET /actions/reactivities", get_action_reactivities.sync_detailed, {}, "/actions/reactivities"),
    (
        "GET /actions/reactivities/bounces",
        get_action_reactivities_bounces.sync_detailed,
        {},
        "/actions/reactivities/bounces",
    ),
    (
        "GET /actions/reactivities/hits/open",
        get_action_reactivities_open_hits.sync_detailed,
        {},
        "/actions/reactivities/hits/open",
    ),
    (
        "GET /actions/reactivities/hits/mirror",
        get_action_reactivities_mirror_hits.sync_detailed,
        {},
        "/actions/reactivities/hits/mirror",
    ),
    (
        "GET /actions/{id}/reactivities/hits/redirection",
        get_one_action_reactivities_redirection_hits.sync_detailed,
        {"id": "000PE4"},
        "/actions/000PE4/reactivities/hits/redirection",
    ),
    (
        "GET /actions/{id}/reactivities/hits/unsubscribe",
        get_one_action_reactivities_unsubscribe_hits.sync_detailed,
        {"id": "000PE4"},
        "/actions/000PE4/reactivities/hits/unsubscribe",
    ),
    (
        "GET /notifications/reactivities",
        get_notification_reactivities.sync_detailed,
        {},
        "/notifications/reactivities",
    ),
    (
        "GET /notifications/reactivities/hits",
        get_notification_reactivities_hits.sync_detailed,
        {},
        "/notifications/reactivities/hits",
    ),
    (
        "GET /notifications/reactivities/bounces",
        get_notification_reactivities_bounces.sync_detailed,
        {},
        "/notifications/reactivities/bounces",
    ),
    (
        "GET /notifications/{id}/reactivities/optouts",
        get_one_notification_reactivities_optouts.sync_detailed,
        {"id": 156},
        "/notifications/156/reactivities/optouts",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "arguments", "path"), REACTIVITY_CASES, ids=[c[0] for c in REACTIVITY_CASES]
)
def test_each_reactivity_operation(
    recorder: tuple[str, list[dict[str, Any]]],
    name: str,
    call: Callable[..., Any],
    arguments: dict[str, Any],
    path: str,
) -> None:
    base_url, requests = recorder
    requests.clear()
    client = AuthenticatedClient(base_url=base_url, token="k-123", prefix="", auth_header_name="X-Key")
    response = call(client=client, **arguments, **REACTIVITY_COMMON)
    assert response.status_code == 200
    assert response.parsed == []
    (sent,) = requests
    assert (sent["method"], sent["path"]) == ("GET", path)
    assert sent["query"] == EXPECTED_REACTIVITY_COMMON
    assert sent["key"] == "k-123"
    assert sent["body"] is None


@pytest.mark.parametrize(
    ("name", "call", "arguments", "method", "path", "query"), CASES, ids=[c[0] for c in CASES]
)
def test_each_documented_operation(
    recorder: tuple[str, list[dict[str, Any]]],
    name: str,
    call: Callable[..., Any],
    arguments: dict[str, Any],
    method: str,
    path: str,
    query: dict[str, list[str]],
) -> None:
    base_url, requests = recorder
    requests.clear()
    client = AuthenticatedClient(base_url=base_url, token="k-123", prefix="", auth_header_name="X-Key")
    response = call(client=client, **arguments, **COMMON)
    assert response.status_code == 200
    assert response.parsed == []
    (sent,) = requests
    assert sent["method"] == method
    assert sent["path"] == path
    assert sent["query"] == {**query, **EXPECTED_COMMON}
    assert sent["key"] == "k-123"
    assert sent["body"] == (QUERY if method == "POST" else None)


def test_every_generated_operation_and_selector_is_covered() -> None:
    """A new operation, or a new selector of one, fails here until a case above exercises it."""
    import importlib
    import inspect
    import pkgutil

    import np6_generated.api

    wanted: set[tuple[str, str]] = set()
    for package in pkgutil.iter_modules(np6_generated.api.__path__):
        tag = importlib.import_module(f"np6_generated.api.{package.name}")
        for operation in pkgutil.iter_modules(tag.__path__):
            module = importlib.import_module(f"{tag.__name__}.{operation.name}")
            parameters = inspect.signature(module.sync_detailed).parameters
            # the exactly-one-of selector is one object parameter, `contact`: its fields
            contact = parameters.get("contact")
            selectors = [field.name for field in attrs.fields(contact.annotation)] if contact else []
            wanted |= {(module.__name__, name) for name in selectors or ["path"]}
    covered = {(call.__module__, "path") for _, call, *_ in REACTIVITY_CASES}
    for _, call, arguments, *_ in CASES:
        chosen = arguments.get("contact")
        selectors = [name for name in ("id", "unicity", "hash_") if getattr(chosen, name, UNSET) is not UNSET]
        covered |= {(call.__module__, name) for name in selectors or ["path"]}
    assert wanted - covered == set()
    assert len(wanted) >= 33


def test_client_generated_goes_through_the_clients_transport() -> None:
    """A transport given to np6 carries the generated client's requests too, with the key."""
    import httpx
    import np6
    from np6.generated.api.action_events import get_action_bounces

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    with np6.Client(
        "generated-key-xyz", base_url="https://np6.test", transport=httpx.MockTransport(answer)
    ) as c:
        response = get_action_bounces.sync_detailed("A1", client=c.generated)
    assert response.status_code == 200
    assert [(r.url.path, r.headers["X-Key"]) for r in seen] == [
        ("/actions/A1/events/bounces", "generated-key-xyz")
    ]
