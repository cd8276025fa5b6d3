"""Checked by mypy --strict and pyright (strict) in `make lint-types`: the public API's types,
as a user's editor sees them. ``assert_type`` fails both checkers when a type differs.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any, Literal, assert_never, assert_type

import dlt
import np6
import np6.dlt
from dlt.extract.source import DltSource
from np6_generated import models


def options_usage(client: np6.Client, async_client: np6.AsyncClient) -> None:
    assert_type(client.with_options(timeout=5, max_retries=1), np6.Client)
    assert_type(async_client.with_options(deadline=60), np6.AsyncClient)
    assert_type(client.options, np6.ClientOptions)
    assert_type(np6.ClientOptions(timeout=20).replace(deadline=None), np6.ClientOptions)
    assert_type(np6.Client(options=client.options.replace(max_retries=0)), np6.Client)


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
    with client.events(contact) as stream:
        for any_event in stream:
            assert_type(any_event, np6.Event)
        assert_type(stream.count, int)
    for raw in client.raw.events(contact):
        assert_type(raw, dict[str, Any])


async def async_usage(client: np6.AsyncClient, contact: np6.Contact) -> None:
    assert_type(client.bounces(contact), np6.AsyncEventStream[np6.BounceEvent])
    assert_type(client.raw.form_hits(contact), np6.AsyncEventStream[dict[str, Any]])
    async for event in client.hits(contact):
        assert_type(event, np6.HitEvent)
    async for item in client.campaigns_events(["C1", "C2"]):
        assert_type(item, np6.Tagged[str, np6.Event] | np6.Failed[str])


def fan_out(client: np6.Client, contacts: list[np6.Contact], kind: str) -> None:
    # the kind names the method each contact goes through, and so what is yielded
    assert_type(client.contacts_events(contacts, kind="hits"), np6.FanOut[np6.Contact, np6.HitEvent])
    assert_type(client.contacts_events(contacts, kind="form_hits"), np6.FanOut[np6.Contact, np6.HitEvent])
    assert_type(client.contacts_events(contacts, kind="bounces"), np6.FanOut[np6.Contact, np6.BounceEvent])
    assert_type(
        client.contacts_events(contacts, kind="activations"), np6.FanOut[np6.Contact, np6.ActivationEvent]
    )
    assert_type(
        client.contacts_events(contacts, kind="stop_responses"), np6.FanOut[np6.Contact, np6.ReplyEvent]
    )
    assert_type(client.contacts_events(contacts, kind=kind), np6.FanOut[np6.Contact, np6.Event])
    assert_type(client.raw.contacts_events(contacts, kind="hits"), np6.FanOut[np6.Contact, dict[str, Any]])
    fanned = client.contacts_events(contacts)
    assert_type(fanned, np6.FanOut[np6.Contact, np6.Event])
    for item in fanned:
        assert_type(item, np6.Tagged[np6.Contact, np6.Event] | np6.Failed[np6.Contact])
        match item:
            case np6.Tagged(target=contact, event=event):
                assert_type(contact, np6.Contact)
                assert_type(event, np6.Event)
            case np6.Failed(target=contact, error=error):
                assert_type(error, np6.Error)
    for raw in client.raw.contacts_events(contacts):
        assert_type(raw, np6.Tagged[np6.Contact, dict[str, Any]] | np6.Failed[np6.Contact])


def common_surface(event: np6.Event) -> None:
    # what every event has, whatever its kind
    assert_type(event.id, uuid.UUID)
    assert_type(event.timestamp, int)
    assert_type(event.datetime, datetime.datetime)
    assert_type(event.kind, str | None)
    assert_type(event.identity, np6.CustomerIdentity | np6.UnknownIdentity | None)
    assert_type(event.source, np6.Source | None)
    assert_type(event.deviations, list[str])
    assert_type(event.to_dict(), dict[str, Any])


def narrowing(event: np6.Event) -> str:
    match event:
        case np6.ExecutionEvent():
            assert_type(event.kind, Literal["execution"])
            return "execution"
        case np6.CancellationEvent():
            return "cancellation"
        case np6.ActivationEvent():
            return "activation"
        case np6.BounceEvent():
            return "bounce"
        case np6.HitEvent():
            assert_type(event.kind, Literal["hit"])
            assert_type(event.type_, Literal["hit"])
            assert_type(event.identity, np6.CustomerIdentity | np6.UnknownIdentity)
            assert_type(event.source, np6.Source)
            assert_type(event.to_generated(), models.HitEvent)
            return "hit"
        case np6.ReplyEvent():
            return "reply"
        case np6.UnknownEvent():
            assert_type(event.kind, str | None)
            assert_type(event.type_, object)
            return "unknown"
        case _:
            assert_never(event)


def absent_is_none(event: np6.HitEvent) -> None:
    source = event.source
    assert_type(source, np6.EmailSource | np6.NotificationSource | np6.SmsSource | np6.UnknownSource)
    if isinstance(source, np6.UnknownSource):
        return
    detail = source.detail
    assert_type(detail, np6.SourceDetail | None)
    if detail is None:
        return
    assert_type(detail.link, np6.Link | None)
    assert_type(detail.client, np6.HitClient | None)
    assert_type(detail.activation, np6.Activation | None)
    match detail.link:
        case np6.RedirectionLink(destination=destination):
            assert_type(destination, str | None)
        case np6.OpenLink() | np6.FormLink() | np6.UnsubscribeLink() | np6.MirrorLink():
            pass
        case np6.UnknownLink():
            assert_type(detail.link.raw, Mapping[str, Any])
        case None:
            pass
        case _:
            assert_never(detail.link)
    if detail.client is not None and detail.client.is_robot:
        assert_type(detail.client, np6.WebClient | np6.RobotClient | np6.UnknownHitClient)


def loads() -> None:
    source = np6.dlt.np6_source(contacts=["00348CVX"])
    assert_type(source, DltSource)
    dlt.pipeline(destination="duckdb").run(source)
