"""np6: typed, streaming access to the events of the NP6 (Chapsvision CM) API.

>>> import np6
>>> with np6.Client() as client:             # key from $NP6_API_KEY
...     for event in client.events(np6.Contact(unicity="a@example.com"), sort="asc"):
...         match event:
...             case np6.HitEvent():
...                 print("hit", event.source.detail.link)

``client.raw`` has the same methods and yields each event as the mapping NP6 sent.
The generated client stays reachable as ``np6.generated`` (the ``np6_generated``
package, importable as ``from np6.generated import models``) and ``client.generated``
(configured like ``client``).
"""

from . import _generated_alias
from ._async.client import AsyncClient, AsyncEvents
from ._async.streaming import AsyncEventStream
from ._base import HitOptions, Options, RawEvent
from ._sync.client import Client, Events
from ._sync.streaming import EventStream
from ._urls import DEFAULT_BASE_URL
from ._version import __version__
from .campaigns import (
    CampaignQuery,
    ChannelType,
    EventKindFilter,
    EventType,
    HitSubtype,
    ItemEventsFilter,
    ItemsEventsQuery,
    items_filter,
)
from .contacts import Contact
from .decoding import EVENT_CLASSES, decode_event
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    Error,
    InsecureTransportError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamTruncatedError,
)
from .events import (
    ActivationEvent,
    BounceEvent,
    CancellationEvent,
    ContactReceiver,
    CustomerIdentity,
    EmailSource,
    Event,
    ExecutionEvent,
    FootprintReceiver,
    FormLink,
    HitClient,
    HitEvent,
    Identity,
    IdReceiver,
    Ip,
    Ipv4,
    Ipv6,
    Link,
    MirrorLink,
    NotificationSource,
    OpenLink,
    ParsedUserAgent,
    RawUserAgent,
    Receiver,
    RedirectionLink,
    ReplyEvent,
    RobotClient,
    SmsSource,
    Source,
    UnknownEvent,
    UnknownHitClient,
    UnknownIdentity,
    UnknownIp,
    UnknownLink,
    UnknownReceiver,
    UnknownSource,
    UnknownUserAgent,
    UnsubscribeLink,
    UserAgent,
    WebClient,
    ms_to_datetime,
)
from .retries import RetryPolicy
from .timebounds import TimeBound

generated = _generated_alias.install()

__all__ = [
    "DEFAULT_BASE_URL",
    "EVENT_CLASSES",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "ActivationEvent",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncEvents",
    "AuthenticationError",
    "BadRequestError",
    "BounceEvent",
    "CampaignQuery",
    "CancellationEvent",
    "ChannelType",
    "Client",
    "Contact",
    "ContactReceiver",
    "CustomerIdentity",
    "DecodeError",
    "EmailSource",
    "Error",
    "Event",
    "EventKindFilter",
    "EventStream",
    "EventType",
    "Events",
    "ExecutionEvent",
    "FootprintReceiver",
    "FormLink",
    "HitClient",
    "HitEvent",
    "HitOptions",
    "HitSubtype",
    "IdReceiver",
    "Identity",
    "InsecureTransportError",
    "InvalidArgumentError",
    "Ip",
    "Ipv4",
    "Ipv6",
    "ItemEventsFilter",
    "ItemsEventsQuery",
    "Link",
    "MirrorLink",
    "NotFoundError",
    "NotificationSource",
    "OpenLink",
    "Options",
    "ParsedUserAgent",
    "PermissionDeniedError",
    "RateLimitError",
    "RawEvent",
    "RawUserAgent",
    "Receiver",
    "RedirectionLink",
    "ReplyEvent",
    "RetryPolicy",
    "RobotClient",
    "ServerError",
    "SmsSource",
    "Source",
    "StreamTruncatedError",
    "TimeBound",
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
    "__version__",
    "decode_event",
    "generated",
    "items_filter",
    "ms_to_datetime",
]
