from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactByIdOrUnicity")


@_attrs_define
class ContactByIdOrUnicity:
    """A contact, chosen by exactly one of its id or its unicity value: the object
    holds one property, never none, never both (`minProperties` and
    `maxProperties` 1, no other property).

        Attributes:
            id (str | Unset): Identifier of the contact.
            unicity (str | Unset): The contact's unicity value (the field that makes it unique in the base,
                usually the email address).
    """

    id: str | Unset = UNSET
    unicity: str | Unset = UNSET
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "id": "id",
        "unicity": "unicity",
    }

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        unicity = self.unicity

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if unicity is not UNSET:
            field_dict["unicity"] = unicity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        unicity = d.pop("unicity", UNSET)

        contact_by_id_or_unicity = cls(
            id=id,
            unicity=unicity,
        )

        return contact_by_id_or_unicity
