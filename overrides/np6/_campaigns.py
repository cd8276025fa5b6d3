"""Building the ``itemsEvents`` body of the campaign operations.

The body is made of the generated models (``ItemsEventsQuery``, ``ItemEventsFilter``,
``EventKindFilter``); :func:`items_filter` is a short way to write one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

from np6_generated.models import (
    ChannelType,
    EventKindFilter,
    EventType,
    HitSubtype,
    ItemEventsFilter,
    ItemsEventsQuery,
)
from np6_generated.types import UNSET

from ._errors import InvalidArgumentError
from ._text import sendable

__all__ = [
    "CampaignQuery",
    "ChannelType",
    "EventKindFilter",
    "EventType",
    "HitSubtype",
    "ItemEventsFilter",
    "ItemsEventsQuery",
    "items_filter",
]

CampaignQuery = ItemsEventsQuery | Sequence[ItemEventsFilter] | Mapping[str, Any]
"""What campaign methods accept as a filter: the generated query model, a list of
entries (see :func:`items_filter`), or the JSON body as a mapping."""


def _listed(values: Any, what: str) -> list[Any]:
    """``values`` as a list, refusing what is not a collection of names (a string would be its letters)."""
    if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
        raise InvalidArgumentError(f"{what} must be a list, got {type(values).__name__}")
    return list(values)


def _enum(cls: type[Any], value: Any, what: str) -> Any:
    try:
        return cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(member.value for member in cls)
        raise InvalidArgumentError(f"{what}: {value!r} is not one of {allowed}") from None


def items_filter(
    items: Iterable[str],
    *,
    channel: str | ChannelType = ChannelType.EMAIL,
    events: Iterable[str | EventType] = (),
    hits: Iterable[str | HitSubtype] | None = None,
) -> ItemEventsFilter:
    """One ``itemsEvents`` entry: the events of ``items`` on ``channel``.

    ``events`` names event kinds (``execution``, ``activation``, ``bounce``, ...);
    ``hits`` asks for hits, restricted to the given subtypes (``open``,
    ``redirection``, ``form``, ``unsubscribe``, ``mirror``; an empty list means all).
    With neither, every kind is asked for.
    """
    item_list = _listed(items, "items")
    if not item_list or not all(isinstance(i, str) and i for i in item_list):
        raise InvalidArgumentError(f"items must be a non-empty list of item ids, got {item_list!r}")
    for item in item_list:
        sendable(item, "an item id")
    kinds = [_enum(EventType, e, "events") for e in _listed(events, "events")]
    filters = [EventKindFilter(type_=kind) for kind in kinds if kind is not EventType.HIT]
    if hits is not None or EventType.HIT in kinds:
        subtypes = [_enum(HitSubtype, h, "hits") for h in _listed(hits or (), "hits")]
        filters.append(EventKindFilter(type_=EventType.HIT, subtypes=subtypes or UNSET))
    if not filters:
        filters = [EventKindFilter(type_=kind) for kind in EventType]
    return ItemEventsFilter(type_=_enum(ChannelType, channel, "channel"), events=filters, items=item_list)


def to_query_body(query: CampaignQuery) -> ItemsEventsQuery:
    """Normalise any accepted campaign filter to the generated query model."""
    if isinstance(query, ItemsEventsQuery):
        result = query
    elif isinstance(query, Mapping):
        _check_body(query)
        try:
            result = ItemsEventsQuery.from_dict(query)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidArgumentError(f"not a valid itemsEvents body: {exc!r}") from None
    else:
        entries = _listed(query, "a campaign query")
        if not all(isinstance(entry, ItemEventsFilter) for entry in entries):
            raise InvalidArgumentError(
                "a campaign query list must hold the entries np6.items_filter(...) makes"
            )
        result = ItemsEventsQuery(items_events=entries)
    if not result.items_events:
        raise InvalidArgumentError("a campaign query needs at least one itemsEvents entry")
    return result


def _check_body(body: Mapping[str, Any]) -> None:
    """Name the first misplaced or unknown part of an ``itemsEvents`` body, with what it may be."""

    def fail(path: str, problem: str) -> NoReturn:
        raise InvalidArgumentError(f"itemsEvents body: {path} {problem}")

    def one_of(path: str, value: Any, cls: type[Any]) -> None:
        allowed = [member.value for member in cls]
        if value not in allowed:
            fail(path, f"is {value!r}; it must be one of {', '.join(allowed)}")

    entries = body.get("itemsEvents")
    if not isinstance(entries, list):
        fail("itemsEvents", "must be a list of {type, events, items} entries")
    for i, entry in enumerate(entries):
        where = f"itemsEvents[{i}]"
        if not isinstance(entry, Mapping):
            fail(where, "must be an object with type, events and items")
        one_of(f"{where}.type", entry.get("type"), ChannelType)
        items = entry.get("items")
        if not isinstance(items, list) or not all(isinstance(item, str) and item for item in items):
            fail(f"{where}.items", "must be a list of item ids")
        for item in items:
            sendable(item, f"{where}.items")
        events = entry.get("events")
        if not isinstance(events, list):
            fail(f"{where}.events", 'must be a list of {"type": ...} objects')
        for j, kind in enumerate(events):
            if not isinstance(kind, Mapping):
                fail(f"{where}.events[{j}]", f'must be an object such as {{"type": "hit"}}, not {kind!r}')
            one_of(f"{where}.events[{j}].type", kind.get("type"), EventType)
            for k, subtype in enumerate(kind.get("subtypes") or []):
                one_of(f"{where}.events[{j}].subtypes[{k}]", subtype, HitSubtype)
