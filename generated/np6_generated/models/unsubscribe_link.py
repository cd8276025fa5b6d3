from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UnsubscribeLink")


@_attrs_define
class UnsubscribeLink:
    """The unsubscribe link.

    Attributes:
        type_ (Literal['unsubscribe']): Kind of link.
        label (str | Unset): Label given to the link in the message.
        source (str | Unset): Part of the message the link sits in, for example `html`.
        destination (str | Unset): The unsubscribe page's address.
    """

    type_: Literal["unsubscribe"]
    label: str | Unset = UNSET
    source: str | Unset = UNSET
    destination: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "label": "label",
        "source": "source",
        "destination": "destination",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        label = self.label

        source = self.source

        destination = self.destination

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if source is not UNSET:
            field_dict["source"] = source
        if destination is not UNSET:
            field_dict["destination"] = destination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["unsubscribe"], d.pop("type"))
        if type_ != "unsubscribe":
            raise ValueError(f"type must match const 'unsubscribe', got '{type_}'")

        label = d.pop("label", UNSET)

        source = d.pop("source", UNSET)

        destination = d.pop("destination", UNSET)

        unsubscribe_link = cls(
            type_=type_,
            label=label,
            source=source,
            destination=destination,
        )

        unsubscribe_link.additional_properties = d
        return unsubscribe_link

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
