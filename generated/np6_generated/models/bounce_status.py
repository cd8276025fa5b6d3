from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bounce_status_code import BounceStatusCode


T = TypeVar("T", bound="BounceStatus")


@_attrs_define
class BounceStatus:
    """What the receiving system answered.

    Attributes:
        type_ (str | Unset): When the bounce was received, for example `sync` or `async`.
        code (BounceStatusCode | Unset): Status codes of the answer.
        diagnostic (str | Unset): Diagnostic text of the answer.
        mta (str | Unset): The mail transfer agent that answered.
    """

    type_: str | Unset = UNSET
    code: BounceStatusCode | Unset = UNSET
    diagnostic: str | Unset = UNSET
    mta: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "code": "code",
        "diagnostic": "diagnostic",
        "mta": "mta",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        code: dict[str, Any] | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code.to_dict()

        diagnostic = self.diagnostic

        mta = self.mta

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if code is not UNSET:
            field_dict["code"] = code
        if diagnostic is not UNSET:
            field_dict["diagnostic"] = diagnostic
        if mta is not UNSET:
            field_dict["mta"] = mta

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bounce_status_code import BounceStatusCode  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        _code = d.pop("code", UNSET)
        code: BounceStatusCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = BounceStatusCode.from_dict(_code)

        diagnostic = d.pop("diagnostic", UNSET)

        mta = d.pop("mta", UNSET)

        bounce_status = cls(
            type_=type_,
            code=code,
            diagnostic=diagnostic,
            mta=mta,
        )

        bounce_status.additional_properties = d
        return bounce_status

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
