"""Peak memory of a ``sort="asc"`` stream when its events share one timestamp.

A ``sort="asc"`` stream keeps, for its latest instant, what it needs to resume a cut
answer exactly (the resume ledger). With every event at one instant, that is every
event: this measures what that costs. Each variant streams N events through
``np6.Client.raw`` with ``sort="asc"`` over an ``httpx.MockTransport`` whose body is
made while it is read (so the body itself costs nothing), in a fresh process, and
reports that process's peak resident memory:

- ``distinct``: every event at its own millisecond (the ledger holds one event);
- ``shared``: every event at the same millisecond;
- ``shared-no-id``: the same, without ``id`` (the ledger tells events apart by content).

Target: ``shared`` and ``shared-no-id`` within 1.2x of ``distinct``. Prints the
figures and the target as held or missed; writes nothing.

    .venv/bin/python bench/ledger_memory.py --events 200000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from collections.abc import Iterator

VARIANTS = ("distinct", "shared", "shared-no-id")
TARGET = 1.2
BASE_URL = "http://127.0.0.1:9"  # never contacted: the transport answers


def _event(n: int, variant: str) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "hit",
        "timestamp": 1_706_000_000_000 + (n if variant == "distinct" else 0),
        "source": {"type": "link", "detail": {"link": {"destination": f"https://example.com/a/{n}"}}},
        "client": {"type": "browser", "ip": "192.0.2.1"},
    }
    if variant != "shared-no-id":
        event["id"] = f"0b1f7c57-0000-4000-8000-{n:012d}"
    return event


def _body(events: int, variant: str) -> Iterator[bytes]:
    yield b"["
    batch: list[str] = []
    for n in range(events):
        batch.append(json.dumps(_event(n, variant)))
        if len(batch) == 500:
            yield (("," if n >= 500 else "") + ",".join(batch)).encode()
            batch = []
    if batch:
        yield (("," if events > len(batch) else "") + ",".join(batch)).encode()
    yield b"]"


def measure(events: int, variant: str) -> dict[str, float]:
    """In this process: stream the variant, return the peak RSS in MB and the events read."""
    import httpx
    import np6

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/json"}, content=_body(events, variant)
        )

    count = 0
    with np6.Client("bench-key", base_url=BASE_URL, transport=httpx.MockTransport(answer)) as client:
        for _ in client.raw.events(np6.Contact(id="C1"), sort="asc"):
            count += 1
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"peak_mb": peak_kb / 1024, "events": count}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(measure(args.events, args.variant)))
        return 0
    peaks: dict[str, float] = {}
    for variant in VARIANTS:
        done = subprocess.run(
            [sys.executable, __file__, "--events", str(args.events), "--variant", variant],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout)
        assert result["events"] == args.events, result
        peaks[variant] = result["peak_mb"]
        print(f"{variant:>13}: {result['peak_mb']:7.1f} MB peak ({args.events:,} events, sort=asc)")
    held = True
    for variant in ("shared", "shared-no-id"):
        ratio = peaks[variant] / peaks["distinct"]
        ok = ratio <= TARGET
        held &= ok
        print(f"target {variant} <= {TARGET}x distinct: {ratio:.2f}x {'held' if ok else 'MISSED'}")
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
