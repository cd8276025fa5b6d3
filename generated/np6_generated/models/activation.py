from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_receiver import ContactReceiver
    from ..models.footprint_receiver import FootprintReceiver
    from ..models.id_receiver import IdReceiver
    from ..models.stamp import Stamp


T = TypeVar("T", bound="Activation")


@_attrs_define
class Activation:
    """The delivery of a message to one recipient.

    Attributes:
        id (int | str): Identifier of what produced or sent the message: an action's id (a string such as
            `000PE4`) for email and text messages, a notification's id (an integer such as
            `156`) for push notifications.
        kind (str | Unset): Kind of item, for example `message`.
        version (UUID | Unset): Version of the push notification that was sent (notifications only).
        receiver (ContactReceiver | FootprintReceiver | IdReceiver | Unset): Who a message was produced for, told apart
            by its `type`.
        stamp (Stamp | Unset): When and in which run a message was produced.
        recipient (str | Unset): The address the message was sent to.
    """

    id: int | str
    kind: str | Unset = UNSET
    version: UUID | Unset = UNSET
    receiver: ContactReceiver | FootprintReceiver | IdReceiver | Unset = UNSET
    stamp: Stamp | Unset = UNSET
    recipient: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "id": "id",
        "kind": "kind",
        "version": "version",
        "receiver": "receiver",
        "stamp": "stamp",
        "recipient": "recipient",
    }

    def to_dict(self) -> dict[str, Any]:
        from ..models.footprint_receiver import FootprintReceiver  # noqa: PLC0415
        from ..models.id_receiver import IdReceiver  # noqa: PLC0415

        id: int | str
        id = self.id

        kind = self.kind

        version: str | Unset = UNSET
        if not isinstance(self.version, Unset):
            version = str(self.version)

        receiver: dict[str, Any] | Unset
        if isinstance(self.receiver, Unset):
            receiver = UNSET
        elif isinstance(self.receiver, FootprintReceiver):
            receiver = self.receiver.to_dict()
        elif isinstance(self.receiver, IdReceiver):
            receiver = self.receiver.to_dict()
        else:
            receiver = self.receiver.to_dict()

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

        recipient = self.recipient

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if version is not UNSET:
            field_dict["version"] = version
        if receiver is not UNSET:
            field_dict["receiver"] = receiver
        if stamp is not UNSET:
            field_dict["stamp"] = stamp
        if recipient is not UNSET:
            field_dict["recipient"] = recipient

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_receiver import ContactReceiver  # noqa: PLC0415
        from ..models.footprint_receiver import FootprintReceiver  # noqa: PLC0415
        from ..models.id_receiver import IdReceiver  # noqa: PLC0415
        from ..models.stamp import Stamp  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> int | str:
            return cast(int | str, data)

        id = _parse_id(d.pop("id"))

        kind = d.pop("kind", UNSET)

        _version = d.pop("version", UNSET)
        version: UUID | Unset
        if isinstance(_version, Unset):
            version = UNSET
        else:
            version = UUID(_version)

        def _parse_receiver(data: object) -> ContactReceiver | FootprintReceiver | IdReceiver | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_receiver_type_0 = FootprintReceiver.from_dict(data)

                return componentsschemas_receiver_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_receiver_type_1 = IdReceiver.from_dict(data)

                return componentsschemas_receiver_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_receiver_type_2 = ContactReceiver.from_dict(data)

            return componentsschemas_receiver_type_2

        receiver = _parse_receiver(d.pop("receiver", UNSET))

        _stamp = d.pop("stamp", UNSET)
        stamp: Stamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = Stamp.from_dict(_stamp)

        recipient = d.pop("recipient", UNSET)

        activation = cls(
            id=id,
            kind=kind,
            version=version,
            receiver=receiver,
            stamp=stamp,
            recipient=recipient,
        )

        activation.additional_properties = d
        return activation

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
