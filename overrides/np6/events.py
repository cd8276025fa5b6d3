"""The decoded NP6 objects: one class per kind, at every polymorphic level.

Every class here is a read-only view (see ``np6._views`` for the object model) named
after the generated model of its kind, whose fields it carries under the same names,
decoded lazily, and subclasses the np6 base of its level (so that
``match event: case np6.HitEvent(): ...`` and ``isinstance(x, np6.Source)`` work).
Each level has an ``Unknown...`` class for kinds the spec does not know: it keeps the
``type`` and the whole mapping, and decoding never fails because of it.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from ._views import Polymorphic, Unknown
from .timebounds import ms_to_datetime

if TYPE_CHECKING:
    # type checkers see each class with its generated model's typed fields
    from np6_generated import models as _g
else:
    # at run time ``_g.X`` only names the model: it is not a base (see np6._views)
    from ._views import models as _g

__all__ = [
    "ActivationEvent",
    "BounceEvent",
    "CancellationEvent",
    "ContactReceiver",
    "CustomerIdentity",
    "EmailSource",
    "Event",
    "ExecutionEvent",
    "FootprintReceiver",
    "FormLink",
    "HitClient",
    "HitEvent",
    "IdReceiver",
    "Identity",
    "Ip",
    "Ipv4",
    "Ipv6",
    "Link",
    "MirrorLink",
    "NotificationSource",
    "OpenLink",
    "ParsedUserAgent",
    "RawUserAgent",
    "Receiver",
    "RedirectionLink",
    "ReplyEvent",
    "RobotClient",
    "SmsSource",
    "Source",
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
    "WebClient",
    "ms_to_datetime",
]


# --- events -------------------------------------------------------------------------


class Event(Polymorphic):
    """An NP6 event of any kind: its ``type`` says which subclass it is."""

    __slots__ = ()
    # reading ``timestamp`` alone (sorting, filtering, resuming) must stay as cheap as raw
    _plain_scalars = True

    @property
    def datetime(self) -> _dt.datetime | None:
        """The event's ``timestamp`` as an aware UTC datetime (``None`` if unusable)."""
        timestamp = self._raw.get("timestamp")
        if isinstance(timestamp, int) and not isinstance(timestamp, bool):
            try:
                return ms_to_datetime(timestamp)
            except OverflowError:
                return None
        return None


class ExecutionEvent(Event, _g.ExecutionEvent):
    """A message was produced for a recipient (``source.detail.execution``)."""


class CancellationEvent(Event, _g.CancellationEvent):
    """A message was not sent (``source.detail.execution`` and ``.cancellation``)."""


class ActivationEvent(Event, _g.ActivationEvent):
    """A message reached the recipient's channel (``source.detail.activation``)."""


class BounceEvent(Event, _g.BounceEvent):
    """A message was refused or returned (``source.detail.bounce``)."""


class HitEvent(Event, _g.HitEvent):
    """An open, click, form post, unsubscribe or mirror view (``source.detail.link``)."""


class ReplyEvent(Event, _g.ReplyEvent):
    """A reply to a text message, such as STOP (``source.detail.reply``)."""


class UnknownEvent(Unknown, Event):
    """An event whose ``type`` the spec does not know; ``raw`` holds all of it."""

    @property
    def id(self) -> Any:
        """The ``id`` as sent, if any."""
        return self._raw.get("id")

    @property
    def timestamp(self) -> Any:
        """The ``timestamp`` as sent, if any."""
        return self._raw.get("timestamp")


# --- identity -----------------------------------------------------------------------


class Identity(Polymorphic):
    """The account an event belongs to."""

    __slots__ = ()


class CustomerIdentity(Identity, _g.CustomerIdentity):
    """An NP6 customer account within an agency."""


class UnknownIdentity(Unknown, Identity):
    """An identity of a kind the spec does not know."""


# --- source -------------------------------------------------------------------------


class Source(Polymorphic):
    """The channel an event comes from; ``detail`` says what it is about."""

    __slots__ = ()


class EmailSource(Source, _g.EmailSource):
    """An email message."""


class NotificationSource(Source, _g.NotificationSource):
    """A push notification."""


class SmsSource(Source, _g.SmsSource):
    """A text message."""


class UnknownSource(Unknown, Source):
    """A source of a kind the spec does not know."""


# --- receiver -----------------------------------------------------------------------


class Receiver(Polymorphic):
    """Who a message was produced for."""

    __slots__ = ()


class FootprintReceiver(Receiver, _g.FootprintReceiver):
    """A contact given by id, unicity and hash."""


class IdReceiver(Receiver, _g.IdReceiver):
    """A contact given by its id."""


class ContactReceiver(Receiver, _g.ContactReceiver):
    """A contact given by its fields (push notifications)."""


class UnknownReceiver(Unknown, Receiver):
    """A receiver of a kind the spec does not know."""


# --- link ---------------------------------------------------------------------------


class Link(Polymorphic):
    """What was hit in a message; its ``type`` is the hit subtype."""

    __slots__ = ()


class OpenLink(Link, _g.OpenLink):
    """The message was opened."""


class RedirectionLink(Link, _g.RedirectionLink):
    """A tracked link to a destination was followed."""


class FormLink(Link, _g.FormLink):
    """A form was opened or posted."""


class UnsubscribeLink(Link, _g.UnsubscribeLink):
    """The unsubscribe link was followed."""


class MirrorLink(Link, _g.MirrorLink):
    """The online copy of the message was viewed."""


class UnknownLink(Unknown, Link):
    """A link of a kind the spec does not know."""


# --- client -------------------------------------------------------------------------


class HitClient(Polymorphic):
    """What made a hit."""

    __slots__ = ()

    @property
    def is_robot(self) -> bool:
        """Whether NP6 attributed the hit to a robot."""
        return False


class WebClient(HitClient, _g.WebClient):
    """A person's browser or mail reader."""


class RobotClient(HitClient, _g.RobotClient):
    """An automated client; ``classification`` says which kind of robot."""

    @property
    def is_robot(self) -> bool:
        """Always true."""
        return True


class UnknownHitClient(Unknown, HitClient):
    """A client of a kind the spec does not know."""


# --- ip and user agent --------------------------------------------------------------


class Ip(Polymorphic):
    """An IP address."""

    __slots__ = ()


class Ipv4(Ip, _g.Ipv4):
    """An IPv4 address."""


class Ipv6(Ip, _g.Ipv6):
    """An IPv6 address."""


class UnknownIp(Unknown, Ip):
    """An address of a kind the spec does not know."""


class UserAgent(Polymorphic):
    """A client's user agent."""

    __slots__ = ()


class ParsedUserAgent(UserAgent, _g.ParsedUserAgent):
    """A user agent with what NP6 recognised in it."""


class RawUserAgent(UserAgent, _g.RawUserAgent):
    """A user agent NP6 did not recognise."""


class UnknownUserAgent(Unknown, UserAgent):
    """A user agent of a kind the spec does not know."""
