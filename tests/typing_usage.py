"""Checked by mypy in `make lint`: the public API's types, as a user's editor sees them."""

from __future__ import annotations

from typing import Any, assert_type

import np6


def sync_usage(client: np6.Client, contact: np6.Contact) -> None:
    assert_type(client.hits(contact, sort="asc", classification=["mpp"]), np6.EventStream[np6.HitEvent])
    assert_type(client.raw.hits(contact), np6.EventStream[dict[str, Any]])
    assert_type(client.events(contact, route="path"), np6.EventStream[np6.Event])
    assert_type(client.stop_responses(contact, start="2024-01-01"), np6.EventStream[np6.ReplyEvent])
    assert_type(
        client.campaign_events("C1", [np6.items_filter(["a"])], items_only=True), np6.EventStream[np6.Event]
    )
    for event in client.activations(contact):
        assert_type(event, np6.ActivationEvent)


async def async_usage(client: np6.AsyncClient, contact: np6.Contact) -> None:
    assert_type(client.bounces(contact), np6.AsyncEventStream[np6.BounceEvent])
    assert_type(client.raw.form_hits(contact), np6.AsyncEventStream[dict[str, Any]])
    async for event in client.hits(contact):
        assert_type(event, np6.HitEvent)
