from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ContactByUnicity")


@_attrs_define
class ContactByUnicity:
    """A contact chosen by its unicity value (the field that makes it unique in the
    base, usually the email address).

        Attributes:
            unicity (str): The contact's unicity value.
    """

    unicity: str

    def to_dict(self) -> dict[str, Any]:
        unicity = self.unicity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "unicity": unicity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        unicity = d.pop("unicity")

        contact_by_unicity = cls(
            unicity=unicity,
        )

        return contact_by_unicity
