"""Incremental loads of NP6 events into a warehouse with dlt (``pip install 'np6[dlt]'``).

>>> import dlt, np6
>>> from np6.dlt import np6_source
>>> pipeline = dlt.pipeline("np6", destination="duckdb", dataset_name="np6_events")
>>> source = np6_source(contacts=[np6.Contact(id="00001ABC")])   # key from $NP6_API_KEY
>>> pipeline.run(source, loader_file_format="jsonl")

The resources ``contact_events`` and ``campaign_events`` are incremental on the
events' ``timestamp`` (epoch milliseconds), with a closed start, ``sort="asc"`` and
``id`` as the primary key, so dlt drops, at the boundary, the events already
loaded: a second run asks NP6 only from the last timestamp loaded and adds no
duplicate, including for events sharing that millisecond. dlt keeps that state
(``last_value`` and the boundary's hashes) in the destination, committed with the
data it describes, beside np6's list of the contacts and campaigns asked. A run
cut before its load commits leaves the state where it was, so the next run asks the
same window again; a finished run followed by another asks only for what is new.

Every run asks each contact for the same window, from the last timestamp loaded to
the moment the run started (``end``, exclusive): an event that reaches NP6 during a
run, for a contact already read, waits for the next run instead of being passed
over by a cursor that another contact's events moved on.

A contact or campaign added to a later run gets, in that run, its history up to
where the others are (from ``start``, or all of it, to the shared cursor's start,
excluded) through a second resource loading into the same table
(``contact_events_backfill``, ``campaign_events_backfill``, no cursor), and from
there on what is new, as the others: its whole history, once. The source state
keeps the contacts and campaigns each run asked, committed with the data, so a run
that fails is followed by one that asks its newcomers' history again. A contact or
campaign left out of a run and back in a later one is refused, naming it: the
cursor moved on without it, and its events from then on could not be loaded
without a gap or repeats. A pipeline first run by an np6 without this list takes
the contacts and campaigns of its next run as the ones already loaded.

Tables: ``contact_events`` and ``campaign_events``, one row per event, every kind in
the same table. dlt flattens nested objects into columns named by their path
(``source.detail.link.destination`` lands as ``source__detail__link__destination``)
and puts lists in child tables (``contact_events__<path>``, linked by
``_dlt_parent_id``). Each row also has the contact or campaign it was asked for, in
``_np6_contact__id`` (or ``__unicity``, ``__hash``) or ``_np6_campaign``.

With DuckDB, ``pipeline.run(source, loader_file_format="jsonl")`` loads these wide
rows over 20x faster than dlt's default of INSERT statements (``np6 load`` does so).

A contact or campaign that fails (404, a stream cut beyond its retries) fails the
run, after which nothing of it is committed: the cursor is shared by every contact,
so loading the others would move it past the failed one's events for good.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import dlt
from dlt.sources import DltResource

from ._sync.client import Client
from .contacts import Contact
from .errors import DecodeError, InvalidArgumentError
from .timebounds import TimeBound, to_epoch_ms, to_time_bound

__all__ = ["CURSOR", "PRIMARY_KEY", "np6_source"]

CURSOR = "timestamp"
PRIMARY_KEY = "id"

# source state: per table, the targets asked in the last committed run and those left out since
_TARGETS = "targets"

T = TypeVar("T")


def _contact(value: Contact | str) -> Contact:
    return value if isinstance(value, Contact) else Contact(id=value)


def _contact_key(contact: Contact) -> str:
    return f"{contact.selector}:{contact.value}"


@dlt.source(name="np6", max_table_nesting=1000)
def np6_source(
    contacts: Iterable[Contact | str] | None = None,
    campaigns: Iterable[str] | None = None,
    start: TimeBound | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    concurrency: int = 4,
    client_options: Mapping[str, Any] | None = None,
) -> list[DltResource]:
    """The events of ``contacts`` (np6.Contact, or ids) and of ``campaigns`` (ids), incrementally.

    ``start`` bounds the first run of each contact or campaign (default: all of its
    events); later runs start where the last one ended. A contact or campaign added
    to a later run gets its events from ``start`` on in that run, as well as what is
    new. ``api_key`` and ``base_url`` default to dlt's configuration
    (``SOURCES__NP6__API_KEY``, ...) and then to ``$NP6_API_KEY`` and
    ``$NP6_BASE_URL``, as for :class:`np6.Client`. ``concurrency`` requests at a time
    go out through one client and its rate gate; ``client_options`` are further
    keyword arguments of that :class:`np6.Client` (``timeout``, ``max_retries``, ``deadline``, ...).
    """
    if contacts is None and campaigns is None:
        raise InvalidArgumentError("np6_source needs contacts=..., campaigns=... or both")
    initial = None if start is None else to_epoch_ms(to_time_bound(start, "start"))
    # the key travels apart, in variables named for it, which error trackers scrub
    options = {**(client_options or {}), "base_url": base_url}
    resources = []
    if contacts is not None:
        # read once: both resources ask these contacts, and the state keeps their keys anyway
        listed = [_contact(c) for c in contacts]

        def contact_rows(targets: Sequence[Contact], window: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
            return _contact_rows(targets, api_key, options, concurrency, window)

        # dlt binds an incremental found among a resource function's defaults to that
        # resource's state: the cursors are declared here, one per resource
        def contact_events(cursor: Any = _incremental(initial)) -> Iterator[dict[str, Any]]:  # noqa: B008
            yield from contact_rows(listed, _window(cursor.start_value))

        resources += [
            _resource(contact_events),
            _backfill("contact_events", listed, _contact_key, contact_rows, initial, "contacts"),
        ]
    if campaigns is not None:
        campaign_ids = list(campaigns)

        def campaign_rows(targets: Sequence[str], window: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
            return _campaign_rows(targets, api_key, options, concurrency, window)

        def campaign_events(cursor: Any = _incremental(initial)) -> Iterator[dict[str, Any]]:  # noqa: B008
            yield from campaign_rows(campaign_ids, _window(cursor.start_value))

        resources += [
            _resource(campaign_events),
            _backfill("campaign_events", campaign_ids, str, campaign_rows, initial, "campaigns"),
        ]
    return resources


def _resource(rows: Any, **hints: Any) -> DltResource:
    resource: DltResource = dlt.resource(rows, primary_key=PRIMARY_KEY, write_disposition="append", **hints)
    return resource


def _incremental(initial: int | None) -> dlt.sources.incremental[int]:
    return dlt.sources.incremental(
        CURSOR,
        initial_value=initial,
        # rows of several contacts interleave: dlt uses the order only to stop at an
        # end_value, which is not set here, and takes the maximum as the next start
        row_order="asc",
        primary_key=PRIMARY_KEY,
        range_start="closed",
        # the backfill ends where this cursor starts, read from its state: a scheduler's
        # window (Airflow's) would move that start elsewhere
        allow_external_schedulers=False,
    )


def _backfill(
    table: str,
    targets: Sequence[T],
    key: Callable[[T], str],
    rows: Callable[[Sequence[T], Mapping[str, Any]], Iterator[dict[str, Any]]],
    initial: int | None,
    what: str,
) -> DltResource:
    """A resource loading into ``table`` what its incremental resource will not ask for.

    That is the history of the targets this run adds, from ``initial`` up to the
    cursor's start (excluded), where the incremental resource takes over for them as
    for the others.
    """

    def backfill() -> Iterator[dict[str, Any]]:
        # not a generator: dlt calls this before it reads any row of this run, while the
        # cursor's stored last value is still the start its resource was bound with
        newcomers, end = _newcomers(table, [key(t) for t in targets], initial, what)
        if not newcomers:
            return iter(())
        return rows(
            [t for t in targets if key(t) in newcomers], {"start": initial, "end": end, "sort": "asc"}
        )

    backfill.__name__ = f"{table}_backfill"
    return _resource(backfill, table_name=table)


def _newcomers(
    table: str, keys: Sequence[str], initial: int | None, what: str
) -> tuple[set[str], int | None]:
    """The targets asked for the first time, and where the incremental starts this run.

    Records ``keys`` as asked in the source state, which dlt commits with this run's
    data, or drops if the run fails: a failed run's newcomers are new again next time.
    """
    cursor = dlt.current.resource_state(table).get("incremental", {}).get(CURSOR)
    # the value dlt binds as this run's start_value (no lag, no external scheduler)
    start: int | None = None if cursor is None else cursor.get("last_value")
    state = dlt.current.source_state().setdefault(_TARGETS, {}).setdefault(table, {})
    asked: list[str] | None = state.get("asked")
    left: dict[str, int] = state.setdefault("left", {})
    current = dict.fromkeys(keys)
    newcomers: set[str] = set()
    if start is not None and (initial is None or start > initial):
        if asked is not None:
            before = set(asked)
            back = [k for k in current if k in left]
            if back:
                _refuse(what, back, left)
            newcomers = {k for k in current if k not in before}
            # asked until now, not this run: the cursor moves on without them from here
            left.update(dict.fromkeys((k for k in asked if k not in current), start))
        # else: a pipeline from before np6 kept this list, its targets were all asked
    else:
        # nothing loaded beyond the start yet: this run asks every target from the start
        for k in current:
            left.pop(k, None)
    state["asked"] = list(current)
    return newcomers, start


def _refuse(what: str, back: Sequence[str], left: Mapping[str, int]) -> None:
    since = min(left[k] for k in back)
    when = _dt.datetime.fromtimestamp(since / 1000, _dt.UTC).isoformat(timespec="milliseconds")
    shown = ", ".join(back[:5]) + (f" and {len(back) - 5} more" if len(back) > 5 else "")
    raise InvalidArgumentError(
        f"{what} back after a run of this pipeline without them ({len(back)}): {shown}. "
        f"Their events from {when} on were never asked for, and this pipeline cannot load them "
        "without a gap or repeats: leave them out, or load them with a pipeline of their own "
        "(np6 load --pipeline NAME)"
    )


def _window(start: int | None) -> dict[str, Any]:
    end = _dt.datetime.fromtimestamp(time.time(), _dt.UTC)
    return {"start": start, "end": end, "sort": "asc"}


def _bounds(window: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The window asked for, in epoch milliseconds (``None``: open)."""
    start, end = window.get("start"), window.get("end")
    return (
        None if start is None else to_epoch_ms(to_time_bound(start, "start")),
        None if end is None else to_epoch_ms(to_time_bound(end, "end")),
    )


def _row(event: dict[str, Any], bounds: tuple[int | None, int | None], target: object) -> dict[str, Any]:
    """``event``, once its ``timestamp`` is known to be what the cursor can rest on.

    An integer inside the window asked for: anything else would become the cursor's
    last value and wedge every later run, so it fails this one, before dlt sees it.
    """
    timestamp = event.get("timestamp")
    start, end = bounds
    if (
        type(timestamp) is not int
        or (start is not None and timestamp < start)
        or (end is not None and timestamp >= end)
    ):
        shown = "open" if start is None else start, "open" if end is None else end
        raise DecodeError(
            f"an event of {target!r} has the timestamp {timestamp!r}, not epoch milliseconds inside the "
            f"window asked for [{shown[0]}, {shown[1]}): np6 load cannot take it as its cursor"
        )
    return event


def _client(api_key: str | None, options: Mapping[str, Any]) -> Client:
    return Client(api_key, **options)


def _contact_rows(
    contacts: Iterable[Contact],
    api_key: str | None,
    options: Mapping[str, Any],
    concurrency: int,
    window: Mapping[str, Any],
) -> Iterator[dict[str, Any]]:
    return _rows(
        lambda client: client.raw.contacts_events(
            contacts, concurrency=concurrency, fail_fast=True, **window
        ),
        lambda contact: {"_np6_contact": {contact.selector: contact.value}},
        api_key,
        options,
        window,
    )


def _campaign_rows(
    campaigns: Iterable[str],
    api_key: str | None,
    options: Mapping[str, Any],
    concurrency: int,
    window: Mapping[str, Any],
) -> Iterator[dict[str, Any]]:
    return _rows(
        lambda client: client.raw.campaigns_events(
            campaigns, concurrency=concurrency, fail_fast=True, **window
        ),
        lambda campaign: {"_np6_campaign": campaign},
        api_key,
        options,
        window,
    )


def _rows(
    fan_out_of: Callable[[Client], Any],
    tag: Callable[[Any], dict[str, Any]],
    api_key: str | None,
    options: Mapping[str, Any],
    window: Mapping[str, Any],
) -> Iterator[dict[str, Any]]:
    """Each event of the fan-out, checked for the cursor and tagged with what it was asked for."""
    bounds = _bounds(window)
    with _client(api_key, options) as client, fan_out_of(client) as fan_out:
        # fail_fast: a failure is raised, so every item is an event
        for item in fan_out:
            row = {**_row(item.event, bounds, item.target), **tag(item.target)}
            yield row
            # no frame keeps what the server sent while the next event is read
            del item, row
