from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.undetailed_event_type import UndetailedEventType

if TYPE_CHECKING:
    from ..models.customer_identity import CustomerIdentity
    from ..models.email_source import EmailSource
    from ..models.notification_source import NotificationSource
    from ..models.sms_source import SmsSource


T = TypeVar("T", bound="UndetailedEvent")


@_attrs_define
class UndetailedEvent:
    """An event of a kind the reference names but does not detail (an impression, an
    opt-out, a complaint...). Only the envelope every event has is stated; whatever
    else NP6 sends is kept as sent.

        Attributes:
            type_ (UndetailedEventType): Kinds of event the reference names in its list of event types without showing
                their shape.
            id (UUID): Unique identifier of the event.
            timestamp (int): Publication time of the event, in milliseconds since 1970-01-01T00:00:00Z.
            identity (CustomerIdentity): An NP6 customer account within an agency.
            source (EmailSource | NotificationSource | SmsSource): The channel the event comes from, told apart by its
                `type`.
    """

    type_: UndetailedEventType
    id: UUID
    timestamp: int
    identity: CustomerIdentity
    source: EmailSource | NotificationSource | SmsSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "id": "id",
        "timestamp": "timestamp",
        "identity": "identity",
        "source": "source",
    }

    def to_dict(self) -> dict[str, Any]:
        from ..models.email_source import EmailSource  # noqa: PLC0415
        from ..models.notification_source import NotificationSource  # noqa: PLC0415

        type_ = self.type_.value

        id = str(self.id)

        timestamp = self.timestamp

        identity = self.identity.to_dict()

        source: dict[str, Any]
        if isinstance(self.source, EmailSource):
            source = self.source.to_dict()
        elif isinstance(self.source, NotificationSource):
            source = self.source.to_dict()
        else:
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
        from ..models.email_source import EmailSource  # noqa: PLC0415
        from ..models.notification_source import NotificationSource  # noqa: PLC0415
        from ..models.sms_source import SmsSource  # noqa: PLC0415

        d = dict(src_dict)
        type_ = UndetailedEventType(d.pop("type"))

        id = UUID(d.pop("id"))

        timestamp = d.pop("timestamp")

        identity = CustomerIdentity.from_dict(d.pop("identity"))

        def _parse_source(data: object) -> EmailSource | NotificationSource | SmsSource:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_0 = EmailSource.from_dict(data)

                return componentsschemas_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_1 = NotificationSource.from_dict(data)

                return componentsschemas_source_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_source_type_2 = SmsSource.from_dict(data)

            return componentsschemas_source_type_2

        source = _parse_source(d.pop("source"))

        undetailed_event = cls(
            type_=type_,
            id=id,
            timestamp=timestamp,
            identity=identity,
            source=source,
        )

        undetailed_event.additional_properties = d
        return undetailed_event

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
