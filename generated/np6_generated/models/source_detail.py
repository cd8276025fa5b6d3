from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.activation import Activation
    from ..models.bounce import Bounce
    from ..models.cancellation import Cancellation
    from ..models.execution import Execution
    from ..models.form_link import FormLink
    from ..models.mirror_link import MirrorLink
    from ..models.open_link import OpenLink
    from ..models.redirection_link import RedirectionLink
    from ..models.reply import Reply
    from ..models.robot_client import RobotClient
    from ..models.unsubscribe_link import UnsubscribeLink
    from ..models.web_client import WebClient


T = TypeVar("T", bound="SourceDetail")


@_attrs_define
class SourceDetail:
    """What the event is about. Which parts are present depends on the event kind:
    `execution` (execution, cancellation), `cancellation` (cancellation),
    `activation` (activation, bounce, hit, reply), `bounce` (bounce), `link` and
    `client` (hit), `reply` (reply).

        Attributes:
            execution (Execution | Unset): The production of a message for one recipient.
            cancellation (Cancellation | Unset): Why a message was not sent.
            activation (Activation | Unset): The delivery of a message to one recipient.
            bounce (Bounce | Unset): The answer of the receiving mail system and NP6's reading of it.
            link (FormLink | MirrorLink | OpenLink | RedirectionLink | Unset | UnsubscribeLink): What was hit in the
                message, told apart by its `type` (the hit subtype).
            client (RobotClient | Unset | WebClient): What made the hit, told apart by its `type`.
            reply (Reply | Unset): The text of a reply to a text message.
    """

    execution: Execution | Unset = UNSET
    cancellation: Cancellation | Unset = UNSET
    activation: Activation | Unset = UNSET
    bounce: Bounce | Unset = UNSET
    link: FormLink | MirrorLink | OpenLink | RedirectionLink | Unset | UnsubscribeLink = UNSET
    client: RobotClient | Unset | WebClient = UNSET
    reply: Reply | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    JSON_KEYS: ClassVar[dict[str, str]] = {
        "execution": "execution",
        "cancellation": "cancellation",
        "activation": "activation",
        "bounce": "bounce",
        "link": "link",
        "client": "client",
        "reply": "reply",
    }

    def to_dict(self) -> dict[str, Any]:
        from ..models.form_link import FormLink  # noqa: PLC0415
        from ..models.open_link import OpenLink  # noqa: PLC0415
        from ..models.redirection_link import RedirectionLink  # noqa: PLC0415
        from ..models.unsubscribe_link import UnsubscribeLink  # noqa: PLC0415
        from ..models.web_client import WebClient  # noqa: PLC0415

        execution: dict[str, Any] | Unset = UNSET
        if not isinstance(self.execution, Unset):
            execution = self.execution.to_dict()

        cancellation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cancellation, Unset):
            cancellation = self.cancellation.to_dict()

        activation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.activation, Unset):
            activation = self.activation.to_dict()

        bounce: dict[str, Any] | Unset = UNSET
        if not isinstance(self.bounce, Unset):
            bounce = self.bounce.to_dict()

        link: dict[str, Any] | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        elif isinstance(self.link, OpenLink):
            link = self.link.to_dict()
        elif isinstance(self.link, RedirectionLink):
            link = self.link.to_dict()
        elif isinstance(self.link, FormLink):
            link = self.link.to_dict()
        elif isinstance(self.link, UnsubscribeLink):
            link = self.link.to_dict()
        else:
            link = self.link.to_dict()

        client: dict[str, Any] | Unset
        if isinstance(self.client, Unset):
            client = UNSET
        elif isinstance(self.client, WebClient):
            client = self.client.to_dict()
        else:
            client = self.client.to_dict()

        reply: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reply, Unset):
            reply = self.reply.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if execution is not UNSET:
            field_dict["execution"] = execution
        if cancellation is not UNSET:
            field_dict["cancellation"] = cancellation
        if activation is not UNSET:
            field_dict["activation"] = activation
        if bounce is not UNSET:
            field_dict["bounce"] = bounce
        if link is not UNSET:
            field_dict["link"] = link
        if client is not UNSET:
            field_dict["client"] = client
        if reply is not UNSET:
            field_dict["reply"] = reply

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activation import Activation  # noqa: PLC0415
        from ..models.bounce import Bounce  # noqa: PLC0415
        from ..models.cancellation import Cancellation  # noqa: PLC0415
        from ..models.execution import Execution  # noqa: PLC0415
        from ..models.form_link import FormLink  # noqa: PLC0415
        from ..models.mirror_link import MirrorLink  # noqa: PLC0415
        from ..models.open_link import OpenLink  # noqa: PLC0415
        from ..models.redirection_link import RedirectionLink  # noqa: PLC0415
        from ..models.reply import Reply  # noqa: PLC0415
        from ..models.robot_client import RobotClient  # noqa: PLC0415
        from ..models.unsubscribe_link import UnsubscribeLink  # noqa: PLC0415
        from ..models.web_client import WebClient  # noqa: PLC0415

        d = dict(src_dict)
        _execution = d.pop("execution", UNSET)
        execution: Execution | Unset
        if isinstance(_execution, Unset):
            execution = UNSET
        else:
            execution = Execution.from_dict(_execution)

        _cancellation = d.pop("cancellation", UNSET)
        cancellation: Cancellation | Unset
        if isinstance(_cancellation, Unset):
            cancellation = UNSET
        else:
            cancellation = Cancellation.from_dict(_cancellation)

        _activation = d.pop("activation", UNSET)
        activation: Activation | Unset
        if isinstance(_activation, Unset):
            activation = UNSET
        else:
            activation = Activation.from_dict(_activation)

        _bounce = d.pop("bounce", UNSET)
        bounce: Bounce | Unset
        if isinstance(_bounce, Unset):
            bounce = UNSET
        else:
            bounce = Bounce.from_dict(_bounce)

        def _parse_link(data: object) -> FormLink | MirrorLink | OpenLink | RedirectionLink | Unset | UnsubscribeLink:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_link_type_0 = OpenLink.from_dict(data)

                return componentsschemas_link_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_link_type_1 = RedirectionLink.from_dict(data)

                return componentsschemas_link_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_link_type_2 = FormLink.from_dict(data)

                return componentsschemas_link_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_link_type_3 = UnsubscribeLink.from_dict(data)

                return componentsschemas_link_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_link_type_4 = MirrorLink.from_dict(data)

            return componentsschemas_link_type_4

        link = _parse_link(d.pop("link", UNSET))

        def _parse_client(data: object) -> RobotClient | Unset | WebClient:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_client_type_0 = WebClient.from_dict(data)

                return componentsschemas_client_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_client_type_1 = RobotClient.from_dict(data)

            return componentsschemas_client_type_1

        client = _parse_client(d.pop("client", UNSET))

        _reply = d.pop("reply", UNSET)
        reply: Reply | Unset
        if isinstance(_reply, Unset):
            reply = UNSET
        else:
            reply = Reply.from_dict(_reply)

        source_detail = cls(
            execution=execution,
            cancellation=cancellation,
            activation=activation,
            bounce=bounce,
            link=link,
            client=client,
            reply=reply,
        )

        source_detail.additional_properties = d
        return source_detail

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
