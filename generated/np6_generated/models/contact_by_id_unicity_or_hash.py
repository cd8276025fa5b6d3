from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactByIdUnicityOrHash")


@_attrs_define
class ContactByIdUnicityOrHash:
    """A contact, chosen by exactly one of its id, unicity value or hash: the object
    holds one property, never none, never several (`minProperties` and
    `maxProperties` 1, no other property).

        Attributes:
            id (str | Unset): Identifier of the contact.
            unicity (str | Unset): The contact's unicity value (the field that makes it unique in the base,
                usually the email address).
            hash_ (str | Unset): The contact's hash, as found in a footprint recipient.
    """

    id: str | Unset = UNSET
    unicity: str | Unset = UNSET
    hash_: str | Unset = UNSET
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "id": "id",
        "unicity": "unicity",
        "hash_": "hash",
    }

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        unicity = self.unicity

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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
        id = d.pop("id", UNSET)

        unicity = d.pop("unicity", UNSET)

        hash_ = d.pop("hash", UNSET)

        contact_by_id_unicity_or_hash = cls(
            id=id,
            unicity=unicity,
            hash_=hash_,
        )

        return contact_by_id_unicity_or_hash
