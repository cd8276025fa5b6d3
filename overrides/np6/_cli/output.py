"""Writing exported events: JSON Lines, CSV, a table for people, and the progress line.

``-o FILE`` goes through :class:`OutputFile`: a fresh temporary file created exclusively
beside FILE, renamed over it once the export is complete, so that no other file is ever
written through a planted link, concurrent exports never mix, and a failed export never
leaves a file that looks complete.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from .. import InvalidArgumentError
from ..toolkit import fit, ms_to_datetime, printable

__all__ = ["CSV_FIELDS", "FORMATS", "FORMULA_STARTS", "OutputFile", "Progress", "flat", "write", "write_file"]

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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP's CSV injection list)."""

_TABLE = [("time", 24), ("type", 12), ("item", 10), ("contact", 28), ("link", 40), ("client", 18)]

# JSON escapes for what JSON leaves raw but a terminal or a line splitter would act on: DEL and
# the C1 controls (CSI is U+009B), bidirectional controls, Unicode line and paragraph separators.
# The JSON value is unchanged: json.loads gives back exactly the string NP6 sent.
_JSON_QUIET = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def _json_line(value: Any) -> str:
    line = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if not line.isascii():
        line = _JSON_QUIET.sub(_json_escape, line)
    return line + "\n"


def _cell(value: Any, allow_formulas: bool, terminal: bool) -> str:
    cell = "" if value is None else str(value)
    if not allow_formulas and cell.startswith(FORMULA_STARTS):
        # OWASP: a leading single quote makes the spreadsheet show the cell as text
        cell = "'" + cell
    return printable(cell) if terminal else cell


def render(
    events: Iterable[Any],
    fmt: str,
    *,
    asked: bool = False,
    allow_formulas: bool = False,
    terminal: bool = False,
) -> tuple[str, Iterator[str]]:
    """The header (empty for JSON Lines) and the text of each event, one line each, in ``fmt``.

    With ``asked``, each record is ``{"contact": {selector: value}, "event": event}``
    (events of many contacts): JSON Lines writes it whole, the event inside exactly as
    sent; CSV and the table add a first column ``asked``, ``selector=value``. Table
    cells show server text through :func:`np6._text.fit` (controls escaped, cut whole);
    CSV cells that a spreadsheet would run as a formula start with ``'`` unless
    ``allow_formulas``; ``terminal`` (the CSV goes to a terminal) escapes controls too.
    """
    if fmt == "jsonl":
        return "", (_json_line(event) for event in events)
    rows = (_asked_row(record) for record in events) if asked else (flat(event) for event in events)
    if fmt == "csv":
        fields = ["asked", *CSV_FIELDS] if asked else CSV_FIELDS
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        # the csv module quotes a cell holding the line terminator's characters only, so a CR in a
        # cell would end the row for every reader: such rows are written with every cell quoted
        quoting = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)

        def line(cells: list[str]) -> str:
            buffer.seek(0)
            buffer.truncate()
            (quoting if any("\r" in cell for cell in cells) else writer).writerow(cells)
            return buffer.getvalue()

        header = line(fields)
        return header, (
            line([_cell(row.get(name), allow_formulas, terminal) for name in fields]) for row in rows
        )
    columns = [("asked", 28), *_TABLE] if asked else _TABLE
    header = "  ".join(name.upper().ljust(width) for name, width in columns).rstrip() + "\n"
    return header, (
        "  ".join(fit(str(row[name] or ""), width) for name, width in columns).rstrip() + "\n" for row in rows
    )


def write(
    events: Iterable[Any],
    fmt: str,
    out: IO[str],
    progress: Progress,
    *,
    asked: bool = False,
    allow_formulas: bool = False,
) -> None:
    """Write ``events`` to ``out`` in ``fmt`` (one of :data:`FORMATS`); see :func:`render`."""
    terminal = out.isatty()
    header, lines = render(events, fmt, asked=asked, allow_formulas=allow_formulas, terminal=terminal)
    out.write(header)
    for line in lines:
        out.write(line)
        progress.tick()
    out.flush()


def _asked_row(record: dict[str, Any]) -> dict[str, Any]:
    asked = ",".join(f"{selector}={value}" for selector, value in record["contact"].items())
    return {"asked": asked, **flat(record["event"])}


class OutputFile:
    """``-o FILE``: checked before any request, written through a temporary file, renamed when complete.

    The temporary file is created exclusively (``O_EXCL``, by :func:`tempfile.mkstemp`)
    in FILE's folder, so a link planted there is never followed, and every export has
    its own: of concurrent exports to the same FILE, the last to finish wins, whole. A
    symbolic link at FILE itself is replaced, never written through. An existing FILE's
    permissions are kept; a new FILE is readable and writable by its owner only (0600).
    """

    def __init__(self, given: str) -> None:
        self.given = given
        shown = printable(given)
        path = Path(given)
        if os.path.isdir(given):
            raise InvalidArgumentError(f"-o {shown}: is a folder; name the file to write in it")
        if given.endswith("/"):
            raise InvalidArgumentError(f"-o {shown}: names a folder (it ends with /); name a file")
        folder = path.parent
        if not folder.is_dir():
            what = "not a folder" if folder.exists() else "no such folder"
            raise InvalidArgumentError(f"-o {shown}: {what}: {printable(str(folder))}")
        try:
            existing: os.stat_result | None = os.lstat(given)
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise InvalidArgumentError(f"-o {shown}: {exc.strerror or exc}") from None
        if existing is not None and not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
            raise InvalidArgumentError(
                f"-o {shown}: not a regular file (a device, pipe or socket); write there with > instead"
            )
        self.mode = (
            stat.S_IMODE(existing.st_mode) & 0o777
            if existing is not None and stat.S_ISREG(existing.st_mode)
            else None
        )
        try:
            self.fd, temporary = tempfile.mkstemp(dir=folder, prefix=f"{path.name}.", suffix=".partial")
        except OSError as exc:
            raise InvalidArgumentError(
                f"-o {shown}: cannot create a file in {printable(str(folder))}: {exc.strerror or exc}"
            ) from None
        self.temporary = Path(temporary)
        self.written = 0
        """Events wholly in the temporary file."""
        self._size = 0
        self._closed = False

    def write(self, records: Iterable[str], progress: Progress, header: str = "") -> None:
        """Write ``header``, then each record (one event each) in large writes; count what reached it."""
        pending: list[bytes] = [header.encode("utf-8")] if header else []
        pending_events: list[bool] = [False] if header else []
        size = len(pending[0]) if pending else 0
        try:
            for record in records:
                data = record.encode("utf-8")
                pending.append(data)
                pending_events.append(True)
                size += len(data)
                progress.tick()
                if size >= _FLUSH_BYTES:
                    self._flush(pending, pending_events)
                    size = 0
        finally:
            # what arrived before a failure still goes to the file (the note counts it)
            self._flush(pending, pending_events)

    def _flush(self, pending: list[bytes], events: list[bool]) -> None:
        if not pending:
            return
        data = memoryview(b"".join(pending))
        done = 0
        try:
            while done < len(data):
                done += os.write(self.fd, data[done:])
        finally:
            # only records that reached the file whole count; a torn one is cut off
            offset = self._size
            for chunk, is_event in zip(pending, events, strict=True):
                if done < len(chunk):
                    break
                done -= len(chunk)
                offset += len(chunk)
                self.written += is_event
            if offset != self._size + len(data):
                os.ftruncate(self.fd, offset)
            self._size = offset
            pending.clear()
            events.clear()

    def commit(self) -> None:
        """Give the file its mode, make it durable and rename it over FILE."""
        if self.mode is not None:
            os.fchmod(self.fd, self.mode)
        os.fsync(self.fd)
        self._close()
        os.replace(self.temporary, self.given)

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self.fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._closed:
            return
        self._close()
        if self.written and exc is not None:
            exc.add_note(
                f"the first {self.written:,} events are in {printable(str(self.temporary))}, each whole; "
                f"{printable(self.given)} was not written"
            )
        else:
            self.temporary.unlink(missing_ok=True)


_FLUSH_BYTES = 1 << 16


def write_file(
    events: Iterable[Any],
    fmt: str,
    target: OutputFile,
    progress: Progress,
    *,
    asked: bool = False,
    allow_formulas: bool = False,
) -> None:
    """Write to ``target`` and rename it over its FILE only once the export is complete.

    On a failure (a cut answer, a full disk, an interruption) the events that reached the
    temporary file whole stay there, and leaving ``target``'s ``with`` block adds a note
    naming it; FILE is untouched.
    """
    header, lines = render(events, fmt, asked=asked, allow_formulas=allow_formulas)
    target.write(lines, progress, header)
    target.commit()
