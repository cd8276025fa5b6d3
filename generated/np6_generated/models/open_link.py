from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OpenLink")


@_attrs_define
class OpenLink:
    """The message was opened (its tracking pixel was loaded).

    Attributes:
        type_ (Literal['open']): Kind of link.
        source (str | Unset): Part of the message the link sits in, for example `html`.
    """

    type_: Literal["open"]
    source: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "source": "source",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["open"], d.pop("type"))
        if type_ != "open":
            raise ValueError(f"type must match const 'open', got '{type_}'")

        source = d.pop("source", UNSET)

        open_link = cls(
            type_=type_,
            source=source,
        )

        open_link.additional_properties = d
        return open_link

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
