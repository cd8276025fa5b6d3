from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_receiver import ContactReceiver
    from ..models.execution_data import ExecutionData
    from ..models.footprint_receiver import FootprintReceiver
    from ..models.id_receiver import IdReceiver
    from ..models.stamp import Stamp


T = TypeVar("T", bound="Execution")


@_attrs_define
class Execution:
    """The production of a message for one recipient.

    Attributes:
        id (int | str): Identifier of what produced or sent the message: an action's id (a string such as
            `000PE4`) for email and text messages, a notification's id (an integer such as
            `156`) for push notifications.
        kind (str | Unset): Kind of item, for example `message`.
        recipient (ContactReceiver | FootprintReceiver | IdReceiver | Unset): Who a message was produced for, told apart
            by its `type`.
        data (ExecutionData | Unset): Personalisation data used for this message, as free-form JSON.
        stamp (Stamp | Unset): When and in which run a message was produced.
    """

    id: int | str
    kind: str | Unset = UNSET
    recipient: ContactReceiver | FootprintReceiver | IdReceiver | Unset = UNSET
    data: ExecutionData | Unset = UNSET
    stamp: Stamp | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "id": "id",
        "kind": "kind",
        "recipient": "recipient",
        "data": "data",
        "stamp": "stamp",
    }

    def to_dict(self) -> dict[str, Any]:
        from ..models.footprint_receiver import FootprintReceiver  # noqa: PLC0415
        from ..models.id_receiver import IdReceiver  # noqa: PLC0415

        id: int | str
        id = self.id

        kind = self.kind

        recipient: dict[str, Any] | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        elif isinstance(self.recipient, FootprintReceiver):
            recipient = self.recipient.to_dict()
        elif isinstance(self.recipient, IdReceiver):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient.to_dict()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        stamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stamp, Unset):
            stamp = self.stamp.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if data is not UNSET:
            field_dict["data"] = data
        if stamp is not UNSET:
            field_dict["stamp"] = stamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_receiver import ContactReceiver  # noqa: PLC0415
        from ..models.execution_data import ExecutionData  # noqa: PLC0415
        from ..models.footprint_receiver import FootprintReceiver  # noqa: PLC0415
        from ..models.id_receiver import IdReceiver  # noqa: PLC0415
        from ..models.stamp import Stamp  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> int | str:
            return cast(int | str, data)

        id = _parse_id(d.pop("id"))

        kind = d.pop("kind", UNSET)

        def _parse_recipient(data: object) -> ContactReceiver | FootprintReceiver | IdReceiver | Unset:
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

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        _data = d.pop("data", UNSET)
        data: ExecutionData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = ExecutionData.from_dict(_data)

        _stamp = d.pop("stamp", UNSET)
        stamp: Stamp | Unset
        if isinstance(_stamp, Unset):
            stamp = UNSET
        else:
            stamp = Stamp.from_dict(_stamp)

        execution = cls(
            id=id,
            kind=kind,
            recipient=recipient,
            data=data,
            stamp=stamp,
        )

        execution.additional_properties = d
        return execution

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
