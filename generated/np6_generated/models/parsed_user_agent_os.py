from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ParsedUserAgentOs")


@_attrs_define
class ParsedUserAgentOs:
    """The operating system.

    Attributes:
        name (str | Unset): Name and version of the system.
        family (str | Unset): Family of the system.
        vendor (str | Unset): Maker of the system.
    """

    name: str | Unset = UNSET
    family: str | Unset = UNSET
    vendor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "name": "name",
        "family": "family",
        "vendor": "vendor",
    }

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        family = self.family

        vendor = self.vendor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if family is not UNSET:
            field_dict["family"] = family
        if vendor is not UNSET:
            field_dict["vendor"] = vendor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        family = d.pop("family", UNSET)

        vendor = d.pop("vendor", UNSET)

        parsed_user_agent_os = cls(
            name=name,
            family=family,
            vendor=vendor,
        )

        parsed_user_agent_os.additional_properties = d
        return parsed_user_agent_os

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
