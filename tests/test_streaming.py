"""Streaming over a real socket: incremental, closes early, sync and async alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import np6
import pytest
from helpers import Recorder, events_in_db
from np6_mock import MockServer


def test_an_early_break_closes_the_connection(server: MockServer, sample: dict[str, Any]) -> None:
    recorder = Recorder()
    with np6.Client(server.api_key, base_url=server.base_url, transport=recorder.transport()) as client:
        for _ in client.campaign_events(sample["campaign"]):
            assert recorder.open_bodies == 1
            break
        assert recorder.all_closed


def test_raw_mode_yields_the_plain_mappings(client: np6.Client, store: Any, contact: np6.Contact) -> None:
    raw = list(client.raw.hits(contact, classification="genericrobot,mpp,gsr"))
    assert all(type(e) is dict for e in raw)
    assert sorted(raw, key=lambda e: e["id"]) == sorted(
        events_in_db(store, "contact_id = ? AND type = 'hit'", (contact.id,)), key=lambda e: e["id"]
    )


def test_selectors_the_operation_does_not_accept_fail_before_any_request(server: MockServer) -> None:
    recorder = Recorder()
    client = np6.Client(server.api_key, base_url=server.base_url, transport=recorder.transport())
    with pytest.raises(np6.InvalidArgumentError, match="by id here, not by hash"):
        client.activations(np6.Contact(hash="abc"))
    with pytest.raises(np6.InvalidArgumentError, match="by id or unicity here, not by hash"):
        client.events(np6.Contact(hash="abc"))
    with pytest.raises(ValueError, match="exactly one of id, unicity or hash"):
        np6.Contact(id="a", unicity="b")
    with pytest.raises(ValueError, match="start: 'yesterday' is not an ISO 8601"):
        client.events(np6.Contact(id="a"), start="yesterday")
    with pytest.raises(ValueError, match="end: expected a datetime, date, ISO 8601 string or epoch"):
        client.events(np6.Contact(id="a"), end=3.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="form_hits: NP6 selects the contact by id here, not by unicity"):
        client.form_hits(np6.Contact(unicity="a@example.com"))
    with pytest.raises(ValueError, match="classification must be names"):
        client.hits(np6.Contact(id="a"), classification="mpp;drop table")
    with pytest.raises(
        ValueError, match=r"start \(2024-02-01T00:00:00.000Z\) must be before end \(1704067200000 ms\)"
    ):
        client.events(np6.Contact(id="a"), start="2024-02-01", end=1704067200000)
    with pytest.raises(ValueError, match="this window holds no event"):
        client.campaign_events("C1", start=dt.date(2024, 1, 1), end=dt.datetime(2024, 1, 1))
    with pytest.raises(ValueError, match=r"1704153600 looks like epoch seconds \(2024-01-02 00:00:00 UTC\)"):
        client.events(np6.Contact(id="a"), start=1704153600)
    with pytest.raises(ValueError, match="sort must be 'asc' or 'desc'"):
        client.hits(np6.Contact(id="a"), sort="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"route='path' \(GET /targets/\{id\}/events\) takes a contact id"):
        client.events(np6.Contact(unicity="a@example.com"), route="path")
    assert recorder.requests == []


def test_unknown_options_are_a_type_error(client: np6.Client) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'strat'"):
        client.events(np6.Contact(id="a"), strat=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'classification'"):
        client.bounces(np6.Contact(id="a"), classification="mpp")  # type: ignore[call-arg]
