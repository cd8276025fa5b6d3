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
from np6_generated.api.campaign_events import get_campaign_events, get_campaign_items_events
from np6_generated.api.contact_events import (
    get_contact_activations,
    get_contact_bounces,
    get_contact_events,
    get_contact_form_hits,
    get_target_events,
    get_target_hits,
    get_target_stop_responses,
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
    covered = set()
    for _, call, arguments, *_ in CASES:
        chosen = arguments.get("contact")
        selectors = [name for name in ("id", "unicity", "hash_") if getattr(chosen, name, UNSET) is not UNSET]
        covered |= {(call.__module__, name) for name in selectors or ["path"]}
    assert wanted - covered == set()
    assert len(wanted) >= 13
