from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bounce_analysis import BounceAnalysis
    from ..models.bounce_status import BounceStatus


T = TypeVar("T", bound="Bounce")


@_attrs_define
class Bounce:
    """The answer of the receiving mail system and NP6's reading of it.

    Attributes:
        status (BounceStatus | Unset): What the receiving system answered.
        analysis (BounceAnalysis | Unset): NP6's classification of the bounce.
    """

    status: BounceStatus | Unset = UNSET
    analysis: BounceAnalysis | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "status": "status",
        "analysis": "analysis",
    }

    def to_dict(self) -> dict[str, Any]:
        status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.to_dict()

        analysis: dict[str, Any] | Unset = UNSET
        if not isinstance(self.analysis, Unset):
            analysis = self.analysis.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if analysis is not UNSET:
            field_dict["analysis"] = analysis

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bounce_analysis import BounceAnalysis  # noqa: PLC0415
        from ..models.bounce_status import BounceStatus  # noqa: PLC0415

        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: BounceStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = BounceStatus.from_dict(_status)

        _analysis = d.pop("analysis", UNSET)
        analysis: BounceAnalysis | Unset
        if isinstance(_analysis, Unset):
            analysis = UNSET
        else:
            analysis = BounceAnalysis.from_dict(_analysis)

        bounce = cls(
            status=status,
            analysis=analysis,
        )

        bounce.additional_properties = d
        return bounce

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
