from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ContactByHash")


@_attrs_define
class ContactByHash:
    """A contact chosen by its hash, as found in a footprint recipient.

    Attributes:
        hash_ (str): The contact's hash.
    """

    hash_: str

    def to_dict(self) -> dict[str, Any]:
        hash_ = self.hash_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hash_ = d.pop("hash")

        contact_by_hash = cls(
            hash_=hash_,
        )

        return contact_by_hash
