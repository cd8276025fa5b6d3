from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ipv_4 import Ipv4
    from ..models.ipv_6 import Ipv6
    from ..models.parsed_user_agent import ParsedUserAgent
    from ..models.raw_user_agent import RawUserAgent


T = TypeVar("T", bound="WebClient")


@_attrs_define
class WebClient:
    """A person's browser or mail reader.

    Attributes:
        type_ (Literal['web']): Kind of client.
        ip (Ipv4 | Ipv6 | Unset): The client's IP address, told apart by its `type`.
        ua (ParsedUserAgent | RawUserAgent | Unset): The client's user agent, told apart by its `type`.
    """

    type_: Literal["web"]
    ip: Ipv4 | Ipv6 | Unset = UNSET
    ua: ParsedUserAgent | RawUserAgent | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "type_": "type",
        "ip": "ip",
        "ua": "ua",
    }

    def to_dict(self) -> dict[str, Any]:
        from ..models.ipv_4 import Ipv4  # noqa: PLC0415
        from ..models.parsed_user_agent import ParsedUserAgent  # noqa: PLC0415

        type_ = self.type_

        ip: dict[str, Any] | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        elif isinstance(self.ip, Ipv4):
            ip = self.ip.to_dict()
        else:
            ip = self.ip.to_dict()

        ua: dict[str, Any] | Unset
        if isinstance(self.ua, Unset):
            ua = UNSET
        elif isinstance(self.ua, ParsedUserAgent):
            ua = self.ua.to_dict()
        else:
            ua = self.ua.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if ip is not UNSET:
            field_dict["ip"] = ip
        if ua is not UNSET:
            field_dict["ua"] = ua

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ipv_4 import Ipv4  # noqa: PLC0415
        from ..models.ipv_6 import Ipv6  # noqa: PLC0415
        from ..models.parsed_user_agent import ParsedUserAgent  # noqa: PLC0415
        from ..models.raw_user_agent import RawUserAgent  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["web"], d.pop("type"))
        if type_ != "web":
            raise ValueError(f"type must match const 'web', got '{type_}'")

        def _parse_ip(data: object) -> Ipv4 | Ipv6 | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_ip_type_0 = Ipv4.from_dict(data)

                return componentsschemas_ip_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_ip_type_1 = Ipv6.from_dict(data)

            return componentsschemas_ip_type_1

        ip = _parse_ip(d.pop("ip", UNSET))

        def _parse_ua(data: object) -> ParsedUserAgent | RawUserAgent | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_user_agent_type_0 = ParsedUserAgent.from_dict(data)

                return componentsschemas_user_agent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_user_agent_type_1 = RawUserAgent.from_dict(data)

            return componentsschemas_user_agent_type_1

        ua = _parse_ua(d.pop("ua", UNSET))

        web_client = cls(
            type_=type_,
            ip=ip,
            ua=ua,
        )

        web_client.additional_properties = d
        return web_client

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
