"""The mock NP6 server: every operation of the spec over an SQLite data set.

``create_app(store)`` gives the ASGI application, ``MockServer(store)`` runs it on a
real socket in a background thread, ``np6 mock`` runs it from the command line.
"""

from .app import DEFAULT_API_KEY, create_app
from .faults import HEADER as FAULT_HEADER
from .faults import parse_fault
from .manifest import write_manifest
from .ratelimit import RateLimiter
from .server import MockServer, bind, serve
from .store import Store

__all__ = [
    "DEFAULT_API_KEY",
    "FAULT_HEADER",
    "MockServer",
    "RateLimiter",
    "Store",
    "bind",
    "create_app",
    "parse_fault",
    "serve",
    "write_manifest",
]
