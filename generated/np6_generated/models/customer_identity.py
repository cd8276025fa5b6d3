from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CustomerIdentity")


@_attrs_define
class CustomerIdentity:
    """An NP6 customer account within an agency.

    Attributes:
        type_ (Literal['customer']): Kind of identity.
        agency (str): Code of the agency.
        customer (str): Code of the customer within the agency.
    """

    type_: Literal["customer"]
    agency: str
    customer: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "agency": "agency",
        "customer": "customer",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        agency = self.agency

        customer = self.customer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "agency": agency,
                "customer": customer,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["customer"], d.pop("type"))
        if type_ != "customer":
            raise ValueError(f"type must match const 'customer', got '{type_}'")

        agency = d.pop("agency")

        customer = d.pop("customer")

        customer_identity = cls(
            type_=type_,
            agency=agency,
            customer=customer,
        )

        customer_identity.additional_properties = d
        return customer_identity

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
