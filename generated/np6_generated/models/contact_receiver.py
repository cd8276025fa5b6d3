from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contact_receiver_value import ContactReceiverValue


T = TypeVar("T", bound="ContactReceiver")


@_attrs_define
class ContactReceiver:
    """A contact given by its fields, as push notifications report it.

    Attributes:
        type_ (Literal['contact']): Kind of receiver.
        value (ContactReceiverValue): The contact's fields, as free-form JSON.
    """

    type_: Literal["contact"]
    value: ContactReceiverValue
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "value": "value",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        value = self.value.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_receiver_value import ContactReceiverValue  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["contact"], d.pop("type"))
        if type_ != "contact":
            raise ValueError(f"type must match const 'contact', got '{type_}'")

        value = ContactReceiverValue.from_dict(d.pop("value"))

        contact_receiver = cls(
            type_=type_,
            value=value,
        )

        contact_receiver.additional_properties = d
        return contact_receiver

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
