"""The decoding benchmark without a server on the cores: one process, one body, many rounds.

Builds a JSON array of N events of the mock's shapes (the seed pages' shapes), serves it
through an ``httpx.MockTransport`` in 64 KiB chunks, and runs the contenders of
contender.py over it in interleaved rounds, timing each by the CPU time it uses
(``time.process_time``), so that the ratios do not depend on what else shares the
machine's cores. Each contender's best round is kept; ratios are taken within the run.
Prints a Markdown table (also written to ``bench/results/inprocess/``) and the targets.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import contender
import httpx
import ijson
from np6_mock.dataset import generate

RESULTS = Path(__file__).resolve().parent / "results" / "inprocess"
BASE_URL = "http://127.0.0.1:9"  # never contacted: the transport answers
CONTENDERS = [
    "httpx_ijson",
    "typed",
    "typed_all",
    "typed_csv",
    "raw",
    "httpx_json",
    "generated",
    "generated_all",
]
LABELS = {
    "httpx_ijson": "httpx stream + ijson items (floor)",
    "typed": "np6 typed, reading `timestamp`",
    "typed_all": "np6 typed, reading every field",
    "typed_csv": "np6 typed, CSV export",
    "raw": "np6 `client.raw`",
    "httpx_json": "httpx + response.json()",
    "generated": "generated client (whole body, models)",
    "generated_all": "generated client, reading every field",
}


def body_of(events: int) -> bytes:
    """``events`` events from the mock's generator, as one JSON array."""
    _, _, stream = generate(contacts=2000, campaigns=1, events=events)
    return json.dumps([stored.body for stored in stream]).encode()


def transport_for(body: bytes) -> httpx.MockTransport:
    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/json"}, content=chunks())

    return httpx.MockTransport(answer)


def targets(rates: dict[str, float], ratios: dict[str, float]) -> list[tuple[str, bool, str]]:
    """The issue's targets: against the floor by the rounds' median ratio, against the
    generated client (a different order of magnitude) by the best rounds."""
    generated = rates["generated"]
    typed, every = ratios["typed"], ratios["typed_all"]
    every_vs_generated = rates["typed_all"] / generated
    return [
        ("typed, reading timestamp >= 0.85x floor", typed >= 0.85, f"{typed:.2f}x"),
        ("typed, reading every field >= 0.3x floor", every >= 0.3, f"{every:.2f}x"),
        ("typed, reading every field >= 4x generated", every_vs_generated >= 4, f"{every_vs_generated:.2f}x"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per contender; the best is kept")
    args = parser.parse_args()
    contender.TRANSPORT = transport_for(body_of(args.events))
    runs: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for _ in range(args.rounds):
        for name in CONTENDERS:
            gc.collect()
            started = time.process_time()
            count = contender.CONTENDERS[name](BASE_URL, "bench-key-inprocess", "C000", lambda: None)
            seconds = time.process_time() - started
            assert count == args.events, f"{name} read {count} of {args.events} events"
            runs[name].append(count / seconds)
    rates = {name: max(found) for name, found in runs.items()}
    # each round runs every contender back to back: a ratio taken within a round is less
    # exposed to what else the machine does than one between two contenders' best rounds
    ratios = {
        name: statistics.median(
            mine / floor for mine, floor in zip(runs[name], runs["httpx_ijson"], strict=True)
        )
        for name in CONTENDERS
    }
    floor, generated = rates["httpx_ijson"], rates["generated"]
    lines = [
        f"{args.events:,} events in one process through an httpx MockTransport (no server), "
        f"Python {platform.python_version()}, ijson `{ijson.backend}`; CPU time, best of "
        f"{args.rounds} interleaved rounds (spread: worst round / best round); x floor (rounds): "
        "the median over the rounds of the ratio within each round.",
        "",
        "| contender | events/s | x floor | x floor (rounds) | x generated | spread |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in CONTENDERS:
        rate = rates[name]
        lines.append(
            f"| {LABELS[name]} | {rate:,.0f} | {rate / floor:.2f} | {ratios[name]:.2f} | "
            f"{rate / generated:.2f} | {min(runs[name]) / rate:.2f} |"
        )
    held = targets(rates, ratios)
    lines += ["", "| target | holds | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in held]
    table = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.md").write_text(table)
    (RESULTS / "results.json").write_text(
        json.dumps(
            {"events": args.events, "rounds": args.rounds, "runs": runs, "ratios": ratios, "targets": held},
            indent=2,
        )
        + "\n"
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
