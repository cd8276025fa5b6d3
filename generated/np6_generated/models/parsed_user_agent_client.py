from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ParsedUserAgentClient")


@_attrs_define
class ParsedUserAgentClient:
    """The program, for example a mobile browser.

    Attributes:
        type_ (str | Unset): Family of program, for example `Mobile browser`.
        name (str | Unset): Name of the program.
        version (str | Unset): Version of the program.
        vendor (str | Unset): Maker of the program.
    """

    type_: str | Unset = UNSET
    name: str | Unset = UNSET
    version: str | Unset = UNSET
    vendor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "name": "name",
        "version": "version",
        "vendor": "vendor",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        name = self.name

        version = self.version

        vendor = self.vendor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if name is not UNSET:
            field_dict["name"] = name
        if version is not UNSET:
            field_dict["version"] = version
        if vendor is not UNSET:
            field_dict["vendor"] = vendor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        name = d.pop("name", UNSET)

        version = d.pop("version", UNSET)

        vendor = d.pop("vendor", UNSET)

        parsed_user_agent_client = cls(
            type_=type_,
            name=name,
            version=version,
            vendor=vendor,
        )

        parsed_user_agent_client.additional_properties = d
        return parsed_user_agent_client

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
