from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cancellation_value import CancellationValue


T = TypeVar("T", bound="Cancellation")


@_attrs_define
class Cancellation:
    """Why a message was not sent.

    Attributes:
        type_ (str | Unset): Kind of cancellation, for example `user defined policy`.
        value (CancellationValue | Unset): The rule that cancelled the message.
    """

    type_: str | Unset = UNSET
    value: CancellationValue | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "value": "value",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        value: dict[str, Any] | Unset = UNSET
        if not isinstance(self.value, Unset):
            value = self.value.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cancellation_value import CancellationValue  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        _value = d.pop("value", UNSET)
        value: CancellationValue | Unset
        if isinstance(_value, Unset):
            value = UNSET
        else:
            value = CancellationValue.from_dict(_value)

        cancellation = cls(
            type_=type_,
            value=value,
        )

        cancellation.additional_properties = d
        return cancellation

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
