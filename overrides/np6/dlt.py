"""Incremental loads of NP6 events into a warehouse with dlt (``pip install 'np6[dlt]'``).

>>> import dlt, np6
>>> from np6.dlt import np6_source
>>> pipeline = dlt.pipeline("np6", destination="duckdb", dataset_name="np6_events")
>>> source = np6_source(contacts=[np6.Contact(id="00001ABC")])   # key from $NP6_API_KEY
>>> pipeline.run(source, loader_file_format="jsonl")

To load a whole account, ``np6_source(reactivities=["email", "notification"])`` reads
every reaction (hit, bounce, opt-out ...) of each channel in one request per run,
into the table ``reactivities``; ``contacts=`` and ``campaigns=`` load chosen ones.

The resources ``contact_events``, ``campaign_events`` and ``reactivities`` are incremental on the
events' ``timestamp`` (epoch milliseconds), with a closed start, ``sort="asc"`` and
``id`` as the primary key, so dlt drops, at the boundary, the events already
loaded: a second run asks NP6 only from the last timestamp loaded and adds no
duplicate, including for events sharing that millisecond. dlt keeps that state
(``last_value`` and the boundary's hashes) in the destination, committed with the
data it describes, beside np6's list of the contacts and campaigns asked. A run
cut before its load commits leaves the state where it was, so the next run asks the
same window again; a finished run followed by another asks only for what is new.

Every run asks each contact for the same window, from the last timestamp loaded to
NP6's own clock (the ``Date`` header of a first, empty request) less ``settle_margin``
seconds (``end``, exclusive). NP6's clock, not this machine's: with this machine's
clock ahead, an event reaching NP6 during a run for a contact already read would
otherwise lie behind the cursor that other contacts' events moved on. The margin is
for events that become visible in NP6 some time after their timestamp; the events of
the last ``settle_margin`` seconds wait for the next run. No row at or past ``end`` is
loaded, so the cursor never passes the end every contact was asked up to.

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

A contact or campaign NP6 answers 404 for (deleted, mistyped) is skipped and logged
(``np6.dlt``, WARNING), and the others are committed. The source state records where
its events stopped being loaded, with the ids already loaded at that instant; in the
first later run where it answers, the second resource asks it from there to the
cursor's start, so it gets the events of every window it missed, once. With
``strict=True`` it fails the run instead. Any other failure (a stream cut beyond its
retries, a 5xx, a 401) fails the run, after which nothing of it is committed.

Within one answer, an event ``id`` sent twice at the same instant is one row; a
contact or campaign listed twice is asked once.

Tables: ``contact_events``, ``campaign_events`` and ``reactivities``, one row per event,
every kind in the same table. dlt flattens nested objects into columns named by their path
(``source.detail.link.destination`` lands as ``source__detail__link__destination``)
and puts lists in child tables (``contact_events__<path>``, linked by
``_dlt_parent_id``). Each row also has the contact or campaign it was asked for, in
``_np6_contact__id`` (or ``__unicity``, ``__hash``), ``_np6_campaign`` or ``_np6_channel``.

With DuckDB, ``pipeline.run(source, loader_file_format="jsonl")`` loads these wide
rows over 20x faster than dlt's default of INSERT statements (``np6 load`` does so).

Two runs of one pipeline at once would load the same windows twice: ``np6 load``
holds :func:`pipeline_lock` for the whole run, and Python callers can too.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import email.utils
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

import dlt
import httpx
from dlt.common.typing import TSecretStrValue
from dlt.sources import DltResource

from ._config import ClientOptions, options_from
from ._contacts import Contact
from ._errors import APIStatusError, DecodeError, Error, InvalidArgumentError, NotFoundError
from ._fanout import Failed, FanOut
from ._sync.client import Client
from ._timebounds import TimeBound, to_epoch_ms, to_time_bound

__all__ = [
    "CURSOR",
    "DEFAULT_SETTLE_MARGIN",
    "PRIMARY_KEY",
    "REACTIVITY_CHANNELS",
    "PipelineLockedError",
    "np6_source",
    "pipeline_lock",
]

CURSOR = "timestamp"
PRIMARY_KEY = "id"

DEFAULT_SETTLE_MARGIN = 300.0
"""Seconds before NP6's clock (its ``Date`` header) where each run's window ends."""

# source state: per table, the targets asked in the last committed run and those left out since
_TARGETS = "targets"

logger = logging.getLogger("np6.dlt")

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
    # a secret to dlt: what it resolves from its configuration is kept out of its traces
    api_key: TSecretStrValue | None = None,
    concurrency: int = 4,
    client_options: Mapping[str, Any] | ClientOptions | None = None,
    settle_margin: float = DEFAULT_SETTLE_MARGIN,
    strict: bool = False,
    reactivities: Iterable[str] | None = None,
) -> list[DltResource]:
    """The events of ``contacts`` (np6.Contact, or ids) and of ``campaigns`` (ids), and the
    reactions of ``reactivities`` channels (``"email"``, ``"notification"``), incrementally.

    ``reactivities`` is how to load a whole account: each run costs one request a
    channel (``client.actions.reactivities`` for ``"email"``, actions being email and
    text message items; ``client.notifications.reactivities`` for ``"notification"``),
    whatever the number of contacts, into the table ``reactivities``, incremental on
    each reaction's own timestamp (``reactivityStart``/``reactivityEnd`` are the window)
    with the same guarantees as the contact and campaign tables. ``contacts`` and
    ``campaigns`` load chosen ones, one request each.

    ``start`` bounds the first run of each contact or campaign (default: all of its
    events); later runs start where the last one ended. A contact or campaign added
    to a later run gets its events from ``start`` on in that run, as well as what is
    new. A contact or campaign listed twice is asked once. ``api_key`` and
    ``base_url`` default to dlt's configuration (``SOURCES__NP6__API_KEY``, ...) and
    then to ``$NP6_API_KEY`` and ``$NP6_BASE_URL``, as for :class:`np6.Client`.
    ``concurrency`` requests at a time go out through one client and its rate gate;
    ``client_options`` are further keyword arguments of that :class:`np6.Client`
    (``timeout``, ``max_retries``, ``deadline``, ...), or a whole
    :class:`np6.ClientOptions` (``client.options``, for one). ``api_key`` or ``base_url``
    given both here and in ``client_options``, differently, is refused.

    Each run asks up to NP6's own clock (the ``Date`` header of its answer) less
    ``settle_margin`` seconds (default :data:`DEFAULT_SETTLE_MARGIN`): events that
    reach NP6 up to that long after their timestamp are still loaded, and the newest
    ones wait for the next run. A contact or campaign NP6 answers 404 for is skipped,
    logged, and asked again in later runs for everything it missed; ``strict=True``
    fails the run instead.
    """
    if contacts is None and campaigns is None and reactivities is None:
        raise InvalidArgumentError(
            "np6_source needs contacts=..., campaigns=..., reactivities=... or several"
        )
    if (
        isinstance(settle_margin, bool)
        or not isinstance(settle_margin, (int, float))
        or not math.isfinite(settle_margin)
        or settle_margin < 0
    ):
        raise InvalidArgumentError(
            f"settle_margin must be a number of seconds of at least 0, got {settle_margin!r}"
        )
    initial = None if start is None else to_epoch_ms(to_time_bound(start, "start"))
    # one ClientOptions for every client of the run, so they share one rate gate; built now,
    # so that a missing key or a conflict is refused here rather than in the middle of a run
    options = options_from({"api_key": api_key, "base_url": base_url}, client_options, "client_options")
    connect = _Connection(options, concurrency, settle_margin, strict)
    resources = []
    if contacts is not None:
        listed = _unique([_contact(c) for c in contacts], _contact_key)
        resources += _resources(
            _Table("contact_events", "contacts", listed, _contact_key, _contact_opener, _contact_tag),
            connect,
            initial,
        )
    if campaigns is not None:
        campaign_ids = _unique(list(campaigns), str)
        resources += _resources(
            _Table("campaign_events", "campaigns", campaign_ids, str, _campaign_opener, _campaign_tag),
            connect,
            initial,
        )
    if reactivities is not None:
        channels = _unique([_channel(c) for c in _listed_channels(reactivities)], str)
        resources += _resources(
            _Table("reactivities", "channels", channels, str, _reactivity_opener, _channel_tag),
            connect,
            initial,
        )
    return resources


REACTIVITY_CHANNELS = {"email": "actions", "notification": "notifications"}
"""The channels ``reactivities=`` takes, and the client namespace whose ``reactivities`` reads each."""


def _listed_channels(value: Iterable[str]) -> list[Any]:
    if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Iterable):
        raise InvalidArgumentError(
            f"reactivities must be a list of channels ({', '.join(REACTIVITY_CHANNELS)}), got {value!r}"
        )
    return list(value)


def _channel(value: object) -> str:
    if not isinstance(value, str) or value not in REACTIVITY_CHANNELS:
        raise InvalidArgumentError(
            f"reactivities: {value!r} is not a channel; the channels are {', '.join(REACTIVITY_CHANNELS)}"
        )
    return value


def _reactivity_opener(window: Mapping[str, Any]) -> Callable[[Any, str], Any]:
    # the table's window bounds the reaction's own timestamp, the one the cursor follows
    bounds = {"reactivity_start": window.get("start"), "reactivity_end": window.get("end")}
    sort = window.get("sort")
    return lambda events, channel: getattr(events, REACTIVITY_CHANNELS[channel]).reactivities(
        **bounds, sort=sort
    )


def _channel_tag(channel: str) -> dict[str, Any]:
    return {"_np6_channel": channel}


def _unique(targets: Sequence[T], key: Callable[[T], str]) -> list[T]:
    """``targets`` in their order, each once: a contact listed twice is asked once."""
    first: dict[str, T] = {}
    for target in targets:
        first.setdefault(key(target), target)
    return list(first.values())


def _contact_opener(window: Mapping[str, Any]) -> Callable[[Any, Contact], Any]:
    return lambda events, contact: events.events(contact, **window)


def _campaign_opener(window: Mapping[str, Any]) -> Callable[[Any, str], Any]:
    return lambda events, campaign: events.campaign_events(campaign, **window)


def _contact_tag(contact: Contact) -> dict[str, Any]:
    return {"_np6_contact": {contact.selector: contact.value}}


def _campaign_tag(campaign: str) -> dict[str, Any]:
    return {"_np6_campaign": campaign}


class _Table(Generic[T]):
    """One table's targets, and how to ask NP6 for them."""

    def __init__(
        self,
        name: str,
        what: str,
        targets: Sequence[T],
        key: Callable[[T], str],
        opener: Callable[[Mapping[str, Any]], Callable[[Any, T], Any]],
        tag: Callable[[T], dict[str, Any]],
    ) -> None:
        self.name, self.what, self.targets, self.key = name, what, targets, key
        self.opener, self.tag = opener, tag


class _Connection:
    """How every request of a run goes out: one client per resource, the same settings."""

    def __init__(self, options: ClientOptions, concurrency: int, settle_margin: float, strict: bool) -> None:
        self.options, self.concurrency = options, concurrency
        self.settle_margin, self.strict = settle_margin, strict

    def client(self) -> Client:
        return Client(options=self.options)


def _resources(table: _Table[Any], connect: _Connection, initial: int | None) -> list[DltResource]:
    """The incremental resource of ``table`` and the one that catches up its newcomers and skipped targets."""
    run: dict[str, _Run] = {}

    def plan() -> _Run:
        # computed once per run by whichever resource dlt starts first, before any row:
        # the cursor's stored last value is still the start its resource was bound with
        if "run" not in run:
            run["run"] = _Run(table, initial, run.clear)
        return run["run"]

    def events(cursor: Any = _incremental(initial)) -> Iterator[dict[str, Any]]:  # noqa: B008
        yield from _window_rows(table, connect, plan(), cursor.start_value)

    def catch_up() -> Iterator[dict[str, Any]]:
        # not a generator: dlt calls this when it builds the run, before any row of it
        return _catch_up_rows(table, connect, plan())

    # dlt binds an incremental found among a resource function's defaults to that
    # resource's state: the cursor is declared there
    events.__name__ = table.name
    catch_up.__name__ = f"{table.name}_backfill"
    return [_resource(events), _resource(catch_up, table_name=table.name)]


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
        # the catch-up ends where this cursor starts, read from its state: a scheduler's
        # window (Airflow's) would move that start elsewhere
        allow_external_schedulers=False,
    )


class _Run:
    """What one run of a table asks, and, once both its resources are done, what the state records.

    The source state of a table (committed with the data, or dropped with a failed run):

    - ``asked``: the targets loaded up to the cursor;
    - ``missed``: the targets NP6 answered 404 for, each with where its events stopped
      being loaded (``from``, ``None`` for its whole history) and the ids already
      loaded at that instant;
    - ``left``: the targets out of the list since a run (refused if they come back);
    - ``boundary``: the ids loaded at the cursor's instant (``at``), which a target
      skipped from there on already has.
    """

    def __init__(self, table: _Table[Any], initial: int | None, on_settled: Callable[[], None]) -> None:
        self.table, self.on_settled = table, on_settled
        cursor = dlt.current.resource_state(table.name).get("incremental", {}).get(CURSOR)
        # the value dlt binds as this run's start_value (no lag, no external scheduler)
        self.start: int | None = None if cursor is None else cursor.get("last_value")
        self.state = dlt.current.source_state().setdefault(_TARGETS, {}).setdefault(table.name, {})
        asked: list[str] | None = self.state.get("asked")
        left: dict[str, int | None] = self.state.setdefault("left", {})
        missed: dict[str, dict[str, Any]] = self.state.setdefault("missed", {})
        self.keys = [table.key(t) for t in table.targets]
        current = set(self.keys)
        moved = self.start is not None and (initial is None or self.start > initial)
        # per target still behind the cursor: from where, and the ids it has at that instant
        self.behind: dict[str, tuple[int | None, frozenset[str]]] = {}
        if moved:
            if asked is not None:
                back = [k for k in self.keys if k in left]
                if back:
                    _refuse(table.what, back, left)
                known = set(asked)
                for k in self.keys:
                    if k in missed:
                        entry = missed[k]
                        self.behind[k] = (entry["from"], frozenset(entry.get("ids", ())))
                    elif k not in known:
                        self.behind[k] = (initial, frozenset())
                # asked until now, not this run: the cursor moves on without them from here
                left.update({k: self.start for k in asked if k not in current})
                left.update({k: e["from"] for k, e in missed.items() if k not in current})
            # else: a pipeline from before np6 kept this list, its targets were all asked
        else:
            # nothing loaded beyond the start yet: this run asks every target from the start
            for k in self.keys:
                left.pop(k, None)
        for k in [k for k in missed if k not in current]:
            del missed[k]
        self.boundary: dict[str, Any] = self.state.get("boundary") or {}
        self.skipped: dict[str, set[str]] = {"events": set(), "catch_up": set()}
        self.done: set[str] = set()
        # the targets the catch-up asks (those behind the cursor's start)
        self.caught_up: set[str] = set()
        self.new_boundary: tuple[int, set[str]] | None = None

    def finish(self, part: str, skipped: set[str]) -> None:
        """Record that ``part`` ended, skipping ``skipped``; with both parts ended, update the state."""
        self.skipped[part] = skipped
        self.done.add(part)
        if self.done == {"events", "catch_up"}:
            self._settle()
            self.on_settled()

    def _settle(self) -> None:
        state, table = self.state, self.table
        missed: dict[str, dict[str, Any]] = state["missed"]
        in_window, in_catch_up = self.skipped["events"], self.skipped["catch_up"]
        split = sorted((in_window ^ in_catch_up) & self.caught_up)
        if split:
            # one of its requests answered and the other did not: what it lacks is no window
            raise Error(
                f"{table.what} found by NP6 for part of this run only (created or deleted meanwhile?): "
                f"{_shown(split)}; run again"
            )
        at_start = (
            [str(i) for i in self.boundary.get("ids", ())] if self.boundary.get("at") == self.start else []
        )
        for k in in_window:
            if k in self.behind:
                # still behind from where it was (a newcomer: its whole history)
                since, known = self.behind[k]
                missed[k] = {"from": since, "ids": sorted(known)}
            else:
                # up to date until now: it stops at this run's start (or earlier, if it already had)
                missed.setdefault(k, {"from": self.start, "ids": at_start})
        for k in self.keys:
            if k not in in_window:
                missed.pop(k, None)
        state["asked"] = [k for k in self.keys if k not in missed]
        if self.new_boundary is not None:
            at, ids = self.new_boundary
            if self.boundary.get("at") == at:
                ids |= set(self.boundary.get("ids", ()))
            state["boundary"] = {"at": at, "ids": sorted(ids)}
        skipped = [k for k in self.keys if k in in_window]
        if skipped:
            logger.warning(
                "%s not found by NP6 (404), skipped in this run and asked again in the next "
                "for everything they missed (%d): %s",
                table.what,
                len(skipped),
                _shown(skipped),
            )


def _shown(keys: Sequence[str]) -> str:
    return ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")


def _refuse(what: str, back: Sequence[str], left: Mapping[str, int | None]) -> None:
    known = [since for k in back if (since := left[k]) is not None]
    since = min(known) if known else None
    when = (
        "the start"
        if since is None
        else _dt.datetime.fromtimestamp(since / 1000, _dt.UTC).isoformat(timespec="milliseconds")
    )
    raise InvalidArgumentError(
        f"{what} back after a run of this pipeline without them ({len(back)}): {_shown(back)}. "
        f"Their events from {when} on were never asked for, and this pipeline cannot load them "
        "without a gap or repeats: leave them out, or load them with a pipeline of their own "
        "(np6 load --pipeline NAME)"
    )


def _window_rows(
    table: _Table[Any], connect: _Connection, run: _Run, start: int | None
) -> Iterator[dict[str, Any]]:
    """Every target from the cursor's start to NP6's clock less the margin."""
    skipped: set[str] = set()
    top: int | None = None
    ids: set[str] = set()
    with connect.client() as client:
        end = _server_end(client, table, connect.settle_margin) if table.targets else None
        if end is not None and (start is None or end > start):
            window = {"start": start, "end": end, "sort": "asc"}
            for row in _rows(client, table, connect, table.targets, window, skipped, None):
                timestamp = row[CURSOR]
                if top is None or timestamp > top:
                    top, ids = timestamp, set()
                if timestamp == top and type(row.get(PRIMARY_KEY)) is str:
                    ids.add(row[PRIMARY_KEY])
                yield row
                del row
        elif end is not None:
            logger.info("%s: NP6's clock less the margin is not past the cursor, nothing to ask", table.name)
    if top is not None:
        run.new_boundary = (top, ids)
    run.finish("events", skipped)


def _catch_up_rows(table: _Table[Any], connect: _Connection, run: _Run) -> Iterator[dict[str, Any]]:
    """The targets behind the cursor, each from where it stopped to the cursor's start (excluded)."""
    skipped: set[str] = set()
    by_start: dict[int | None, list[Any]] = {}
    for target in table.targets:
        behind = run.behind.get(table.key(target))
        if behind is not None and run.start is not None and (behind[0] is None or behind[0] < run.start):
            by_start.setdefault(behind[0], []).append(target)
            run.caught_up.add(table.key(target))
    if by_start:
        with connect.client() as client:
            for since, targets in by_start.items():
                window = {"start": since, "end": run.start, "sort": "asc"}
                yield from _rows(client, table, connect, targets, window, skipped, run.behind)
    run.finish("catch_up", skipped)


def _server_end(client: Client, table: _Table[Any], margin: float) -> int:
    """NP6's clock (the ``Date`` of an answer), less ``margin``, in epoch milliseconds.

    One request of an empty window (the first millisecond of 1970) for the first
    target: its answer, a 404 included, carries NP6's date. ``Date`` counts whole
    seconds, rounded down, so the instant it gives is never past NP6's own.
    """
    dates: list[str] = []

    def note(response: httpx.Response) -> None:
        if "date" in response.headers:
            dates.append(response.headers["date"])

    hooks = client._http.event_hooks
    hooks["response"] = [*hooks["response"], note]
    try:
        probe = table.opener({"start": 0, "end": 1, "sort": "asc"})(client.raw, table.targets[0])
        with probe as stream:
            for _ in stream:
                pass
    except APIStatusError:
        pass  # an answer all the same, with its date; the target's own request reports the error
    finally:
        hooks["response"] = [h for h in hooks["response"] if h is not note]
    server = _parse_date(dates[-1]) if dates else None
    if server is None:
        logger.warning(
            "NP6's answer has no usable Date header; the window ends at this machine's clock "
            "less the margin, so a clock ahead of NP6's by more than the margin can lose events"
        )
        server = time.time()
    return max(int((server - margin) * 1000), 0)


def _parse_date(value: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when.timestamp()


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


class _Unrepeated:
    """One target's answer, each event ``id`` once per instant, less the ids ``known`` at ``since``.

    NP6 may send an event twice in one answer; both would land as rows. The answer
    is sorted, so the ids of one instant are all that is kept.
    """

    def __init__(self, stream: Any, since: int | None, known: frozenset[str]) -> None:
        self._stream, self._since, self._known = stream, since, known
        self._at: object = None
        self._seen: set[str] = set()

    async def __aenter__(self) -> _Unrepeated:
        await self._stream.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._stream.__aexit__(*exc)

    def __aiter__(self) -> _Unrepeated:
        return self

    async def __anext__(self) -> Any:
        while True:
            event = await self._stream.__anext__()
            identity = event.get(PRIMARY_KEY) if type(event) is dict else None
            if type(identity) is not str:
                return event
            timestamp = event.get(CURSOR)
            if timestamp != self._at:
                self._at = timestamp
                self._seen.clear()
            if identity in self._seen or (timestamp == self._since and identity in self._known):
                del event
                continue
            self._seen.add(identity)
            return event


def _rows(
    client: Client,
    table: _Table[Any],
    connect: _Connection,
    targets: Sequence[Any],
    window: Mapping[str, Any],
    skipped: set[str],
    behind: Mapping[str, tuple[int | None, frozenset[str]]] | None,
) -> Iterator[dict[str, Any]]:
    """Each event of ``targets`` in ``window``, checked for the cursor and tagged with what it was asked for.

    A target NP6 answers 404 for is added to ``skipped`` (with ``strict``, and for
    any other error, the run fails).
    """
    bounds = _bounds(window)
    opener = table.opener(window)
    since = window.get("start")

    def open_one(events: Any, target: Any) -> Any:
        known = behind[table.key(target)][1] if behind is not None else frozenset()
        return _Unrepeated(opener(events, target), since, known)

    fan_out: FanOut[Any, Any] = FanOut(
        client, True, open_one, targets, concurrency=connect.concurrency, fail_fast=False, rate_limit=None
    )
    with fan_out:
        for item in fan_out:
            if isinstance(item, Failed):
                error: Error = item.error
                if connect.strict or not isinstance(error, NotFoundError):
                    error.add_note(f"while reading the events of {item.target!r}")
                    raise error
                skipped.add(table.key(item.target))
                continue
            row = {**_row(item.event, bounds, item.target), **table.tag(item.target)}
            yield row
            # no frame keeps what the server sent while the next event is read
            del item, row


def _bounds(window: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The window asked for, in epoch milliseconds (``None``: open)."""
    start, end = window.get("start"), window.get("end")
    return (
        None if start is None else to_epoch_ms(to_time_bound(start, "start")),
        None if end is None else to_epoch_ms(to_time_bound(end, "end")),
    )


class PipelineLockedError(InvalidArgumentError):
    """Another run of the same pipeline holds its lock (see :func:`pipeline_lock`)."""


@contextlib.contextmanager
def pipeline_lock(pipeline_name: str, pipelines_dir: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """Hold one dlt pipeline's lock for a run; :class:`PipelineLockedError` at once if another run has it.

    Two runs of one pipeline at once would both load the same window, and write over
    each other's working folder. ``np6 load`` takes this lock before it opens the
    pipeline; in Python, wrap ``dlt.pipeline(...)`` and ``pipeline.run(...)`` in it.
    The lock is the file ``PIPELINE.np6.lock`` in ``pipelines_dir`` (default: dlt's),
    held with ``flock`` by the running process, which the system releases however it
    ends; it holds the process id and start of the run that has it. It guards the
    runs of one machine (POSIX systems) sharing that folder, not runs elsewhere.
    Yields the lock's path.
    """
    folder = Path(pipelines_dir) if pipelines_dir is not None else Path(_dlt_pipelines_dir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{pipeline_name}.np6.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock
        yield path
        return
    # opened without truncating: the holder's details stay readable until the lock is ours
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            raise PipelineLockedError(
                f"the pipeline {pipeline_name!r} is being loaded by another run: lock {path} is held by "
                f"{holder}; wait until it ends (nothing of this run was done)"
            ) from None
        started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        command = " ".join(Path(sys.argv[0]).name.split()[:1] + sys.argv[1:2]) if sys.argv else "python"
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"process {os.getpid()} ({command}, started {started})\n".encode(), 0)
        try:
            yield path
        finally:
            # the details go before the lock: a run that finds them after has them from the next holder
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    """What the lock's holder wrote of itself (it writes just after it took the lock)."""
    for _ in range(20):
        text = os.pread(descriptor, 4096, 0).decode("utf-8", "replace").strip()
        if text:
            return text
        time.sleep(0.05)
    return "a process that did not say which"


def _dlt_pipelines_dir() -> str:
    from dlt.common.pipeline import get_dlt_pipelines_dir

    return get_dlt_pipelines_dir()
