from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bounce_analysis_subject import BounceAnalysisSubject


T = TypeVar("T", bound="BounceAnalysis")


@_attrs_define
class BounceAnalysis:
    """NP6's classification of the bounce.

    Attributes:
        verdict (str | Unset): For example `soft` or `hard`; other values may appear.
        subject (BounceAnalysisSubject | Unset): What the bounce is about.
    """

    verdict: str | Unset = UNSET
    subject: BounceAnalysisSubject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "verdict": "verdict",
        "subject": "subject",
    }

    def to_dict(self) -> dict[str, Any]:
        verdict = self.verdict

        subject: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subject, Unset):
            subject = self.subject.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if verdict is not UNSET:
            field_dict["verdict"] = verdict
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bounce_analysis_subject import BounceAnalysisSubject  # noqa: PLC0415

        d = dict(src_dict)
        verdict = d.pop("verdict", UNSET)

        _subject = d.pop("subject", UNSET)
        subject: BounceAnalysisSubject | Unset
        if isinstance(_subject, Unset):
            subject = UNSET
        else:
            subject = BounceAnalysisSubject.from_dict(_subject)

        bounce_analysis = cls(
            verdict=verdict,
            subject=subject,
        )

        bounce_analysis.additional_properties = d
        return bounce_analysis

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
