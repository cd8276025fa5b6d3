from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_identity import CustomerIdentity
    from ..models.display_source import DisplaySource


T = TypeVar("T", bound="DisplayEvent")


@_attrs_define
class DisplayEvent:
    """An event of a display content (a content was shown). The reference shows the
    envelope (`id`, `timestamp`, `identity`) but neither the kind's value nor the
    source's, so both stay open strings.

        Attributes:
            type_ (str): Kind of the event, for example `activation`.
            id (UUID): Unique identifier of the event.
            timestamp (int): Publication time of the event, in milliseconds since 1970-01-01T00:00:00Z.
            identity (CustomerIdentity): An NP6 customer account within an agency.
            source (DisplaySource): Where a display event comes from; its kinds are not documented.
    """

    type_: str
    id: UUID
    timestamp: int
    identity: CustomerIdentity
    source: DisplaySource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "id": "id",
        "timestamp": "timestamp",
        "identity": "identity",
        "source": "source",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = str(self.id)

        timestamp = self.timestamp

        identity = self.identity.to_dict()

        source = self.source.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "timestamp": timestamp,
                "identity": identity,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_identity import CustomerIdentity  # noqa: PLC0415
        from ..models.display_source import DisplaySource  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        id = UUID(d.pop("id"))

        timestamp = d.pop("timestamp")

        identity = CustomerIdentity.from_dict(d.pop("identity"))

        source = DisplaySource.from_dict(d.pop("source"))

        display_event = cls(
            type_=type_,
            id=id,
            timestamp=timestamp,
            identity=identity,
            source=source,
        )

        display_event.additional_properties = d
        return display_event

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
