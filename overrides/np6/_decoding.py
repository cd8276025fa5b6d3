"""Decoding an NP6 event mapping into its class, by ``type``, in one look-up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import DecodeError
from ._events import Event, EventBase, UnknownEvent
from ._views import _new, _set_raw, dispatch_table

__all__ = ["EVENT_CLASSES", "decode_event"]

EVENT_CLASSES: Mapping[str, type[Event]] = dispatch_table(EventBase)  # type: ignore[assignment]
"""Known event classes by their ``type`` value."""


def decode_event(mapping: Mapping[str, Any], *, default_type: str | None = None) -> Event:
    """Decode one event mapping into the class its ``type`` names.

    Never fails on content: an unknown ``type`` gives an :class:`UnknownEvent`, odd
    fields are kept as sent and listed in ``event.deviations``. ``default_type`` is
    the kind to assume when ``type`` is absent (an operation that answers one kind
    only); the absence is still listed as a deviation.

    Raises :class:`np6.DecodeError` only when ``mapping`` is not a JSON object.
    """
    if type(mapping) is not dict and not isinstance(mapping, Mapping):
        raise DecodeError(f"an event must be a JSON object, got {type(mapping).__name__}")
    kind = mapping.get("type", default_type)
    cls = EVENT_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return UnknownEvent(mapping)
    event = _new(cls)  # cls(mapping) without a call of __init__: the hot path of every stream
    _set_raw(event, mapping)
    return event
