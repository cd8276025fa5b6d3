from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from attrs import define as _attrs_define

from ..models.channel_type import ChannelType

if TYPE_CHECKING:
    from ..models.event_kind_filter import EventKindFilter


T = TypeVar("T", bound="ItemEventsFilter")


@_attrs_define
class ItemEventsFilter:
    """The items of one channel and the event kinds wanted for them.

    Attributes:
        type_ (ChannelType): Channel of a campaign item.
        events (list[EventKindFilter]): Event kinds wanted; an event matching any entry is answered.
        items (list[str]): Identifiers of the campaign items (actions) whose events are wanted.
    """

    type_: ChannelType
    events: list[EventKindFilter]
    items: list[str]
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "events": "events",
        "items": "items",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        items = self.items

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "events": events,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_kind_filter import EventKindFilter  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ChannelType(d.pop("type"))

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventKindFilter.from_dict(events_item_data)

            events.append(events_item)

        items = cast(list[str], d.pop("items"))

        item_events_filter = cls(
            type_=type_,
            events=events,
            items=items,
        )

        return item_events_filter
