"""One benchmark contender, run in a fresh process: reads every event of a campaign.

Prints one JSON line: events, seconds, events per second, time to first event and
the process' peak RSS. Every contender reads each event's ``timestamp`` so that
none of them can skip decoding.
"""

from __future__ import annotations

import asyncio
import json
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


def typed(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with np6.Client(key, base_url=base_url) as client:
        for event in client.campaign_events(campaign):
            if not count:
                mark()
            _ = event.timestamp
            count += 1
    return count


def typed_async(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    async def run() -> int:
        count = 0
        async with np6.AsyncClient(key, base_url=base_url) as client:
            async for event in client.campaign_events(campaign):
                if not count:
                    mark()
                _ = event.timestamp
                count += 1
        return count

    return asyncio.run(run())


def raw(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with np6.Client(key, base_url=base_url) as client:
        for event in client.raw.campaign_events(campaign):
            if not count:
                mark()
            _ = event["timestamp"]
            count += 1
    return count


def generated(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    client = AuthenticatedClient(
        base_url=base_url, token=key, prefix="", auth_header_name="X-Key", timeout=httpx.Timeout(600)
    )
    events: Any = get_campaign_events.sync(campaign, client=client)
    mark()
    count = 0
    for event in events:
        _ = event.timestamp
        count += 1
    return count


def httpx_json(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    response = httpx.post(f"{base_url}/campaigns/{campaign}/events", headers={"X-Key": key}, timeout=600)
    events = response.json()
    mark()
    count = 0
    for event in events:
        _ = event["timestamp"]
        count += 1
    return count


def httpx_ijson(base_url: str, key: str, campaign: str, mark: Callable[[], None]) -> int:
    count = 0
    with httpx.stream(
        "POST", f"{base_url}/campaigns/{campaign}/events", headers={"X-Key": key}, timeout=600
    ) as response:
        for event in ijson.items(ijson.from_iter(response.iter_bytes()), "item", use_float=True):
            if not count:
                mark()
            _ = event["timestamp"]
            count += 1
    return count


CONTENDERS = {f.__name__: f for f in (typed, typed_async, raw, generated, httpx_json, httpx_ijson)}


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
