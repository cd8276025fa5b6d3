"""`make bench`, a whole account's daily load: reactivities against the per-contact fan-out.

The same data set is loaded twice through dlt into DuckDB, against ``np6 mock`` on
loopback with a rate limit:

1. ``np6_source(reactivities=["email", "notification"])``: every reaction of the
   account, one request a channel (``GET /actions/reactivities``,
   ``GET /notifications/reactivities``);
2. ``np6_source(contacts=every contact)``: one request a contact
   (``GET /targets/events?id=``), which also answers the events that are not reactions.

Figures: requests (np6's debug log, the runs' clock probes apart), reactions loaded,
reactions per request, wall time, and what that count of requests costs at the rate
limit for 1,000,000 contacts. The reactions of run 2 are its rows of a reaction kind
(hit, bounce, reply ...) on the email, SMS or notification channel; a target is that
run 1 loads every one of them (it loads more: the kinds the contact operations do not
answer, opt-outs and impressions).

Run by bench/run.py after bench/fanout.py, or alone: ``python bench/reactivities.py``.
It prints its table and writes JSON under bench/results/ only when run.py asks.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fanout import KEY, Mock, RequestLog  # noqa: E402

ANCHOR = "2024-02-01"
CONTACTS = 500
EVENTS = 20_000
RATE = 50
ACCOUNT = 1_000_000  # contacts of the account the projection is for
REACTION_KINDS = frozenset({"bounce", "hit", "reply", "optout", "impression", "complaint"})
CHANNELS = frozenset({"email", "sms", "notification"})


class _ProbeCounting(RequestLog):
    """A :class:`RequestLog` that also counts the clock probes (``...End=1``)."""

    def __init__(self) -> None:
        super().__init__()
        self.probes = 0

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if record.name == "np6" and record.args and len(record.args) >= 3:
            url = str(record.args[1])
            if "nd=1&" in url + "&":
                self.probes += 1

    def clear(self) -> None:
        super().clear()
        self.probes = 0


def load(name: str, folder: Path, base_url: str, log: _ProbeCounting, **source: Any) -> dict[str, Any]:
    import dlt
    from np6.dlt import np6_source

    pipeline = dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(folder / f"{name}.duckdb")),
        dataset_name="np6",
        pipelines_dir=str(folder / "dlt"),
    )
    log.clear()
    started = time.monotonic()
    pipeline.run(
        np6_source(base_url=base_url, api_key=KEY, concurrency=4, **source), loader_file_format="jsonl"
    )
    seconds = time.monotonic() - started
    table = "reactivities" if "reactivities" in source else "contact_events"
    with pipeline.sql_client() as sql:
        rows = sql.execute_sql(f"SELECT id, type, source__type FROM {table}")
    ids = {row[0] for row in rows}
    # the events of the kinds a reactivity answers, on the channels the two operations cover
    reaction_ids = {row[0] for row in rows if row[1] in REACTION_KINDS and row[2] in CHANNELS}
    return {
        "seconds": round(seconds, 2),
        "requests": log.requests - log.probes,
        "answered_429": log.outcomes["429"],
        "rows": len(ids),
        "ids": ids,
        "reaction_ids": reaction_ids,
    }


def main(results: Path | None = None, machine: str = "") -> list[tuple[str, bool, str]]:
    log = _ProbeCounting()
    logger = logging.getLogger("np6")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(log)
    data = ["--contacts", str(CONTACTS), "--events", str(EVENTS), "--anchor", ANCHOR]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        manifest = folder / "manifest.json"
        mock = Mock(*data, "--rate-limit", str(RATE), "--manifest", str(manifest))
        try:
            contacts = [c["id"] for c in json.loads(manifest.read_text(encoding="utf-8"))["contacts"]]
            print("bench: reactivities: a whole account's daily load, one request a channel ...", flush=True)
            whole = load("whole", folder, mock.base_url, log, reactivities=["email", "notification"])
            print(f"bench: reactivities: the same through {len(contacts):,} contacts ...", flush=True)
            each = load("each", folder, mock.base_url, log, contacts=contacts)
        finally:
            mock.stop()
    reactions = whole.pop("ids")
    whole.pop("reaction_ids")
    each.pop("ids")
    # what one request a contact reads that is a reaction (its operations answer only the
    # kinds the event union details: opt-outs and impressions are reactivities' alone)
    found = each.pop("reaction_ids")
    missed = found - reactions
    figures = {
        "contacts": len(contacts),
        "events": EVENTS,
        "rate_limit": RATE,
        "reactivities": {
            **whole,
            "reactions_per_request": round(whole["rows"] / max(whole["requests"], 1), 1),
        },
        "per_contact": {
            **each,
            "reactions": len(found),
            "reactions_per_request": round(len(found) / max(each["requests"], 1), 2),
        },
        "reactions_only_per_contact": len(missed),
        "projection_hours_at_limit": {
            "per_contact": round(ACCOUNT * each["requests"] / max(len(contacts), 1) / RATE / 3600, 2),
            "reactivities_requests": whole["requests"],
        },
    }
    held = [
        (
            "reactivities: every reaction the per-contact load finds, the reactivity load has",
            not missed,
            f"{len(found):,} found per contact, {len(missed):,} of them missing from {len(reactions):,}",
        ),
        (
            "reactivities: one request a channel",
            whole["requests"] == 2,
            f"{whole['requests']} requests",
        ),
    ]
    per, one = figures["per_contact"], figures["reactivities"]
    lines = [
        f"## A whole account's daily load: reactivities vs one request a contact ({machine})",
        "",
        f"`np6 mock --contacts {CONTACTS} --events {EVENTS:,} --rate-limit {RATE}`, through dlt into DuckDB.",
        "",
        "| load | requests | reactions loaded | reactions / request | wall time (s) | 429s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `np6_source(reactivities=[email, notification])` | {one['requests']} | {one['rows']:,} | "
        f"{one['reactions_per_request']:,} | {one['seconds']} | {one['answered_429']} |",
        f"| `np6_source(contacts=...)` ({len(contacts):,} contacts) | {per['requests']:,} | "
        f"{per['reactions']:,} (of {per['rows']:,} events) | {per['reactions_per_request']} | "
        f"{per['seconds']} | {per['answered_429']} |",
        "",
        f"At {RATE} requests a second, one request a contact costs "
        f"{figures['projection_hours_at_limit']['per_contact']} hours for {ACCOUNT:,} contacts; the "
        f"reactivity load costs {one['requests']} requests whatever their number.",
        "",
    ]
    lines += [f"- {'held' if ok else 'MISSED'}: {name} ({detail})" for name, ok, detail in held]
    print("\n".join(lines))
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
        (results / "reactivities.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return held


if __name__ == "__main__":
    found = main(None, f"{os.cpu_count()} cores, Python {platform.python_version()}")
    sys.exit(0 if all(ok for _, ok, _ in found) else 1)
