"""The mock NP6 server: every filter and error path, over a real socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis.strategies as st
import pytest
from helpers import events_in_db
from hypothesis import given, settings
from np6_mock import MockServer, Store
from np6_mock.validation import parse_time


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as client:
        yield client


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()]


def test_the_data_set_is_deterministic_and_has_every_kind() -> None:
    first, second, other = (Store.generated(events=800, seed=s) for s in (3, 3, 4))
    try:
        assert events_in_db(first) == events_in_db(second)
        assert events_in_db(first) != events_in_db(other)
        kinds = {e["type"] for e in events_in_db(first)}
        assert kinds == {"execution", "cancellation", "activation", "bounce", "hit", "reply"}
        links = {e["source"]["detail"]["link"]["type"] for e in events_in_db(first) if e["type"] == "hit"}
        assert links == {"open", "redirection", "form", "mirror", "unsubscribe"}
    finally:
        for store in (first, second, other):
            store.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "give exactly one of id, unicity to choose the contact; got none"),
        ("?id=a&unicity=b", "got id, unicity"),
        ("?id=", "id: must not be empty"),
        ("?id=a&id=b", "id: given more than once"),
        (
            "?id=a&start=yesterday",
            "start: 'yesterday' is neither an ISO 8601 date-time nor epoch milliseconds",
        ),
        ("?id=a&end=99999999999999999999", "beyond the int64 range"),
        ("?id=a&sort=up", "sort: 'up' is not 'asc' or 'desc'"),
    ],
)
def test_bad_requests_get_a_400_problem(http: httpx.Client, query: str, message: str) -> None:
    response = http.get(f"/targets/events{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]
    assert response.json()["status"] == 400


def test_hits_accept_hash_and_check_classification(http: httpx.Client, sample: dict[str, Any]) -> None:
    assert http.get("/targets/events/hits", params={"hash": sample["contact"]["hash"]}).status_code == 200
    response = http.get("/targets/events/hits", params={"id": "x", "classification": "mpp;gsr"})
    assert response.status_code == 400


def test_the_key_is_checked(server: MockServer) -> None:
    for headers in ({}, {"X-Key": "wrong"}):
        response = httpx.get(f"{server.base_url}/targets/events?id=x", headers=headers)
        assert response.status_code == 401
        assert response.json()["title"] == "Unauthorized"


def test_unknown_contacts_campaigns_and_paths_are_404(http: httpx.Client) -> None:
    assert http.get("/targets/nobody/events").status_code == 404
    assert http.get("/targets/events", params={"unicity": "nobody@example.com"}).status_code == 404
    assert http.post("/campaigns/NOPE/events").status_code == 404
    response = http.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_start_is_inclusive_and_end_exclusive_in_both_formats(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    contact = sample["contact"]["id"]
    events = sorted(events_in_db(store, "contact_id = ?", (contact,)), key=lambda e: e["timestamp"])
    pivot = events[len(events) // 2]["timestamp"]
    iso = "2024-01-01T00:00:00Z"
    assert parse_time("start", iso) == 1704067200000
    at_or_after = {e["id"] for e in events if e["timestamp"] >= pivot}
    before = {e["id"] for e in events if e["timestamp"] < pivot}
    from np6 import ms_to_datetime

    pivot_iso = ms_to_datetime(pivot).isoformat().replace("+00:00", "Z")
    for bound in (str(pivot), pivot_iso):
        assert set(ids(http.get(f"/targets/{contact}/events", params={"start": bound}))) == at_or_after
        assert set(ids(http.get(f"/targets/{contact}/events", params={"end": bound}))) == before


def test_offsets_in_iso_bounds_are_honoured() -> None:
    assert parse_time("start", "2024-01-01T02:00:00+02:00") == parse_time("start", "2024-01-01T00:00:00Z")
    assert parse_time("start", "2024-01-01T00:00:00.5Z") == 1704067200500
    assert parse_time("start", "0000-01-01T00:00:00Z") < 0


def test_sort_orders_by_timestamp(http: httpx.Client, sample: dict[str, Any]) -> None:
    contact = sample["contact"]["id"]
    for sort, reverse in (("asc", False), ("desc", True)):
        stamps = [
            e["timestamp"] for e in http.get(f"/targets/{contact}/events", params={"sort": sort}).json()
        ]
        assert stamps == sorted(stamps, reverse=reverse)


def test_each_kind_operation_answers_its_kind(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    contact = sample["contact"]
    paths = {
        f"/targets/{contact['id']}/events/activations": "type = 'activation'",
        f"/targets/{contact['id']}/events/bounces": "type = 'bounce'",
        f"/targets/{contact['id']}/events/hits/form": "type = 'hit' AND subtype = 'form' AND robot IS NULL",
        f"/targets/events/responses/stop?unicity={contact['unicity']}": "type = 'reply'",
        f"/targets/events/hits?hash={contact['hash']}": "type = 'hit' AND robot IS NULL",
    }
    for path, where in paths.items():
        expected = {e["id"] for e in events_in_db(store, f"contact_id = ? AND {where}", (contact["id"],))}
        assert set(ids(http.get(path))) == expected, path


def test_classification_adds_only_the_named_robots(http: httpx.Client, store: Store) -> None:
    with store.connect() as db:
        (contact,) = db.execute(
            "SELECT contact_id FROM events WHERE robot = 'mpp' GROUP BY contact_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    hits = events_in_db(store, "contact_id = ? AND type = 'hit'", (contact,))
    robots = {e["id"]: e["source"]["detail"]["client"].get("classification") for e in hits}
    human = {i for i, r in robots.items() if r is None}
    assert set(ids(http.get("/targets/events/hits", params={"id": contact}))) == human
    got = set(ids(http.get("/targets/events/hits", params={"id": contact, "classification": "mpp"})))
    assert got == human | {i for i, r in robots.items() if r == "mpp"}


def test_campaign_filters_by_item_kind_and_subtype(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    campaign, (item, *_) = sample["campaign"], sample["email_items"]
    everything = set(ids(http.post(f"/campaigns/{campaign}/events")))
    assert everything == {e["id"] for e in events_in_db(store, "campaign_id = ?", (campaign,))}
    body = {
        "itemsEvents": [
            {
                "type": "email",
                "items": [item],
                "events": [{"type": "bounce"}, {"type": "hit", "subtypes": ["open", "mirror"]}],
            }
        ]
    }
    for path in (f"/campaigns/{campaign}/events", f"/campaigns/{campaign}/items/events"):
        got = set(ids(http.post(path, json=body)))
        expected = {
            e["id"]
            for e in events_in_db(
                store,
                "item_id = ? AND (type = 'bounce' OR (type = 'hit' AND subtype IN ('open', 'mirror')))",
                (item,),
            )
        }
        assert got == expected and got


def test_campaign_bodies_are_validated(http: httpx.Client, sample: dict[str, Any]) -> None:
    campaign = sample["campaign"]
    assert http.post(f"/campaigns/{campaign}/items/events").status_code == 400
    wrong = {
        "itemsEvents": [{"type": "email", "items": ["a"], "events": [{"type": "hit", "subtypes": ["x"]}]}]
    }
    response = http.post(f"/campaigns/{campaign}/events", json=wrong)
    assert response.status_code == 400
    assert "itemsEvents/0/events/0/subtypes/0" in response.json()["detail"]
    response = http.post(
        f"/campaigns/{campaign}/events", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_a_malformed_fault_header_is_a_400(http: httpx.Client) -> None:
    response = http.get("/targets/events?id=x", headers={"X-Np6-Mock-Fault": "explode=1"})
    assert response.status_code == 400
    assert "unknown fault setting 'explode'" in response.json()["detail"]


def test_server_wide_faults_apply_to_every_request(store: Store) -> None:
    with MockServer(store, fault="status=503,retry-after=5") as server:
        response = httpx.get(f"{server.base_url}/targets/events?id=x", headers={"X-Key": server.api_key})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"


def test_load_serves_the_users_own_events(tmp_path: Path, np6_examples: dict[str, Any]) -> None:
    lines = [json.dumps(e) for e in np6_examples["np6MixedEvents"]]
    lines.append(
        json.dumps(
            {
                "event": np6_examples["stopReplies"][0],
                "campaign": "SMS1",
                "contact": {"id": "000R4M0T", "unicity": "example@np6.com"},
            }
        )
    )
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join(lines) + "\n")
    store = Store.from_jsonl(source)
    try:
        with (
            MockServer(store) as server,
            httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as http,
        ):
            assert len(ids(http.get("/targets/000R4M0T/events"))) == 4
            assert ids(http.get("/targets/events/responses/stop", params={"unicity": "example@np6.com"})) == [
                np6_examples["stopReplies"][0]["id"]
            ]
            assert len(ids(http.post("/campaigns/000PE4/events"))) == 3
    finally:
        store.close()


def test_a_bad_load_file_names_the_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"type": "hit", "timestamp": 1}\nnot json\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not JSON"):
        Store.from_jsonl(source)


@given(data=st.data())
@settings(max_examples=30)
def test_bounds_and_sort_hold_for_any_window(
    http: httpx.Client, store: Store, sample: dict[str, Any], data: st.DataObject
) -> None:
    from np6 import ms_to_datetime

    contact = sample["contact"]["id"]
    events = events_in_db(store, "contact_id = ?", (contact,))
    stamps = sorted(e["timestamp"] for e in events)
    start = data.draw(st.none() | st.sampled_from(stamps) | st.integers(stamps[0] - 10, stamps[-1] + 10))
    end = data.draw(st.none() | st.sampled_from(stamps) | st.integers(stamps[0] - 10, stamps[-1] + 10))
    iso = data.draw(st.booleans())
    sort = data.draw(st.sampled_from([None, "asc", "desc"]))

    def form(ms: int) -> str:
        return (
            ms_to_datetime(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z") if iso else str(ms)
        )

    params = {k: form(v) for k, v in (("start", start), ("end", end)) if v is not None}
    if sort:
        params["sort"] = sort
    got = http.get(f"/targets/{contact}/events", params=params).json()
    expected = {
        e["id"]
        for e in events
        if (start is None or e["timestamp"] >= start) and (end is None or e["timestamp"] < end)
    }
    assert {e["id"] for e in got} == expected
    if sort:
        assert [e["timestamp"] for e in got] == sorted((e["timestamp"] for e in got), reverse=sort == "desc")
