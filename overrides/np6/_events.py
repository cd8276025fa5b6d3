"""The decoded NP6 objects: one class per kind, at every polymorphic level.

Every class here is a read-only view (see ``np6._views`` for the object model) named
after the generated model of its kind, whose fields it carries under the same names,
decoded lazily. Type checkers see each field with the np6 class of its value (the
declarations are generated into ``np6/_fields.pyi`` by ``scripts/make_fields.py``): an
optional field NP6 did not send reads as ``None``, and an object told apart by ``type``
is the union of its known classes and its level's ``Unknown...`` class.

Each polymorphic level has a base class (``EventBase``, ``SourceBase`` ...) and a union
of its classes under the level's name (``Event``, ``Source`` ...), which is what a
stream yields and a field holds, so that ``match`` narrows it and a type checker sees
every case. Each level's ``Unknown...`` class stands for kinds the spec does not know:
it keeps the ``type`` and the whole mapping, and decoding never fails because of it.
"""

from __future__ import annotations

import datetime as _dt
import reprlib as _reprlib
import uuid as _uuid
from typing import TYPE_CHECKING, Any, TypeAlias

from ._errors import DecodeError
from ._timebounds import ms_to_datetime
from ._views import _UNKNOWN_FOR, Polymorphic, Unknown, View, dispatch_table

if TYPE_CHECKING:
    # type checkers see each class over the generated declaration of its fields
    from . import _fields as _f
else:
    # at run time ``_f.X`` only names the generated model: it is not a base (see np6._views)
    from ._views import models as _f

__all__ = [
    "Activation",
    "ActivationEvent",
    "Bounce",
    "BounceAnalysis",
    "BounceAnalysisSubject",
    "BounceEvent",
    "BounceStatus",
    "BounceStatusCode",
    "Cancellation",
    "CancellationEvent",
    "CancellationValue",
    "ContactReceiver",
    "ContactReceiverValue",
    "CustomerIdentity",
    "EmailSource",
    "Event",
    "EventBase",
    "Execution",
    "ExecutionData",
    "ExecutionEvent",
    "FootprintReceiver",
    "FormLink",
    "HitClient",
    "HitClientBase",
    "HitEvent",
    "IdReceiver",
    "Identity",
    "IdentityBase",
    "Ip",
    "IpBase",
    "Ipv4",
    "Ipv6",
    "Link",
    "LinkBase",
    "MirrorLink",
    "NotificationSource",
    "OpenLink",
    "ParsedUserAgent",
    "ParsedUserAgentClient",
    "ParsedUserAgentDevice",
    "ParsedUserAgentOs",
    "RawUserAgent",
    "Receiver",
    "ReceiverBase",
    "RedirectionLink",
    "Reply",
    "ReplyEvent",
    "RobotClient",
    "SmsSource",
    "Source",
    "SourceBase",
    "SourceDetail",
    "Stamp",
    "UnknownEvent",
    "UnknownHitClient",
    "UnknownIdentity",
    "UnknownIp",
    "UnknownLink",
    "UnknownReceiver",
    "UnknownSource",
    "UnknownUserAgent",
    "UnsubscribeLink",
    "UserAgent",
    "UserAgentBase",
    "WebClient",
    "ms_to_datetime",
]

_ABSENT: Any = object()


def _level_view(view: View, key: str, level: type[Polymorphic]) -> Any:
    """The object under ``key`` decoded as a kind of ``level`` (for unknown events), cached."""
    cache = view.__dict__
    found = cache.get(key, _ABSENT)
    if found is _ABSENT:
        found = view.raw.get(key)
        if isinstance(found, dict):
            kind = found.get("type")
            cls = dispatch_table(level).get(kind) if isinstance(kind, str) else None
            found = (cls or _UNKNOWN_FOR[level])(found)
        cache[key] = found
    return found


# --- events -------------------------------------------------------------------------


class EventBase(Polymorphic):
    """Base of the event classes; ``np6.Event`` is the union of them a stream yields.

    What every event has, known kind or not: ``id``, ``timestamp``, ``datetime``,
    ``kind``, ``identity`` and ``source``. A value that departs from the spec (an ``id``
    that is no UUID, a ``timestamp`` that is no integer) is kept as sent and listed in
    ``deviations``, whatever its declared type.
    """

    __slots__ = ()
    # reading ``timestamp`` alone (sorting, filtering, resuming) must stay as cheap as raw
    _plain_scalars = True

    @property
    def id(self) -> _uuid.UUID:
        """Unique identifier of the event."""
        value: Any = self._raw.get("id")
        if isinstance(value, str):
            try:
                return _uuid.UUID(value)
            except ValueError:
                pass
        return value  # type: ignore[no-any-return]  # kept as sent

    @property
    def timestamp(self) -> int:
        """Publication time of the event, in milliseconds since 1970-01-01T00:00:00Z."""
        kept: Any = self._raw.get("timestamp")
        return kept  # type: ignore[no-any-return]

    @property
    def identity(self) -> Identity | None:
        """The account the event belongs to (``None`` when an unknown kind has none)."""
        found: Identity | None = _level_view(self, "identity", IdentityBase)
        return found

    @property
    def source(self) -> Source | None:
        """The channel the event comes from (``None`` when an unknown kind has none)."""
        found: Source | None = _level_view(self, "source", SourceBase)
        return found

    @property
    def datetime(self) -> _dt.datetime:
        """The event's ``timestamp`` as an aware UTC datetime.

        Raises :class:`np6.DecodeError` when the event has no usable ``timestamp`` (missing,
        not an integer, or beyond the years a ``datetime`` holds): see ``deviations``.
        """
        timestamp = self._raw.get("timestamp")
        if isinstance(timestamp, int) and not isinstance(timestamp, bool):
            try:
                return ms_to_datetime(timestamp)
            except OverflowError:
                pass
        raise DecodeError(f"the event has no usable timestamp: {_reprlib.repr(timestamp)}")


class ExecutionEvent(_f.ExecutionEvent, EventBase):
    """A message was produced for a recipient (``source.detail.execution``)."""


class CancellationEvent(_f.CancellationEvent, EventBase):
    """A message was not sent (``source.detail.execution`` and ``.cancellation``)."""


class ActivationEvent(_f.ActivationEvent, EventBase):
    """A message reached the recipient's channel (``source.detail.activation``)."""


class BounceEvent(_f.BounceEvent, EventBase):
    """A message was refused or returned (``source.detail.bounce``)."""


class HitEvent(_f.HitEvent, EventBase):
    """An open, click, form post, unsubscribe or mirror view (``source.detail.link``)."""


class ReplyEvent(_f.ReplyEvent, EventBase):
    """A reply to a text message, such as STOP (``source.detail.reply``)."""


class UnknownEvent(Unknown, EventBase):
    """An event whose ``type`` the spec does not know; ``raw`` holds all of it."""


Event: TypeAlias = (
    ExecutionEvent | CancellationEvent | ActivationEvent | BounceEvent | HitEvent | ReplyEvent | UnknownEvent
)
"""Any event: what ``client.events`` yields, so that ``match event: case np6.HitEvent(): ...`` narrows it."""


# --- identity -----------------------------------------------------------------------


class IdentityBase(Polymorphic):
    """Base of the identity classes; ``np6.Identity`` is their union."""

    __slots__ = ()


class CustomerIdentity(_f.CustomerIdentity, IdentityBase):
    """An NP6 customer account within an agency."""


class UnknownIdentity(Unknown, IdentityBase):
    """An identity of a kind the spec does not know."""


Identity: TypeAlias = CustomerIdentity | UnknownIdentity
"""The account an event belongs to."""


# --- source -------------------------------------------------------------------------


class SourceBase(Polymorphic):
    """Base of the source classes; ``np6.Source`` is their union."""

    __slots__ = ()


class EmailSource(_f.EmailSource, SourceBase):
    """An email message."""


class NotificationSource(_f.NotificationSource, SourceBase):
    """A push notification."""


class SmsSource(_f.SmsSource, SourceBase):
    """A text message."""


class UnknownSource(Unknown, SourceBase):
    """A source of a kind the spec does not know."""


Source: TypeAlias = EmailSource | NotificationSource | SmsSource | UnknownSource
"""The channel an event comes from; ``detail`` says what it is about."""


class SourceDetail(_f.SourceDetail, View):
    """What an event is about; which parts are present depends on the event's kind."""


class Execution(_f.Execution, View):
    """The production of a message for one recipient."""


class ExecutionData(_f.ExecutionData, View):
    """The data a message was produced with (free-form: ``additional_properties``)."""


class Cancellation(_f.Cancellation, View):
    """Why a message was not sent."""


class CancellationValue(_f.CancellationValue, View):
    """The stage of production that cancelled a message, and why."""


class Activation(_f.Activation, View):
    """The delivery of a message to one recipient."""


class Stamp(_f.Stamp, View):
    """When and in which thread NP6 recorded a step."""


class Bounce(_f.Bounce, View):
    """The answer of the receiving mail system and NP6's reading of it."""


class BounceStatus(_f.BounceStatus, View):
    """The status the receiving mail system answered."""


class BounceStatusCode(_f.BounceStatusCode, View):
    """The status code of a bounce."""


class BounceAnalysis(_f.BounceAnalysis, View):
    """NP6's reading of a bounce."""


class BounceAnalysisSubject(_f.BounceAnalysisSubject, View):
    """What a bounce is about, as NP6 read it."""


class Reply(_f.Reply, View):
    """The text of a reply to a text message."""


# --- receiver -----------------------------------------------------------------------


class ReceiverBase(Polymorphic):
    """Base of the receiver classes; ``np6.Receiver`` is their union."""

    __slots__ = ()


class FootprintReceiver(_f.FootprintReceiver, ReceiverBase):
    """A contact given by id, unicity and hash."""


class IdReceiver(_f.IdReceiver, ReceiverBase):
    """A contact given by its id."""


class ContactReceiver(_f.ContactReceiver, ReceiverBase):
    """A contact given by its fields (push notifications)."""


class ContactReceiverValue(_f.ContactReceiverValue, View):
    """The fields of a contact (free-form: ``additional_properties``)."""


class UnknownReceiver(Unknown, ReceiverBase):
    """A receiver of a kind the spec does not know."""


Receiver: TypeAlias = FootprintReceiver | IdReceiver | ContactReceiver | UnknownReceiver
"""Who a message was produced for."""


# --- link ---------------------------------------------------------------------------


class LinkBase(Polymorphic):
    """Base of the link classes; ``np6.Link`` is their union."""

    __slots__ = ()


class OpenLink(_f.OpenLink, LinkBase):
    """The message was opened."""


class RedirectionLink(_f.RedirectionLink, LinkBase):
    """A tracked link to a destination was followed."""


class FormLink(_f.FormLink, LinkBase):
    """A form was opened or posted."""


class UnsubscribeLink(_f.UnsubscribeLink, LinkBase):
    """The unsubscribe link was followed."""


class MirrorLink(_f.MirrorLink, LinkBase):
    """The online copy of the message was viewed."""


class UnknownLink(Unknown, LinkBase):
    """A link of a kind the spec does not know."""


Link: TypeAlias = OpenLink | RedirectionLink | FormLink | UnsubscribeLink | MirrorLink | UnknownLink
"""What was hit in a message; its ``type`` is the hit subtype."""


# --- client -------------------------------------------------------------------------


class HitClientBase(Polymorphic):
    """Base of the hit client classes; ``np6.HitClient`` is their union."""

    __slots__ = ()

    @property
    def is_robot(self) -> bool:
        """Whether NP6 attributed the hit to a robot."""
        return False


class WebClient(_f.WebClient, HitClientBase):
    """A person's browser or mail reader."""


class RobotClient(_f.RobotClient, HitClientBase):
    """An automated client; ``classification`` says which kind of robot."""

    @property
    def is_robot(self) -> bool:
        """Always true."""
        return True


class UnknownHitClient(Unknown, HitClientBase):
    """A client of a kind the spec does not know."""


HitClient: TypeAlias = WebClient | RobotClient | UnknownHitClient
"""What made a hit."""


# --- ip and user agent --------------------------------------------------------------


class IpBase(Polymorphic):
    """Base of the IP address classes; ``np6.Ip`` is their union."""

    __slots__ = ()


class Ipv4(_f.Ipv4, IpBase):
    """An IPv4 address."""


class Ipv6(_f.Ipv6, IpBase):
    """An IPv6 address."""


class UnknownIp(Unknown, IpBase):
    """An address of a kind the spec does not know."""


Ip: TypeAlias = Ipv4 | Ipv6 | UnknownIp
"""An IP address."""


class UserAgentBase(Polymorphic):
    """Base of the user agent classes; ``np6.UserAgent`` is their union."""

    __slots__ = ()


class ParsedUserAgent(_f.ParsedUserAgent, UserAgentBase):
    """A user agent with what NP6 recognised in it."""


class ParsedUserAgentClient(_f.ParsedUserAgentClient, View):
    """The client NP6 recognised in a user agent."""


class ParsedUserAgentOs(_f.ParsedUserAgentOs, View):
    """The operating system NP6 recognised in a user agent."""


class ParsedUserAgentDevice(_f.ParsedUserAgentDevice, View):
    """The device NP6 recognised in a user agent."""


class RawUserAgent(_f.RawUserAgent, UserAgentBase):
    """A user agent NP6 did not recognise."""


class UnknownUserAgent(Unknown, UserAgentBase):
    """A user agent of a kind the spec does not know."""


UserAgent: TypeAlias = ParsedUserAgent | RawUserAgent | UnknownUserAgent
"""A client's user agent."""
