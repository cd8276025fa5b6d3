from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.display_source_detail import DisplaySourceDetail


T = TypeVar("T", bound="DisplaySource")


@_attrs_define
class DisplaySource:
    """Where a display event comes from; its kinds are not documented.

    Attributes:
        type_ (str): Kind of source.
        detail (DisplaySourceDetail | Unset): What the event is about, as free-form JSON.
    """

    type_: str
    detail: DisplaySourceDetail | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "detail": "detail",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        detail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.detail, Unset):
            detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.display_source_detail import DisplaySourceDetail  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        _detail = d.pop("detail", UNSET)
        detail: DisplaySourceDetail | Unset
        if isinstance(_detail, Unset):
            detail = UNSET
        else:
            detail = DisplaySourceDetail.from_dict(_detail)

        display_source = cls(
            type_=type_,
            detail=detail,
        )

        display_source.additional_properties = d
        return display_source

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
