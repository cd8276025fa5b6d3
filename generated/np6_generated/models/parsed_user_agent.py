from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.parsed_user_agent_client import ParsedUserAgentClient
    from ..models.parsed_user_agent_device import ParsedUserAgentDevice
    from ..models.parsed_user_agent_os import ParsedUserAgentOs


T = TypeVar("T", bound="ParsedUserAgent")


@_attrs_define
class ParsedUserAgent:
    """A user agent string together with what NP6 recognised in it.

    Attributes:
        type_ (Literal['parsed']): Kind of user agent.
        ua (str): The User-Agent header as received.
        client (ParsedUserAgentClient | Unset): The program, for example a mobile browser.
        os (ParsedUserAgentOs | Unset): The operating system.
        device (ParsedUserAgentDevice | Unset): The device.
    """

    type_: Literal["parsed"]
    ua: str
    client: ParsedUserAgentClient | Unset = UNSET
    os: ParsedUserAgentOs | Unset = UNSET
    device: ParsedUserAgentDevice | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "ua": "ua",
        "client": "client",
        "os": "os",
        "device": "device",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        ua = self.ua

        client: dict[str, Any] | Unset = UNSET
        if not isinstance(self.client, Unset):
            client = self.client.to_dict()

        os: dict[str, Any] | Unset = UNSET
        if not isinstance(self.os, Unset):
            os = self.os.to_dict()

        device: dict[str, Any] | Unset = UNSET
        if not isinstance(self.device, Unset):
            device = self.device.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "ua": ua,
            }
        )
        if client is not UNSET:
            field_dict["client"] = client
        if os is not UNSET:
            field_dict["os"] = os
        if device is not UNSET:
            field_dict["device"] = device

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.parsed_user_agent_client import ParsedUserAgentClient  # noqa: PLC0415
        from ..models.parsed_user_agent_device import ParsedUserAgentDevice  # noqa: PLC0415
        from ..models.parsed_user_agent_os import ParsedUserAgentOs  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["parsed"], d.pop("type"))
        if type_ != "parsed":
            raise ValueError(f"type must match const 'parsed', got '{type_}'")

        ua = d.pop("ua")

        _client = d.pop("client", UNSET)
        client: ParsedUserAgentClient | Unset
        if isinstance(_client, Unset):
            client = UNSET
        else:
            client = ParsedUserAgentClient.from_dict(_client)

        _os = d.pop("os", UNSET)
        os: ParsedUserAgentOs | Unset
        if isinstance(_os, Unset):
            os = UNSET
        else:
            os = ParsedUserAgentOs.from_dict(_os)

        _device = d.pop("device", UNSET)
        device: ParsedUserAgentDevice | Unset
        if isinstance(_device, Unset):
            device = UNSET
        else:
            device = ParsedUserAgentDevice.from_dict(_device)

        parsed_user_agent = cls(
            type_=type_,
            ua=ua,
            client=client,
            os=os,
            device=device,
        )

        parsed_user_agent.additional_properties = d
        return parsed_user_agent

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
