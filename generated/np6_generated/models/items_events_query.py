from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.item_events_filter import ItemEventsFilter


T = TypeVar("T", bound="ItemsEventsQuery")


@_attrs_define
class ItemsEventsQuery:
    """Selects which events of a campaign to answer.

    Attributes:
        items_events (list[ItemEventsFilter]): One entry per channel; an event matching any entry is answered.
    """

    items_events: list[ItemEventsFilter]
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "items_events": "itemsEvents",
    }

    def to_dict(self) -> dict[str, Any]:
        items_events = []
        for items_events_item_data in self.items_events:
            items_events_item = items_events_item_data.to_dict()
            items_events.append(items_events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "itemsEvents": items_events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_events_filter import ItemEventsFilter  # noqa: PLC0415

        d = dict(src_dict)
        items_events = []
        _items_events = d.pop("itemsEvents")
        for items_events_item_data in _items_events:
            items_events_item = ItemEventsFilter.from_dict(items_events_item_data)

            items_events.append(items_events_item)

        items_events_query = cls(
            items_events=items_events,
        )

        return items_events_query
