from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ParsedUserAgentDevice")


@_attrs_define
class ParsedUserAgentDevice:
    """The device.

    Attributes:
        type_ (str | Unset): Kind of device, for example `Smartphone`.
        name (str | Unset): Model name.
        brand (str | Unset): Brand of the device.
    """

    type_: str | Unset = UNSET
    name: str | Unset = UNSET
    brand: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "name": "name",
        "brand": "brand",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        name = self.name

        brand = self.brand

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if name is not UNSET:
            field_dict["name"] = name
        if brand is not UNSET:
            field_dict["brand"] = brand

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        name = d.pop("name", UNSET)

        brand = d.pop("brand", UNSET)

        parsed_user_agent_device = cls(
            type_=type_,
            name=name,
            brand=brand,
        )

        parsed_user_agent_device.additional_properties = d
        return parsed_user_agent_device

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
