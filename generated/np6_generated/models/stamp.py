from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Stamp")


@_attrs_define
class Stamp:
    """When and in which run a message was produced.

    Attributes:
        time (int | Unset): Production time in milliseconds since the epoch.
        id (UUID | Unset): Identifier of the production.
        thread (UUID | Unset): Identifier of the production thread.
    """

    time: int | Unset = UNSET
    id: UUID | Unset = UNSET
    thread: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "time": "time",
        "id": "id",
        "thread": "thread",
    }

    def to_dict(self) -> dict[str, Any]:
        time = self.time

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        thread: str | Unset = UNSET
        if not isinstance(self.thread, Unset):
            thread = str(self.thread)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if time is not UNSET:
            field_dict["time"] = time
        if id is not UNSET:
            field_dict["id"] = id
        if thread is not UNSET:
            field_dict["thread"] = thread

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = d.pop("time", UNSET)

        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        _thread = d.pop("thread", UNSET)
        thread: UUID | Unset
        if isinstance(_thread, Unset):
            thread = UNSET
        else:
            thread = UUID(_thread)

        stamp = cls(
            time=time,
            id=id,
            thread=thread,
        )

        stamp.additional_properties = d
        return stamp

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
