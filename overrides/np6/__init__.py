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

from . import _generated_alias, campaigns, decoding, errors, events, fanout
from ._async.client import AsyncClient, AsyncEvents
from ._async.streaming import AsyncEventStream
from ._base import HitOptions, Options, RawEvent
from ._sync.client import Client, Events
from ._sync.streaming import EventStream
from ._urls import DEFAULT_BASE_URL
from ._version import __version__
from .campaigns import *  # noqa: F403 - each module's __all__ is its public part
from .contacts import Contact
from .decoding import *  # noqa: F403
from .errors import *  # noqa: F403
from .events import *  # noqa: F403
from .fanout import *  # noqa: F403
from .gate import RateGate
from .retries import RetryPolicy
from .timebounds import TimeBound

generated = _generated_alias.install()

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncEvents",
    "Client",
    "Contact",
    "EventStream",
    "Events",
    "HitOptions",
    "Options",
    "RateGate",
    "RawEvent",
    "RetryPolicy",
    "TimeBound",
    "__version__",
    "generated",
]
__all__ += campaigns.__all__
__all__ += decoding.__all__
__all__ += errors.__all__
__all__ += events.__all__
__all__ += fanout.__all__
