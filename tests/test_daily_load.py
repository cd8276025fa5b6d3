"""Daily loads lose nothing and duplicate nothing, whatever the clocks and the operator do.

An NP6 of the test's own on a real socket (a RawServer script): contacts' events, its own
clock in its ``Date`` header, events that arrive while a run reads, contacts that
disappear and come back. Loads go through dlt into a real DuckDB file per test, in
Python and through ``np6 load`` in its own process.
"""

from __future__ import annotations

import email.utils
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dlt
import httpx
import np6
import np6.dlt
import pytest
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from dlt.pipeline.exceptions import PipelineStepFailed
from helpers import NP6, RawServer, http_response
from np6.dlt import np6_source
from np6_mock.validation import parse_time

KEY = "daily-load-key-0123456789"
BASE = 1_706_000_000_000


class FakeNP6:
    """Contacts' events served by ``GET /targets/events`` (``id``, ``start``, ``end``, ``sort=asc``).

    ``skew`` seconds are added to this machine's clock for NP6's ``Date``; ``missing``
    contacts are answered 404, ``broken`` ones 500; an event id in ``twice`` is sent
    twice in each answer holding it; ``on_request`` sees each window's query before
    it is answered (not the clock probes).
    """

    def __init__(self, skew: float = 0.0) -> None:
        self.skew = skew
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.missing: set[str] = set()
        self.broken: set[str] = set()
        self.twice: set[str] = set()
        self.asked: list[dict[str, str]] = []
        self.on_request: Callable[[dict[str, str]], None] | None = None
        self.lock = threading.Lock()
        self.hold = threading.Event()
        self.hold.set()
        self.raw = RawServer(self._answer)
        self.base_url = self.raw.base_url

    def now_ms(self) -> int:
        return int((time.time() + self.skew) * 1000)

    def add(self, contact: str, timestamp: int, name: str) -> dict[str, Any]:
        event = {"type": "hit", "id": f"{contact}-{name}", "timestamp": timestamp}
        with self.lock:
            self.events.setdefault(contact, []).append(event)
        return event

    def all(self) -> list[tuple[str, str]]:
        with self.lock:
            return sorted((e["id"], c) for c, events in self.events.items() for e in events)

    def _answer(self, request: bytes, index: int) -> list[Any]:
        target = request.split(b"\r\n", 1)[0].decode().split()[1]
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        if (query.get("start"), query.get("end")) != ("0", "1"):
            self.hold.wait(60)
            with self.lock:
                self.asked.append(query)
            if self.on_request is not None:
                self.on_request(query)
        date = {"Date": email.utils.formatdate(time.time() + self.skew, usegmt=True)}
        contact = query["id"]
        if contact in self.missing:
            problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": contact}
            return [http_response(404, json.dumps(problem).encode(), date)]
        if contact in self.broken:
            return [http_response(500, b'{"title": "Internal Server Error", "status": 500}', date)]
        start = parse_time("start", query["start"]) if "start" in query else 0
        end = parse_time("end", query["end"]) if "end" in query else 2**63
        with self.lock:
            chosen = sorted(
                (e for e in self.events.get(contact, []) if start <= e["timestamp"] < end),
                key=lambda e: e["timestamp"],
            )
        body = [copy for e in chosen for copy in ([e, e] if e["id"] in self.twice else [e])]
        return [http_response(200, json.dumps(body).encode(), date)]

    def close(self) -> None:
        self.hold.set()
        self.raw.close()


@pytest.fixture
def np6_server() -> Iterator[FakeNP6]:
    server = FakeNP6()
    yield server
    server.close()


@pytest.fixture
def pipeline(tmp_path: Path) -> Any:
    return dlt.pipeline(
        pipeline_name="daily",
        destination=dlt.destinations.duckdb(str(tmp_path / "daily.duckdb")),
        dataset_name="np6",
        pipelines_dir=str(tmp_path / "dlt"),
    )


def _run(pipeline: Any, server: FakeNP6, contacts: list[str], **kwargs: Any) -> None:
    kwargs.setdefault("settle_margin", 0)
    kwargs.setdefault("client_options", {"max_retries": 0})
    source = np6_source(contacts=contacts, base_url=server.base_url, api_key=KEY, **kwargs)
    pipeline.run(source, loader_file_format="jsonl")


def _loaded(pipeline: Any) -> list[tuple[str, str]]:
    with pipeline.sql_client() as sql:
        try:
            rows = sql.execute_sql("SELECT id, _np6_contact__id FROM contact_events ORDER BY id")
        except DatabaseUndefinedRelation:  # nothing loaded yet
            return []
    return sorted(tuple(row) for row in rows)  # type: ignore[misc]


def _missed(pipeline: Any) -> dict[str, Any]:
    targets = pipeline.state["sources"]["np6"]["targets"]["contact_events"]
    return dict(targets.get("missed", {}))


def _cause(failure: BaseException) -> BaseException | None:
    """The np6 error under dlt's wrapping."""
    current: BaseException | None = failure
    while current is not None and not isinstance(current, np6.Error):
        current = getattr(current, "exception", None) or current.__cause__ or current.__context__
    return current


# --- clocks --------------------------------------------------------------------------------


def test_an_event_reaching_np6_during_a_run_is_loaded_when_this_clock_is_ahead_of_np6s(
    pipeline: Any,
) -> None:
    """This machine's clock an hour ahead of NP6's; an event reaches NP6 for a contact already read."""
    server = FakeNP6(skew=-3600.0)
    try:
        now = server.now_ms()
        server.add("A", now - 60_000, "old")
        server.add("B", now - 60_000, "old")
        arrived: list[str] = []

        def arrive(query: dict[str, str]) -> None:
            # while B is read, an event reaches NP6 for A (already read) and one for B
            if query["id"] == "B" and not arrived:
                instant = server.now_ms()
                arrived.append(server.add("A", instant, "late")["id"])
                server.add("B", instant + 1, "late")

        server.on_request = arrive
        _run(pipeline, server, ["A", "B"], concurrency=1)
        assert arrived
        server.on_request = None
        # NP6's clock moves on past both arrivals (its Date counts whole seconds): run 2 may take them
        server.skew += 2.0
        _run(pipeline, server, ["A", "B"], concurrency=1)
        # before: A-late was passed over for good (the cursor moved to B-late), and the runs exited 0
        assert _loaded(pipeline) == server.all()
    finally:
        server.close()


def test_each_window_ends_at_np6s_clock_less_the_margin(np6_server: FakeNP6, pipeline: Any) -> None:
    np6_server.skew = -7200.0  # NP6 two hours behind this machine
    np6_server.add("A", np6_server.now_ms() - 30_000, "recent")
    before = np6_server.now_ms()
    _run(pipeline, np6_server, ["A"], settle_margin=120)
    after = np6_server.now_ms()
    end = parse_time("end", np6_server.asked[0]["end"])
    # Date counts whole seconds, rounded down
    assert before - 1000 - 120_000 <= end <= after - 120_000
    # the event 30 s old is inside the margin: it waits for a later run
    assert _loaded(pipeline) == []
    assert getattr(np6.dlt, "DEFAULT_SETTLE_MARGIN", 0) > 0


def test_a_run_never_loads_past_the_end_every_contact_was_asked_up_to(
    np6_server: FakeNP6, pipeline: Any
) -> None:
    now = np6_server.now_ms()
    np6_server.add("A", now - 10_000, "past")
    np6_server.add("B", now + 3_600_000, "future")  # NP6 keeps an event timestamped ahead of its clock
    _run(pipeline, np6_server, ["A", "B"])
    ends = {q["end"] for q in np6_server.asked}
    assert len(ends) == 1, "every contact is asked up to the same end"
    assert _loaded(pipeline) == [("A-past", "A")]
    cursor = pipeline.state["sources"]["np6"]["resources"]["contact_events"]["incremental"]["timestamp"]
    assert cursor["last_value"] < parse_time("end", ends.pop())


# --- what is listed, what is answered --------------------------------------------------------


def test_the_same_event_twice_in_one_answer_is_one_row(np6_server: FakeNP6, pipeline: Any) -> None:
    now = np6_server.now_ms()
    for n in range(3):
        np6_server.add("A", now - 10_000 + n, f"e{n}")
    np6_server.add("A", now - 10_000, "tied")  # another event at e0's instant
    np6_server.twice = {"A-e0", "A-e2"}
    _run(pipeline, np6_server, ["A"])
    assert _loaded(pipeline) == np6_server.all()


def test_a_contact_listed_twice_is_asked_once(np6_server: FakeNP6, pipeline: Any) -> None:
    np6_server.add("A", np6_server.now_ms() - 10_000, "e")
    np6_server.add("B", np6_server.now_ms() - 10_000, "e")
    _run(pipeline, np6_server, ["A", "B", "A", np6.Contact(id="A")])  # type: ignore[list-item]
    assert sorted(q["id"] for q in np6_server.asked) == ["A", "B"]
    assert _loaded(pipeline) == np6_server.all()


def test_a_contact_np6_does_not_find_is_skipped_and_later_gets_exactly_what_it_missed(
    np6_server: FakeNP6, pipeline: Any
) -> None:
    now = np6_server.now_ms() - 1_000_000
    for contact in "ABC":
        np6_server.add(contact, now, "1")
    # run 1: everyone answers; the cursor rests at `now`, where C has an event
    _run(pipeline, np6_server, ["A", "B", "C"])
    assert _loaded(pipeline) == np6_server.all()
    # between runs: new events, one of C's at the cursor's very instant
    np6_server.add("C", now, "1-tied")
    for contact in "ABC":
        np6_server.add(contact, now + 1_000, "2")
    # run 2: NP6 answers 404 for C (and for D, listed for the first time); A and B commit
    np6_server.missing = {"C", "D"}
    np6_server.add("D", now - 5_000, "history")
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    assert {"C-2", "C-1-tied", "D-history"}.isdisjoint(i for i, _ in _loaded(pipeline))
    assert ("A-2", "A") in _loaded(pipeline)
    assert sorted(_missed(pipeline)) == ["id:C", "id:D"]
    # run 3: still missing; more events
    for contact in "ABC":
        np6_server.add(contact, now + 2_000, "3")
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    # run 3b: nothing new anywhere, so the cursor stays where C and D stopped; still missing
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    assert sorted(_missed(pipeline)) == ["id:C", "id:D"]
    # run 4: C and D answer again: the windows they missed, once, and what is new
    np6_server.missing = set()
    for contact in "ABCD":
        np6_server.add(contact, now + 3_000, "4")
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    assert _loaded(pipeline) == np6_server.all()
    assert _missed(pipeline) == {}
    # and the run after adds only what is new
    np6_server.add("C", now + 4_000, "5")
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    assert _loaded(pipeline) == np6_server.all()
    # C missing in two runs with nothing new: the cursor stays where it stopped
    np6_server.missing = {"C"}
    for _ in range(2):
        _run(pipeline, np6_server, ["A", "B", "C", "D"])
        assert sorted(_missed(pipeline)) == ["id:C"]
    np6_server.missing = set()
    np6_server.add("C", now + 4_000, "6-tied")
    np6_server.add("C", now + 5_000, "7")
    _run(pipeline, np6_server, ["A", "B", "C", "D"])
    assert _loaded(pipeline) == np6_server.all()


def test_strict_fails_the_run_on_a_contact_np6_does_not_find(np6_server: FakeNP6, pipeline: Any) -> None:
    np6_server.add("A", np6_server.now_ms() - 10_000, "1")
    _run(pipeline, np6_server, ["A"])
    np6_server.add("A", np6_server.now_ms() - 5_000, "2")
    np6_server.missing = {"B"}
    with pytest.raises(PipelineStepFailed) as failed:
        _run(pipeline, np6_server, ["A", "B"], strict=True)
    assert isinstance(_cause(failed.value), np6.NotFoundError)
    assert _loaded(pipeline) == [("A-1", "A")]


def test_any_other_error_fails_the_run_and_commits_nothing(np6_server: FakeNP6, pipeline: Any) -> None:
    np6_server.add("A", np6_server.now_ms() - 10_000, "1")
    _run(pipeline, np6_server, ["A"])
    np6_server.add("A", np6_server.now_ms() - 5_000, "2")
    np6_server.add("B", np6_server.now_ms() - 5_000, "1")
    np6_server.broken = {"B"}
    with pytest.raises(PipelineStepFailed) as failed:
        _run(pipeline, np6_server, ["A", "B"])
    assert isinstance(_cause(failed.value), np6.ServerError)
    assert _loaded(pipeline) == [("A-1", "A")]
    np6_server.broken = set()
    _run(pipeline, np6_server, ["A", "B"])
    assert _loaded(pipeline) == np6_server.all()


# --- np6 load, in its own process ----------------------------------------------------------


def _np6_load(server: FakeNP6, tmp_path: Path, *extra: str, ids: str = "ids.txt") -> list[str]:
    return [
        NP6,
        "load",
        "--id-file",
        str(tmp_path / ids),
        "--database",
        str(tmp_path / "cli.duckdb"),
        "--base-url",
        server.base_url,
        "--max-retries",
        "0",
        "--settle-margin",
        "0",
        *extra,
    ]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "NP6_API_KEY": KEY, "HOME": str(tmp_path)}


def _cli_rows(tmp_path: Path) -> list[tuple[str, str]]:
    check = dlt.pipeline(
        "np6",
        destination=dlt.destinations.duckdb(str(tmp_path / "cli.duckdb")),
        dataset_name="np6_events",
        pipelines_dir=str(tmp_path / "check"),
    )
    with check.sql_client() as sql:
        rows = sql.execute_sql("SELECT id, _np6_contact__id FROM contact_events")
    return sorted(tuple(row) for row in rows)  # type: ignore[misc]


def test_np6_load_names_a_contact_np6_does_not_find_and_commits_the_others(
    np6_server: FakeNP6, tmp_path: Path
) -> None:
    for contact in ("A", "B"):
        np6_server.add(contact, np6_server.now_ms() - 10_000, "1")
    np6_server.missing = {"GONE"}
    (tmp_path / "ids.txt").write_text("A\nGONE\nB\n", encoding="utf-8")
    run = {"capture_output": True, "text": True, "env": _env(tmp_path), "timeout": 300}
    done = subprocess.run(_np6_load(np6_server, tmp_path), check=False, **run)
    assert done.returncode == 0, done.stderr
    assert "np6 load: warning: contacts not found by NP6 (404)" in done.stderr and "id:GONE" in done.stderr
    assert "2 rows into contact_events, 1 contacts skipped (404): id:GONE" in done.stderr
    assert _cli_rows(tmp_path) == [("A-1", "A"), ("B-1", "B")]
    strict = subprocess.run(_np6_load(np6_server, tmp_path, "--strict"), check=False, **run)
    assert strict.returncode == 4, strict.stderr
    assert "nothing of this run was committed" in strict.stderr


def test_np6_load_reads_an_id_file_with_a_byte_order_mark_and_repeated_ids(
    np6_server: FakeNP6, tmp_path: Path
) -> None:
    for contact in ("A", "B"):
        np6_server.add(contact, np6_server.now_ms() - 10_000, "1")
    (tmp_path / "ids.txt").write_text("\ufeffA\nB\nA\n", encoding="utf-8")
    run = {"capture_output": True, "text": True, "env": _env(tmp_path), "timeout": 300}
    done = subprocess.run(_np6_load(np6_server, tmp_path, "--strict"), check=False, **run)
    assert done.returncode == 0, done.stderr
    assert sorted(q["id"] for q in np6_server.asked) == ["A", "B"]
    assert _cli_rows(tmp_path) == [("A-1", "A"), ("B-1", "B")]


def test_np6_events_reads_an_id_file_with_a_byte_order_mark(np6_server: FakeNP6, tmp_path: Path) -> None:
    np6_server.add("A", np6_server.now_ms() - 10_000, "1")
    (tmp_path / "ids.txt").write_bytes("\ufeffA\n".encode())
    done = subprocess.run(
        [NP6, "events", "--id-file", str(tmp_path / "ids.txt"), "--base-url", np6_server.base_url],
        check=False,
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["contact"] for line in done.stdout.splitlines()] == [{"id": "A"}]
    # standard input too
    piped = subprocess.run(
        [NP6, "events", "--id-file", "-", "--base-url", np6_server.base_url],
        check=False,
        capture_output=True,
        input="\ufeffA\n".encode(),
        env=_env(tmp_path),
        timeout=300,
    )
    assert piped.returncode == 0, piped.stderr


def test_a_second_np6_load_of_the_same_pipeline_is_refused_at_once(
    np6_server: FakeNP6, tmp_path: Path
) -> None:
    for n in range(50):
        np6_server.add(f"C{n}", np6_server.now_ms() - 10_000, "1")
    (tmp_path / "ids.txt").write_text("".join(f"C{n}\n" for n in range(50)), encoding="utf-8")
    np6_server.hold.clear()  # the first run waits inside NP6 until the second has been refused
    env = _env(tmp_path)
    first = subprocess.Popen(
        _np6_load(np6_server, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        deadline = time.monotonic() + 120
        while len(np6_server.raw.requests) < 2:  # the clock probe, then a window held
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never reached NP6"
            time.sleep(0.05)
        second = subprocess.run(
            _np6_load(np6_server, tmp_path), check=False, capture_output=True, text=True, env=env, timeout=300
        )
        lock = tmp_path / "cli.duckdb.pipelines" / "np6.np6.lock"
        assert second.returncode == 2, second.stderr
        assert str(lock) in second.stderr and f"process {first.pid} " in second.stderr, second.stderr
    finally:
        np6_server.hold.set()
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "50 rows into contact_events" in err
    assert _cli_rows(tmp_path) == np6_server.all()
    # and the pipeline is whole: a third run finds nothing new, and works
    third = subprocess.run(
        _np6_load(np6_server, tmp_path), check=False, capture_output=True, text=True, env=env, timeout=300
    )
    assert third.returncode == 0 and "nothing new" in third.stderr, third.stderr


def test_the_mock_dates_its_answers_with_its_clock_skew_and_a_load_follows_that_clock(
    store: Any, tmp_path: Path, pipeline: Any
) -> None:
    from np6_mock import MockServer, Store

    with store.connect() as db:
        contact, body = db.execute(
            "SELECT contact_id, body FROM events ORDER BY timestamp LIMIT 1"
        ).fetchone()
    event = json.loads(body)
    now = int(time.time() * 1000)
    lines = [
        {"contact": {"id": contact}, "event": {**event, "id": f"{event['id']}-{name}", "timestamp": at}}
        for name, at in (("two-hours-ago", now - 7_200_000), ("half-an-hour-ago", now - 1_800_000))
    ]
    (tmp_path / "events.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    served = Store.from_jsonl(tmp_path / "events.jsonl")
    try:
        with MockServer(served, clock_skew=-3600.0) as mock:
            answer = httpx.get(f"{mock.base_url}/targets/events", params={"id": contact})
            dates = answer.headers.get_list("date")
            assert len(dates) == 1
            skew = email.utils.parsedate_to_datetime(dates[0]).timestamp() - time.time()
            assert -3610 < skew < -3590
            # NP6's clock is an hour behind this one: the event of half an hour ago is from its future
            source = np6_source(
                contacts=[contact], base_url=mock.base_url, api_key=mock.api_key, settle_margin=0
            )
            pipeline.run(source, loader_file_format="jsonl")
    finally:
        served.close()
    assert [i for i, _ in _loaded(pipeline)] == [f"{event['id']}-two-hours-ago"]
