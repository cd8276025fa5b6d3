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

``import np6`` loads only the errors (and httpx): every other name, and the subpackages
(``np6.dlt``, ``np6.generated`` ...), load on first use (PEP 562), so that a command such as
``np6 --help`` pays for nothing it does not show.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _errors, _generated_alias, _homes
from ._errors import *  # noqa: F403 - each module's __all__ is its public part
from ._version import __version__

# a traceback names an error as users import it (np6.NotFoundError), not by the private module
# that defines it, as httpx does for its own exceptions
for _error in _errors.__all__:
    getattr(_errors, _error).__module__ = __name__

if TYPE_CHECKING:
    # what type checkers see: the same names, imported eagerly
    from types import ModuleType

    from . import dlt as dlt
    from . import spec as spec
    from . import toolkit as toolkit
    from ._async.client import AsyncClient, AsyncEvents
    from ._async.namespaces import (
        AsyncActions,
        AsyncCampaigns,
        AsyncContacts,
        AsyncDisplay,
        AsyncNotifications,
    )
    from ._async.streaming import AsyncEventStream
    from ._base import HitOptions, Options, RawEvent, ReactivityOptions
    from ._campaigns import *  # noqa: F403
    from ._config import ClientOptions
    from ._contacts import Contact
    from ._decoding import *  # noqa: F403
    from ._events import *  # noqa: F403
    from ._fanout import *  # noqa: F403
    from ._gate import RateGate
    from ._retries import RetryPolicy
    from ._sync.client import Client, Events
    from ._sync.namespaces import Actions, Campaigns, Contacts, Display, Notifications
    from ._sync.streaming import EventStream
    from ._timebounds import TimeBound
    from ._urls import DEFAULT_BASE_URL

    generated: ModuleType
# each public name and the module defining it, imported on first use: the names of the modules
# whose whole __all__ is public come from their __all__ (np6/_homes.py, by `make generate`)
_HOME: dict[str, str] = dict(_homes.HOMES)
for _module, _names in {
    "._urls": ("DEFAULT_BASE_URL",),
    "._async.client": ("AsyncClient", "AsyncEvents"),
    "._async.streaming": ("AsyncEventStream",),
    "._sync.client": ("Client", "Events"),
    "._sync.streaming": ("EventStream",),
    "._config": ("ClientOptions",),
    "._base": ("HitOptions", "Options", "ReactivityOptions", "RawEvent"),
    "._contacts": ("Contact",),
    "._gate": ("RateGate",),
    "._retries": ("RetryPolicy",),
    "._timebounds": ("TimeBound",),
}.items():
    _HOME.update(dict.fromkeys(_names, _module))
# the namespaces: client.contacts, .campaigns, .actions, .notifications, .display (and client.raw's)
for _name in ("Actions", "Campaigns", "Contacts", "Display", "Notifications"):
    _HOME[_name] = "._sync.namespaces"
    _HOME[f"Async{_name}"] = "._async.namespaces"
# subpackages and modules reachable as attributes (np6.dlt, np6.spec ...)
_SUBMODULES = frozenset(
    {
        "dlt",
        "spec",
        "toolkit",
    }
)

__all__ = [
    "DEFAULT_BASE_URL",
    "Actions",
    "AsyncActions",
    "AsyncCampaigns",
    "AsyncClient",
    "AsyncContacts",
    "AsyncDisplay",
    "AsyncEventStream",
    "AsyncEvents",
    "AsyncNotifications",
    "Campaigns",
    "Client",
    "ClientOptions",
    "Contact",
    "Contacts",
    "Display",
    "EventStream",
    "Events",
    "HitOptions",
    "Notifications",
    "Options",
    "RateGate",
    "RawEvent",
    "ReactivityOptions",
    "RetryPolicy",
    "TimeBound",
    "__version__",
    "generated",
]
# `import np6.generated` and `from np6.generated import models` work from the start
_generated_alias.add_finder()

__all__.extend(_homes.HOMES)
__all__ += _errors.__all__


def __getattr__(name: str) -> Any:
    """Import what ``name`` needs on first use, then keep it as a plain attribute."""
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name], __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name == "generated":
        from . import _operations  # noqa: F401 - loads the generated models and operations

        # the models and operations are attributes of the package, as once it was imported whole
        value = _generated_alias.install()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
