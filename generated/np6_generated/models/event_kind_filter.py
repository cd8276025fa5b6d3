from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define

from ..models.event_type import EventType
from ..models.hit_subtype import HitSubtype
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventKindFilter")


@_attrs_define
class EventKindFilter:
    """An event kind and, for hits, the hit subtypes wanted.

    Attributes:
        type_ (EventType): Kind of an event, as used in campaign queries.
        subtypes (list[HitSubtype] | Unset): For `hit` only: the hit subtypes wanted. Absent means every subtype.
    """

    type_: EventType
    subtypes: list[HitSubtype] | Unset = UNSET
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "subtypes": "subtypes",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        subtypes: list[str] | Unset = UNSET
        if not isinstance(self.subtypes, Unset):
            subtypes = []
            for subtypes_item_data in self.subtypes:
                subtypes_item = subtypes_item_data.value
                subtypes.append(subtypes_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if subtypes is not UNSET:
            field_dict["subtypes"] = subtypes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = EventType(d.pop("type"))

        _subtypes = d.pop("subtypes", UNSET)
        subtypes: list[HitSubtype] | Unset = UNSET
        if _subtypes is not UNSET:
            subtypes = []
            for subtypes_item_data in _subtypes:
                subtypes_item = HitSubtype(subtypes_item_data)

                subtypes.append(subtypes_item)

        event_kind_filter = cls(
            type_=type_,
            subtypes=subtypes,
        )

        return event_kind_filter
