"""`make bench`, many contacts: a rate-limited fan-out, and an incremental pair of loads.

1. Fan-out over 1,000 contacts against ``np6 mock --rate-limit 50``: achieved
   requests a second (target: at least 0.9x the limit), contacts failed (target:
   none), and every event exactly once compared with a sequential run against the
   same data set served without a limit.
2. Incremental pair through dlt into DuckDB: a first run over most of a data set,
   then, once the mock has gained the newest events, a second run. A byte-counting
   TCP proxy between np6 and the mock measures what each run fetched; np6's debug
   log counts the requests. Target: the second run fetches only the new window
   (plus the events of the boundary millisecond, which dlt drops), and the table
   holds every event exactly once.

Run by bench/run.py after the streaming contenders, or alone: ``python bench/fanout.py``.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NP6 = str(Path(sys.executable).parent / "np6")
KEY = "bench-fanout-key"
ANCHOR = "2024-02-01"
CONTACTS = 1000
EVENTS = 20_000
RATE = 50
CONCURRENCY = 4
INCREMENTAL_CONTACTS = 200
INCREMENTAL_EVENTS = 20_000
NEW_SHARE = 0.1  # the newest tenth arrives between the two runs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mock:
    """``np6 mock`` in its own process; ``args`` are its flags."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "NP6_MOCK_API_KEY": KEY}
        command = [NP6, "mock", "--port", str(self.port), *args]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
        assert self.process.stderr is not None
        first = self.process.stderr.readline()
        if "serving" not in first:
            raise RuntimeError(f"unexpected mock banner: {first!r}")
        # keep reading its standard error, so that it never blocks on a full pipe
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class CountingProxy:
    """A TCP relay to ``port`` on loopback that counts the bytes each way."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.down = 0  # server to client
        self.up = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.down = self.up = 0

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, "down"), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, direction: str) -> None:
        try:
            while chunk := source.recv(65536):
                with self._lock:
                    setattr(self, direction, getattr(self, direction) + len(chunk))
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


class RequestLog(logging.Handler):
    """Counts np6's requests and their outcomes from its debug log (one line per attempt)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.starts: collections.Counter[str] = collections.Counter()
        self._lock2 = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != "np6" or not record.args or len(record.args) < 3:
            return
        url, outcome = str(record.args[1]), str(record.args[2]).split()[0]
        found = re.search(r"[?&]start=([^&]+)", url)
        with self._lock2:
            self.outcomes[outcome] += 1
            self.starts[found.group(1) if found else "-"] += 1

    @property
    def requests(self) -> int:
        return sum(self.outcomes.values())

    def clear(self) -> None:
        with self._lock2:
            self.outcomes.clear()
            self.starts.clear()


def _log() -> RequestLog:
    log = RequestLog()
    logger = logging.getLogger("np6")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(log)
    return log


def fan_out_bench(log: RequestLog) -> dict[str, Any]:
    import np6

    data = ["--contacts", str(CONTACTS), "--events", str(EVENTS), "--anchor", ANCHOR]
    with tempfile.TemporaryDirectory() as scratch:
        manifest = Path(scratch) / "manifest.json"
        free = Mock(*data, "--manifest", str(manifest))
        limited = Mock(*data, "--rate-limit", str(RATE))
        try:
            ids = [c["id"] for c in json.loads(manifest.read_text(encoding="utf-8"))["contacts"]][:CONTACTS]
            contacts = [np6.Contact(id=i) for i in ids]
            print(f"bench: fan-out: {len(ids):,} contacts, sequential without a limit ...", flush=True)
            expected: collections.Counter[tuple[str, str]] = collections.Counter()
            started = time.monotonic()
            with np6.Client(KEY, base_url=free.base_url) as client:
                for contact in contacts:
                    expected.update((contact.value, e["id"]) for e in client.raw.events(contact, sort="asc"))
            sequential_s = time.monotonic() - started

            print(f"bench: fan-out: concurrency {CONCURRENCY}, mock --rate-limit {RATE} ...", flush=True)
            log.clear()
            got: collections.Counter[tuple[str, str]] = collections.Counter()
            failed: list[str] = []
            started = time.monotonic()
            with np6.Client(KEY, base_url=limited.base_url) as client:
                fan_out = client.raw.contacts_events(contacts, concurrency=CONCURRENCY, sort="asc")
                for item in fan_out:
                    if isinstance(item, np6.Failed):
                        failed.append(f"{item.target.value}: {item.error}")
                    else:
                        got[(item.target.value, item.event["id"])] += 1
                pauses = client.gate.pauses
            elapsed = time.monotonic() - started
        finally:
            free.stop()
            limited.stop()
    answered = log.outcomes["200"]
    return {
        "contacts": len(ids),
        "events": sum(got.values()),
        "concurrency": CONCURRENCY,
        "rate_limit": RATE,
        "seconds": round(elapsed, 2),
        "requests": log.requests,
        "answered_200": answered,
        "answered_429": log.outcomes["429"],
        "requests_per_s": round(answered / elapsed, 2),
        "ratio_to_limit": round(answered / elapsed / RATE, 3),
        "gate_pauses": pauses,
        "failed_contacts": len(failed),
        "failures": failed[:5],
        "exactly_once": got == expected and max(got.values(), default=1) == 1,
        "sequential_unlimited_s": round(sequential_s, 2),
        "sequential_events": sum(expected.values()),
    }


def incremental_bench(log: RequestLog) -> dict[str, Any]:
    import dlt
    from np6.dlt import np6_source
    from np6_mock import Store

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store = Store.generated(
            str(folder / "source.sqlite3"),
            contacts=INCREMENTAL_CONTACTS,
            events=INCREMENTAL_EVENTS,
            anchor=datetime.date.fromisoformat(ANCHOR),
        )
        with store.connect() as db:
            rows = db.execute("SELECT contact_id, body FROM events ORDER BY timestamp, seq").fetchall()
        ids = sorted({contact for contact, _ in rows})
        cut = int(len(rows) * (1 - NEW_SHARE))
        boundary = json.loads(rows[cut - 1][1])["timestamp"]
        older = folder / "older.jsonl"
        everything = folder / "everything.jsonl"
        for path, part in ((older, rows[:cut]), (everything, rows)):
            with path.open("w", encoding="utf-8") as out:
                for contact, body in part:
                    out.write(f'{{"event":{body},"contact":{{"id":"{contact}"}}}}\n')
        at_boundary = sum(1 for _, body in rows[:cut] if json.loads(body)["timestamp"] == boundary)

        def pipeline(name: str) -> Any:
            return dlt.pipeline(
                pipeline_name=name,
                destination=dlt.destinations.duckdb(str(folder / f"{name}.duckdb")),
                dataset_name="np6",
                pipelines_dir=str(folder / "dlt"),
            )

        def run(name: str, jsonl: Path) -> dict[str, Any]:
            mock = Mock("--load", str(jsonl))
            proxy = CountingProxy(mock.port)
            log.clear()
            started = time.monotonic()
            try:
                target = pipeline(name)
                source = np6_source(contacts=ids, base_url=proxy.base_url, api_key=KEY)
                target.run(source, loader_file_format="jsonl")
            finally:
                proxy.close()
                mock.stop()
            normalized = target.last_trace.last_normalize_info
            counts = normalized.row_counts if normalized else {}
            with target.sql_client() as sql:
                total, distinct = sql.execute_sql("SELECT count(*), count(DISTINCT id) FROM contact_events")[
                    0
                ]
            return {
                "seconds": round(time.monotonic() - started, 2),
                "requests": log.requests,
                "requests_with_start": log.requests - log.starts["-"],
                "bytes_fetched": proxy.down,
                "rows_loaded": counts.get("contact_events", 0),
                "table_rows": total,
                "table_distinct_ids": distinct,
            }

        print("bench: incremental: first run ...", flush=True)
        first = run("pair", older)
        print("bench: incremental: second run, after the mock gained the newest events ...", flush=True)
        second = run("pair", everything)
        print("bench: incremental: a full load of everything, for comparison ...", flush=True)
        full = run("full", everything)
        store.close()
    return {
        "contacts": len(ids),
        "events_total": len(rows),
        "events_new": len(rows) - cut,
        "events_at_boundary_refetched": at_boundary,
        "first": first,
        "second": second,
        "full_reload": full,
        "second_fetches_share_of_full": round(second["bytes_fetched"] / max(full["bytes_fetched"], 1), 3),
        "exactly_once": second["table_rows"] == second["table_distinct_ids"] == len(rows),
        "only_new_rows": second["rows_loaded"] == len(rows) - cut,
    }


def targets(fan: dict[str, Any], pair: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [
        (
            f"fan-out: >= 0.9x the limit ({RATE}/s)",
            fan["ratio_to_limit"] >= 0.9,
            f"{fan['requests_per_s']}/s = {fan['ratio_to_limit']}x",
        ),
        ("fan-out: no contact failed", fan["failed_contacts"] == 0, f"{fan['failed_contacts']} failed"),
        ("fan-out: every event exactly once vs sequential", fan["exactly_once"], f"{fan['events']:,} events"),
        (
            "incremental: second run loads only new events",
            pair["only_new_rows"],
            f"{pair['second']['rows_loaded']:,} of {pair['events_new']:,} new",
        ),
        (
            "incremental: table holds every event exactly once",
            pair["exactly_once"],
            f"{pair['second']['table_rows']:,} rows, {pair['second']['table_distinct_ids']:,} ids",
        ),
    ]


def report(fan: dict[str, Any], pair: dict[str, Any], held: list[tuple[str, bool, str]], machine: str) -> str:
    first, second, full = pair["first"], pair["second"], pair["full_reload"]
    lines = [
        "# Benchmarks: fan-out under a rate limit, incremental loads",
        "",
        "Written by `make bench` (bench/fanout.py); figures from the last run. " + machine,
        "",
        f"## Fan-out: {fan['contacts']:,} contacts, `np6 mock --rate-limit {RATE}`",
        "",
        f'`client.raw.contacts_events(contacts, concurrency={CONCURRENCY}, sort="asc")`, the rate gate '
        "reading `X-RateLimit-Remaining`/`-Reset` and `Retry-After`, no client-side rate.",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| wall time (s) | {fan['seconds']} |",
        f"| requests sent (attempts) | {fan['requests']:,} |",
        f"| answered 200 | {fan['answered_200']:,} |",
        f"| answered 429 (retried after the pause) | {fan['answered_429']:,} |",
        f"| achieved requests/s (200s / wall time) | {fan['requests_per_s']} |",
        f"| ratio to the limit | {fan['ratio_to_limit']} |",
        f"| pauses of the gate | {fan['gate_pauses']:,} |",
        f"| contacts failed | {fan['failed_contacts']} |",
        f"| events | {fan['events']:,} |",
        f"| same (contact, event id) multiset as a sequential run without a limit | {fan['exactly_once']} |",
        f"| that sequential run's wall time (s) | {fan['sequential_unlimited_s']} |",
        "",
        "The mock counts whole epoch seconds, so a run that starts and ends part-way through a "
        "second gets a full quota in its first and last windows: a ratio a little above 1 is the "
        "limit met, not exceeded. The 429s are requests already on their way when an answer "
        "said `Remaining: 0`; each waited for the next window and succeeded.",
        "",
        f"## Incremental pair through dlt into DuckDB ({pair['contacts']} contacts)",
        "",
        f"The first run loads the oldest {1 - NEW_SHARE:.0%} of {pair['events_total']:,} events; "
        f"the mock then serves all of them ({pair['events_new']:,} new) and the same pipeline runs "
        'again (`loader_file_format="jsonl"`). Bytes are counted on the wire by a TCP proxy, '
        "requests from np6's debug log.",
        "",
        "| run | requests | of which with start= | bytes fetched | rows loaded | table rows | distinct ids |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, run in (("first", first), ("second (after new events)", second), ("full reload", full)):
        lines.append(
            f"| {name} | {run['requests']:,} | {run['requests_with_start']:,} | {run['bytes_fetched']:,} | "
            f"{run['rows_loaded']:,} | {run['table_rows']:,} | {run['table_distinct_ids']:,} |"
        )
    lines += [
        "",
        f"The second run fetched {pair['second_fetches_share_of_full']:.1%} of the bytes of a full "
        f"reload: the new window, plus the {pair['events_at_boundary_refetched']} event(s) of the "
        "boundary millisecond, which dlt recognised by id and dropped.",
        "",
        "## Targets",
        "",
    ]
    lines += [f"- {'held' if ok else 'MISSED'}: {name} ({detail})" for name, ok, detail in held]
    return "\n".join(lines) + "\n"


def main(results: Path | None = None, machine: str = "") -> list[tuple[str, bool, str]]:
    """Run both benchmarks; write JSON beside the other results and docs/benchmarks-fanout.md."""
    log = _log()
    fan = fan_out_bench(log)
    pair = incremental_bench(log)
    held = targets(fan, pair)
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
        (results / "fanout.json").write_text(
            json.dumps({"fan_out": fan, "incremental": pair}, indent=1) + "\n"
        )
    text = report(fan, pair, held, machine)
    (ROOT / "docs" / "benchmarks-fanout.md").write_text(text, encoding="utf-8")
    print(text)
    return held


if __name__ == "__main__":
    import platform

    found = main(
        HERE / "results" / "fanout", f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}."
    )
    sys.exit(0 if all(ok for _, ok, _ in found) else 1)
