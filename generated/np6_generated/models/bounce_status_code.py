from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BounceStatusCode")


@_attrs_define
class BounceStatusCode:
    """Status codes of the answer.

    Attributes:
        enhanced (str | Unset): Enhanced status code (RFC 3463), for example `5.4.4`.
    """

    enhanced: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "enhanced": "enhanced",
    }

    def to_dict(self) -> dict[str, Any]:
        enhanced = self.enhanced

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enhanced is not UNSET:
            field_dict["enhanced"] = enhanced

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enhanced = d.pop("enhanced", UNSET)

        bounce_status_code = cls(
            enhanced=enhanced,
        )

        bounce_status_code.additional_properties = d
        return bounce_status_code

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
