"""Writing exported events: JSON Lines, CSV, a table for people, and the progress line."""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ..timebounds import ms_to_datetime

__all__ = ["CSV_FIELDS", "FORMATS", "Progress", "flat", "write", "write_file"]

CSV_FIELDS = ["type", "id", "timestamp", "time", "contact", "item", "link", "client"]
FORMATS = ["jsonl", "csv", "table"]


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def flat(event: dict[str, Any]) -> dict[str, Any]:
    """The common fields of an event, for CSV and tables; whatever is odd stays empty."""
    detail = _obj(_obj(event.get("source")).get("detail"))
    part = _obj(detail.get("execution") or detail.get("activation"))
    receiver = part.get("recipient") if isinstance(part.get("recipient"), dict) else part.get("receiver")
    contact = ""
    if isinstance(receiver, dict):
        value = receiver.get("value")
        if isinstance(value, dict):
            value = value.get("email") or value.get("id")
        contact = receiver.get("unicity") or receiver.get("id") or value or ""
    link, client = _obj(detail.get("link")), _obj(detail.get("client"))
    client_text = str(client.get("type", ""))
    if client.get("classification"):
        client_text += f":{client['classification']}"
    timestamp = event.get("timestamp")
    when = ""
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        try:
            when = ms_to_datetime(timestamp).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        except OverflowError:
            when = ""
    link_text = " ".join(str(link[k]) for k in ("type", "destination") if link.get(k))
    return {
        "type": event.get("type", ""),
        "id": event.get("id", ""),
        "timestamp": timestamp,
        "time": when,
        "contact": contact,
        "item": part.get("id", ""),
        "link": link_text,
        "client": client_text,
    }


class Progress:
    """A one-line counter on standard error, redrawn at most five times a second."""

    stream: IO[str]
    enabled: bool
    count: int
    started: float
    shown: float

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.count, self.started, self.shown = 0, time.monotonic(), 0.0

    def tick(self) -> None:
        """Count one event."""
        self.count += 1
        now = time.monotonic()
        if self.enabled and now - self.shown >= 0.2:
            self.shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        clock = time.strftime("%H:%M:%S", time.gmtime(elapsed))
        noun = "event" if self.count == 1 else "events"
        self.stream.write(f"\r{self.count:,} {noun} · {self.count / elapsed:,.0f}/s · {clock} ")
        self.stream.flush()

    def done(self) -> None:
        """Draw the final count and end the line."""
        if self.enabled:
            self._show(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


def write(
    events: Iterable[dict[str, Any]], fmt: str, out: IO[str], progress: Progress, *, asked: bool = False
) -> None:
    """Write ``events`` to ``out`` in ``fmt`` (one of :data:`FORMATS`).

    With ``asked``, each record is ``{"contact": {selector: value}, "event": event}``
    (events of many contacts): JSON Lines writes it whole, the event inside exactly as
    sent; CSV and the table add a first column ``asked``, ``selector=value``.
    """
    if fmt == "jsonl":
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            progress.tick()
        out.flush()
        return
    rows = (_asked_row(record) for record in events) if asked else (flat(event) for event in events)
    if fmt == "csv":
        fields = ["asked", *CSV_FIELDS] if asked else CSV_FIELDS
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            progress.tick()
    else:
        columns = [("time", 24), ("type", 12), ("item", 10), ("contact", 28), ("link", 40), ("client", 18)]
        if asked:
            columns.insert(0, ("asked", 28))
        out.write("  ".join(name.upper().ljust(width) for name, width in columns).rstrip() + "\n")
        for row in rows:
            cells = [str(row[name] or "")[:width].ljust(width) for name, width in columns]
            out.write("  ".join(cells).rstrip() + "\n")
            progress.tick()
    out.flush()


def _asked_row(record: dict[str, Any]) -> dict[str, Any]:
    asked = ",".join(f"{selector}={value}" for selector, value in record["contact"].items())
    return {"asked": asked, **flat(record["event"])}


def write_file(
    events: Iterable[Any], fmt: str, path: Path, progress: Progress, *, asked: bool = False
) -> None:
    """Write to ``path`` only once the export is complete.

    Events go to ``PATH.partial`` and are renamed at the end, so that an interrupted or
    failed export never leaves a file that looks complete (nor clobbers an older one).
    """
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            write(events, fmt, out, progress, asked=asked)
    except BaseException as failure:
        if progress.count:
            failure.add_note(
                f"the {progress.count:,} events that arrived are in {partial}; {path} was not written"
            )
        else:
            partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
