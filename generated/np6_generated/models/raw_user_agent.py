from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RawUserAgent")


@_attrs_define
class RawUserAgent:
    """A user agent string NP6 did not recognise.

    Attributes:
        type_ (Literal['raw']): Kind of user agent.
        ua (str): The User-Agent header as received.
    """

    type_: Literal["raw"]
    ua: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "ua": "ua",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        ua = self.ua

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "ua": ua,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["raw"], d.pop("type"))
        if type_ != "raw":
            raise ValueError(f"type must match const 'raw', got '{type_}'")

        ua = d.pop("ua")

        raw_user_agent = cls(
            type_=type_,
            ua=ua,
        )

        raw_user_agent.additional_properties = d
        return raw_user_agent

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
