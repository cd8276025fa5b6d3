"""Coercing ``start`` / ``end`` arguments into what the API accepts."""

from __future__ import annotations

import datetime as _dt

from ._errors import InvalidArgumentError

__all__ = ["TimeBound", "check_window", "to_time_bound"]

TimeBound = _dt.datetime | _dt.date | str | int
"""What ``start`` and ``end`` accept: a datetime, a date, an ISO 8601 string or ms.

The spec's ``TimeBound`` says the same: a date-time, a calendar date (00:00 UTC of
that day) or epoch milliseconds. Whatever form is given, the client sends an explicit
UTC date-time or the milliseconds, so the server never has to guess a date's zone.
"""

_MAX_MS = 2**63 - 1
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def ms_to_datetime(milliseconds: int) -> _dt.datetime:
    """An NP6 timestamp (milliseconds since the epoch) as an aware UTC datetime."""
    return _EPOCH + _dt.timedelta(milliseconds=milliseconds)


# As milliseconds these fall between 1970-01-02 and 1973-03-03, before any NP6 event; as
# seconds, between 1973 and the year 5138: a value in here can only mean seconds.
_SECONDS_ONLY = (10**8, 10**11)


def to_time_bound(value: TimeBound, name: str) -> _dt.datetime | int:
    """Normalise a time bound to an aware UTC datetime (ms precision) or epoch ms.

    Naive datetimes and ISO strings without an offset are taken as UTC; a ``date``, or
    a date-only string such as ``2024-01-01``, means midnight UTC of that day, as in the
    spec. Anything else raises InvalidArgumentError.
    """
    if isinstance(value, bool):
        raise InvalidArgumentError(
            f"{name}: expected a datetime, date, ISO 8601 string or epoch milliseconds, got a bool"
        )
    if isinstance(value, int):
        if not 0 <= value <= _MAX_MS:
            raise InvalidArgumentError(
                f"{name}: epoch milliseconds must be between 0 and 2**63-1, got {value}"
            )
        if _SECONDS_ONLY[0] <= value < _SECONDS_ONLY[1]:
            as_seconds = _EPOCH + _dt.timedelta(seconds=value)
            raise InvalidArgumentError(
                f"{name}: {value} looks like epoch seconds ({as_seconds:%Y-%m-%d %H:%M:%S} UTC); NP6 "
                f"takes milliseconds: {value * 1000}"
            )
        return value
    if isinstance(value, str):
        text = value.strip()
        # ASCII digits only: "²" and "١٢٣" are digits to str.isdigit, not epoch milliseconds
        if text.isascii() and text.isdigit():
            return to_time_bound(int(text), name)
        try:
            value = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidArgumentError(
                f"{name}: {value!r} is not an ISO 8601 date-time (e.g. 2024-05-01T00:00:00Z) "
                "nor epoch milliseconds"
            ) from None
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_dt.UTC)
        utc = aware.astimezone(_dt.UTC)
        return utc.replace(microsecond=utc.microsecond - utc.microsecond % 1000)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)
    raise InvalidArgumentError(
        f"{name}: expected a datetime, date, ISO 8601 string or epoch milliseconds, "
        f"got {type(value).__name__}"
    )


def to_epoch_ms(bound: _dt.datetime | int) -> int:
    """A normalised bound as epoch milliseconds."""
    if isinstance(bound, int):
        return bound
    return (bound - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)) // _dt.timedelta(milliseconds=1)


def check_window(
    start: _dt.datetime | int | None,
    end: _dt.datetime | int | None,
    names: tuple[str, str] = ("start", "end"),
) -> None:
    """Refuse a ``start`` that is not before ``end``: the window would hold no event.

    NP6 would answer such a request with an empty array, which looks exactly like a
    contact or campaign without events; the mistake is the caller's and is said so.
    """
    if start is not None and end is not None and to_epoch_ms(start) >= to_epoch_ms(end):
        raise InvalidArgumentError(
            f"{names[0]} ({_shown(start)}) must be before {names[1]} ({_shown(end)}): {names[0]} is "
            f"inclusive and {names[1]} exclusive, so this window holds no event"
        )


def _shown(bound: _dt.datetime | int) -> str:
    if isinstance(bound, int):
        return f"{bound} ms"
    return bound.isoformat(timespec="milliseconds").replace("+00:00", "Z")
