from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source_detail import SourceDetail


T = TypeVar("T", bound="EmailSource")


@_attrs_define
class EmailSource:
    """An email message.

    Attributes:
        type_ (Literal['email']): Kind of source.
        detail (SourceDetail | Unset): What the event is about. Which parts are present depends on the event kind:
            `execution` (execution, cancellation), `cancellation` (cancellation),
            `activation` (activation, bounce, hit, reply), `bounce` (bounce), `link` and
            `client` (hit), `reply` (reply).
    """

    type_: Literal["email"]
    detail: SourceDetail | Unset = UNSET
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
        from ..models.source_detail import SourceDetail  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["email"], d.pop("type"))
        if type_ != "email":
            raise ValueError(f"type must match const 'email', got '{type_}'")

        _detail = d.pop("detail", UNSET)
        detail: SourceDetail | Unset
        if isinstance(_detail, Unset):
            detail = UNSET
        else:
            detail = SourceDetail.from_dict(_detail)

        email_source = cls(
            type_=type_,
            detail=detail,
        )

        email_source.additional_properties = d
        return email_source

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
