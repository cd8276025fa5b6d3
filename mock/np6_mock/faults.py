"""Fault injection: make the mock misbehave the way real networks and servers do.

A fault is a comma-separated list of settings, given per server (``np6 mock
--fault ...``, ``create_app(fault=...)``) or per request in the
``X-Np6-Mock-Fault`` header (which the spec does not describe, so NP6 clients never
send it by accident):

``status=503``          answer this status with a problem body (429 and 503 carry ``Retry-After``)
``retry-after=2``       the ``Retry-After`` value for ``status`` (seconds, or an HTTP date)
``html=502``            answer this status with a proxy's HTML page
``cut-after=K``         send K events, then drop the connection
``malformed-after=K``   send K events, then bytes that are not JSON
``drip=N``              send the body in chunks of N bytes ...
``delay-ms=D``          ... waiting D ms before each chunk
``hold-after=K``        send K events, then wait until the test opens ``gate``
``gate=NAME``           the gate ``hold-after`` waits on
``times=N``             apply the fault to the first N requests that carry it, then serve normally
"""

from __future__ import annotations

import threading

import attrs

__all__ = ["Fault", "FaultBook", "parse_fault"]

HEADER = "X-Np6-Mock-Fault"
_INTS = {"status", "html", "cut-after", "malformed-after", "drip", "delay-ms", "hold-after", "times"}
_STRS = {"retry-after", "gate", "id"}


@attrs.frozen
class Fault:
    """Parsed fault settings."""

    spec: str
    status: int | None = None
    retry_after: str | None = None
    html: int | None = None
    cut_after: int | None = None
    malformed_after: int | None = None
    drip: int | None = None
    delay_ms: int = 0
    hold_after: int | None = None
    gate: str = "default"
    times: int | None = None


def parse_fault(text: str) -> Fault:
    """Parse ``text`` (see the module doc); ValueError names the bad setting."""
    values: dict[str, object] = {"spec": text}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().lower()
        if name in _INTS:
            try:
                values[name.replace("-", "_")] = int(value)
            except ValueError:
                raise ValueError(f"fault setting {name!r} needs a whole number, got {value!r}") from None
        elif name in _STRS:
            values[name.replace("-", "_")] = value
        else:
            raise ValueError(f"unknown fault setting {name!r}")
    values.pop("id", None)
    return Fault(**values)  # type: ignore[arg-type]


class FaultBook:
    """Counts the requests each fault applied to (for ``times``) and holds the gates."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: dict[str, int] = {}
        self._gates: dict[str, threading.Event] = {}

    def applies(self, fault: Fault) -> bool:
        """Whether ``fault`` applies to this request (and count it)."""
        if fault.times is None:
            return True
        with self._lock:
            used = self._used.get(fault.spec, 0)
            self._used[fault.spec] = used + 1
            return used < fault.times

    def gate(self, name: str) -> threading.Event:
        """The gate called ``name``."""
        with self._lock:
            return self._gates.setdefault(name, threading.Event())

    def open(self, name: str = "default") -> None:
        """Let the streams held at gate ``name`` go on."""
        self.gate(name).set()
