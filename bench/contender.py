"""One benchmark contender, run in a fresh process: reads every event of a campaign.

Prints one JSON line: events, seconds, events per second, time to first event and
the process' peak RSS. Every contender reads at least each event's ``timestamp`` so
that none of them can skip decoding; ``typed_all`` reads every field of every object
by its public attribute name, and ``typed_csv`` writes a CSV row of typed fields per
event, as an export would.
"""

from __future__ import annotations

import asyncio
import csv
import json
import operator
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import ijson

# every contender's imports happen before the clock starts
import np6
from np6_generated.api.campaign_events import get_campaign_events
from np6_generated.client import AuthenticatedClient

# the in-process benchmark (inprocess.py) sets an httpx transport here: no server on the cores
TRANSPORT: httpx.BaseTransport | None = None
ASYNC_TRANSPORT: httpx.AsyncBaseTransport | None = None


def typed(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with np6.Client(key, base_url=base_url, transport=TRANSPORT) as client:
        for event in client.campaign_events(campaign):
            if not count:
                mark()
            _ = event.timestamp
            count += 1
    return count


# how every field is read: one operator.attrgetter per view class, over the names its
# __match_args__ lists (the generated models' attribute names), descending into views
# and lists; classes with no fields (str, int, UUID, None ...) are leaves
_READERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_LEAVES: set[type] = {list}


def _classify(cls: type) -> None:
    names: tuple[str, ...] = getattr(cls, "__match_args__", ())
    if cls is list or not names:
        _LEAVES.add(cls)
    elif len(names) == 1:
        one = operator.attrgetter(names[0])
        _READERS[cls] = lambda value: (one(value),)
    else:
        _READERS[cls] = operator.attrgetter(*names)


def read_every_field(value: Any) -> None:
    """Read every field of a view and of the views and lists inside it."""
    cls = value.__class__
    if cls not in _READERS and cls not in _LEAVES:
        _classify(cls)
    if cls in _READERS:
        _read_view(value)
    elif cls is list:
        for item in value:
            read_every_field(item)


def _read_view(value: Any) -> None:
    for child in _READERS[value.__class__](value):
        cls = child.__class__
        if cls in _LEAVES and cls is not list:
            continue
        if cls in _READERS:
            _read_view(child)
        else:
            read_every_field(child)


def typed_all(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with np6.Client(key, base_url=base_url, transport=TRANSPORT) as client:
        for event in client.campaign_events(campaign):
            if not count:
                mark()
            read_every_field(event)
            count += 1
    return count


def _csv_row(event: np6.Event) -> list[Any]:
    """What an export keeps of an event: kind, id, time, contact, item, link, client."""
    contact = item = link = client = ""
    detail = getattr(getattr(event, "source", None), "detail", None)
    part = getattr(detail, "execution", None) or getattr(detail, "activation", None)
    if part:
        item = part.id
        receiver = getattr(part, "receiver", None) or getattr(part, "recipient", None)
        match receiver:
            case np6.FootprintReceiver(unicity=unicity, id=contact_id):
                contact = unicity or contact_id
            case np6.IdReceiver(value=value):
                contact = value
    match getattr(detail, "link", None):
        case np6.RedirectionLink(destination=destination):
            link = f"redirection {destination}"
        case np6.LinkBase(kind=kind):
            link = kind
    match getattr(detail, "client", None):
        case np6.RobotClient(classification=classification, ip=ip):
            client = f"robot:{classification} {getattr(ip, 'value', '')}"
        case np6.WebClient(ip=ip):
            client = f"web {getattr(ip, 'value', '')}"
    return [
        event.kind,
        event.id,
        event.timestamp,
        event.datetime.isoformat(),
        contact,
        item,
        link,
        client,
    ]


def typed_csv(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with (
        open(os.devnull, "w", newline="") as sink,
        np6.Client(key, base_url=base_url, transport=TRANSPORT) as client,
    ):
        writer = csv.writer(sink)
        writer.writerow(["type", "id", "timestamp", "time", "contact", "item", "link", "client"])
        for event in client.campaign_events(campaign):
            if not count:
                mark()
            writer.writerow(_csv_row(event))
            count += 1
    return count


def typed_async(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    async def run() -> int:
        count = 0
        async with np6.AsyncClient(key, base_url=base_url, transport=ASYNC_TRANSPORT) as client:
            async for event in client.campaign_events(campaign):
                if not count:
                    mark()
                _ = event.timestamp
                count += 1
        return count

    return asyncio.run(run())


def raw(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with np6.Client(key, base_url=base_url, transport=TRANSPORT) as client:
        for event in client.raw.campaign_events(campaign):
            if not count:
                mark()
            _ = event["timestamp"]
            count += 1
    return count


def generated(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    client = AuthenticatedClient(
        base_url=base_url,
        token=key,
        prefix="",
        auth_header_name="X-Key",
        timeout=httpx.Timeout(600),
        httpx_args={"transport": TRANSPORT} if TRANSPORT else {},
    )
    events: Any = get_campaign_events.sync(campaign, client=client)
    mark()
    count = 0
    for event in events:
        _ = event.timestamp
        count += 1
    return count


def generated_all(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    client = AuthenticatedClient(
        base_url=base_url,
        token=key,
        prefix="",
        auth_header_name="X-Key",
        timeout=httpx.Timeout(600),
        httpx_args={"transport": TRANSPORT} if TRANSPORT else {},
    )
    events: Any = get_campaign_events.sync(campaign, client=client)
    mark()
    count = 0
    for event in events:
        read_every_field(event)  # attrs models list their fields in __match_args__ too
        count += 1
    return count


def httpx_json(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    with httpx.Client(transport=TRANSPORT, timeout=600) as http:
        events = http.post(f"{base_url}/campaigns/{campaign}/events", headers={"X-Key": key}).json()
    mark()
    count = 0
    for event in events:
        _ = event["timestamp"]
        count += 1
    return count


def httpx_ijson(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with (
        httpx.Client(transport=TRANSPORT, timeout=600) as http,
        http.stream("POST", f"{base_url}/campaigns/{campaign}/events", headers={"X-Key": key}) as response,
    ):
        for event in ijson.items(ijson.from_iter(response.iter_bytes()), "item", use_float=True):
            if not count:
                mark()
            _ = event["timestamp"]
            count += 1
    return count


CONTENDERS = {
    f.__name__: f
    for f in (
        typed,
        typed_all,
        typed_csv,
        typed_async,
        raw,
        generated,
        generated_all,
        httpx_json,
        httpx_ijson,
    )
}


def main() -> None:
    name, base_url, key, campaign = sys.argv[1:5]
    first: list[float] = []
    started = time.perf_counter()
    count = CONTENDERS[name](
        base_url, key, campaign, lambda: first.append(time.perf_counter()) if not first else None
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "contender": name,
                "events": count,
                "seconds": seconds,
                "events_per_s": count / seconds,
                "first_event_s": (first[0] - started) if first else None,
                "peak_rss_mb": peak_kb / 1024,
                "ijson_backend": ijson.backend,
            }
        )
    )


if __name__ == "__main__":
    main()
