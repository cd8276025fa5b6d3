from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FootprintReceiver")


@_attrs_define
class FootprintReceiver:
    """A contact given by its id, unicity and hash together.

    Attributes:
        type_ (Literal['footprint']): Kind of receiver.
        id (str | Unset): Identifier of the contact.
        unicity (str | Unset): Unicity value of the contact.
        hash_ (str | Unset): Hash of the contact.
    """

    type_: Literal["footprint"]
    id: str | Unset = UNSET
    unicity: str | Unset = UNSET
    hash_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "id": "id",
        "unicity": "unicity",
        "hash_": "hash",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = self.id

        unicity = self.unicity

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if unicity is not UNSET:
            field_dict["unicity"] = unicity
        if hash_ is not UNSET:
            field_dict["hash"] = hash_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["footprint"], d.pop("type"))
        if type_ != "footprint":
            raise ValueError(f"type must match const 'footprint', got '{type_}'")

        id = d.pop("id", UNSET)

        unicity = d.pop("unicity", UNSET)

        hash_ = d.pop("hash", UNSET)

        footprint_receiver = cls(
            type_=type_,
            id=id,
            unicity=unicity,
            hash_=hash_,
        )

        footprint_receiver.additional_properties = d
        return footprint_receiver

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
