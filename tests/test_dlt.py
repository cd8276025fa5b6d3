"""Incremental loads through dlt into a temporary DuckDB, against the mock on a real socket."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dlt
import np6
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from helpers import NP6, RawServer, http_response
from np6.dlt import np6_source
from np6_mock import MockServer, Store


class World:
    """Events of a few contacts in a JSON Lines file the test extends between runs.

    Each run serves the file as it is then, from a new mock server (``serve``).
    """

    def __init__(self, store: Store, tmp_path: Path) -> None:
        with store.connect() as db:
            self.ids = [r[0] for r in db.execute("SELECT DISTINCT contact_id FROM events ORDER BY 1 LIMIT 6")]
            rows = db.execute(
                "SELECT contact_id, campaign_id, body FROM events "
                f"WHERE contact_id IN ({','.join('?' * len(self.ids))}) ORDER BY timestamp, seq",
                self.ids,
            ).fetchall()
        self.pending = [(contact, json.loads(body)) for contact, _, body in rows]
        # the campaign of each event, served with it (twins have none)
        self.campaign = {json.loads(body)["id"]: campaign for _, campaign, body in rows if campaign}
        self.served: list[tuple[str, dict[str, Any]]] = []
        self.path = tmp_path / "events.jsonl"
        self.path.write_text("", encoding="utf-8")

    def add(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            for contact, event in records:
                envelope: dict[str, Any] = {"event": event, "contact": {"id": contact}}
                if event["id"] in self.campaign:
                    envelope["campaign"] = self.campaign[event["id"]]
                out.write(json.dumps(envelope) + "\n")
        self.served.extend(records)

    def release(self, share: float) -> None:
        """Add the oldest ``share`` of the events not served yet."""
        count = int(len(self.pending) * share)
        self.add(self.pending[:count])
        self.pending = self.pending[count:]

    def twin_at(self, timestamp: int, tag: str) -> tuple[str, dict[str, Any]]:
        """A new event of a contact at exactly ``timestamp``, with an id of its own."""
        contact, event = self.served[-1]
        return contact, {**event, "id": f"{event['id']}-{tag}", "timestamp": timestamp}

    def serve(self) -> Any:
        store = Store.from_jsonl(self.path)
        server = MockServer(store)
        server.start()
        return _Serving(server, store)


class _Serving:
    def __init__(self, server: MockServer, store: Store) -> None:
        self.server, self.store = server, store
        self.base_url, self.api_key = server.base_url, server.api_key

    def __enter__(self) -> _Serving:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        self.store.close()


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    return World(store, tmp_path)


@pytest.fixture
def pipeline(tmp_path: Path) -> Any:
    return dlt.pipeline(
        pipeline_name="np6_test",
        destination=dlt.destinations.duckdb(str(tmp_path / "events.duckdb")),
        dataset_name="np6",
        pipelines_dir=str(tmp_path / "dlt"),
    )


@pytest.fixture
def requests(caplog: pytest.LogCaptureFixture) -> Iterator[list[dict[str, list[str]]]]:
    """The query of every request np6 sends, from its debug log, less the runs' clock probes.

    Each run first asks NP6 for an empty window (``start=0&end=1``) to read its clock.
    """
    caplog.set_level(logging.DEBUG, logger="np6")
    seen: list[dict[str, list[str]]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name == "np6" and record.args and len(record.args) >= 2:
                query = parse_qs(urlsplit(str(record.args[1])).query)
                if (query.get("start"), query.get("end")) != (["0"], ["1"]):
                    seen.append(query)

    handler = Collect(logging.DEBUG)
    logging.getLogger("np6").addHandler(handler)
    yield seen
    logging.getLogger("np6").removeHandler(handler)


def _file_format(pipeline: Any) -> str | None:
    """JSON Lines into DuckDB, as ``np6 load`` does; dlt's default elsewhere (Postgres reads none)."""
    return "jsonl" if pipeline.destination.destination_name == "duckdb" else None


def _run(pipeline: Any, serving: _Serving, ids: list[str], **kwargs: Any) -> dict[str, int]:
    source = np6_source(contacts=ids, base_url=serving.base_url, api_key=serving.api_key, **kwargs)
    pipeline.run(source, loader_file_format=_file_format(pipeline))
    normalized = pipeline.last_trace.last_normalize_info
    return {
        t: n for t, n in (normalized.row_counts if normalized else {}).items() if not t.startswith("_dlt")
    }


def _table(pipeline: Any) -> list[tuple[str, int, str]]:
    with pipeline.sql_client() as sql:
        rows = sql.execute_sql("SELECT id, timestamp, _np6_contact__id FROM contact_events ORDER BY id")
    return [tuple(row) for row in rows]


def _expected(world: World) -> list[tuple[str, int, str]]:
    return sorted((event["id"], event["timestamp"], contact) for contact, event in world.served)


def _cursor(pipeline: Any) -> dict[str, Any]:
    state: dict[str, Any] = pipeline.state["sources"]["np6"]["resources"]["contact_events"]["incremental"]
    return state["timestamp"]  # type: ignore[no-any-return]


def test_two_runs_with_new_events_between_load_each_event_exactly_once(
    world: World, pipeline: Any, requests: list[dict[str, list[str]]]
) -> None:
    world.release(0.6)
    boundary = world.served[-1][1]["timestamp"]
    # two events share the last millisecond of the first run
    world.add([world.twin_at(boundary, "first-run")])
    with world.serve() as serving:
        assert _run(pipeline, serving, world.ids) == {"contact_events": len(world.served)}
    assert _table(pipeline) == _expected(world)
    assert _cursor(pipeline)["last_value"] == boundary
    first_run = len(requests)
    assert first_run == len(world.ids) and all("start" not in query for query in requests)

    # between the runs: a third event in that same millisecond, and everything newer
    world.add([world.twin_at(boundary, "second-run")])
    new = len(world.pending) + 1
    world.release(1.0)
    with world.serve() as serving:
        assert _run(pipeline, serving, world.ids) == {"contact_events": new}
    # the second run asked every contact from the last timestamp loaded, no earlier
    second = requests[first_run:]
    assert len(second) == len(world.ids)
    assert all(query["start"] == [str(boundary)] and query["sort"] == ["asc"] for query in second)
    assert _table(pipeline) == _expected(world)
    assert len({row[0] for row in _table(pipeline)}) == len(world.served)


def _history_before(world: World, contact: str, boundary: int) -> int:
    return sum(1 for c, event in world.served if c == contact and event["timestamp"] < boundary)


def test_a_contact_added_later_gets_its_whole_history_once_with_what_is_new_of_the_others(
    world: World, pipeline: Any, requests: list[dict[str, list[str]]]
) -> None:
    *old, added = world.ids
    world.release(0.6)
    boundary = max(event["timestamp"] for contact, event in world.served if contact != added)
    # a twin of the boundary event, for the contact added later: it must not be taken
    # for the event the first run loaded at that millisecond
    world.add([(added, {**world.served[-1][1], "id": "added-at-boundary", "timestamp": boundary})])
    with world.serve() as serving:
        _run(pipeline, serving, old)
    assert _cursor(pipeline)["last_value"] == boundary
    before = _history_before(world, added, boundary)
    assert before > 0 and not any(row[2] == added for row in _table(pipeline))
    first_run = len(requests)

    world.release(1.0)
    new_of_old = sum(1 for c, e in world.served if c != added and e["timestamp"] > boundary)
    assert new_of_old > 0
    with world.serve() as serving:
        assert _run(pipeline, serving, world.ids) == {
            "contact_events": new_of_old + sum(1 for c, _ in world.served if c == added)
        }
    assert _table(pipeline) == _expected(world)
    assert len({row[0] for row in _table(pipeline)}) == len(world.served)
    # the contact added was asked up to the cursor's start, then from it with the others
    second = requests[first_run:]
    assert [q for q in second if "start" not in q] == [
        {"id": [added], "end": [str(boundary)], "sort": ["asc"]}
    ]
    assert sum(1 for q in second if q.get("start") == [str(boundary)]) == len(world.ids)

    # and the run after asks it only for what is new, as the others
    world.add([world.twin_at(world.served[-1][1]["timestamp"] + 1, "third-run")])
    with world.serve() as serving:
        assert _run(pipeline, serving, world.ids) == {"contact_events": 1}
    assert _table(pipeline) == _expected(world)


def test_a_campaign_added_later_gets_its_whole_history_once(world: World, pipeline: Any) -> None:
    first, *later = sorted(set(world.campaign.values()))
    assert later, "the world needs two campaigns"

    def run(serving: _Serving, campaigns: list[str]) -> None:
        source = np6_source(campaigns=campaigns, base_url=serving.base_url, api_key=serving.api_key)
        pipeline.run(source, loader_file_format=_file_format(pipeline))

    def loaded() -> list[tuple[str, str]]:
        with pipeline.sql_client() as sql:
            rows = sql.execute_sql("SELECT id, _np6_campaign FROM campaign_events ORDER BY id")
        return [tuple(row) for row in rows]

    def expected(campaigns: list[str]) -> list[tuple[str, str]]:
        served = ((e["id"], world.campaign.get(e["id"])) for _, e in world.served)
        return sorted((i, c) for i, c in served if c in campaigns)

    world.release(0.5)
    with world.serve() as serving:
        run(serving, [first])
    assert loaded() == expected([first])
    boundary = max(e["timestamp"] for _, e in world.served if world.campaign.get(e["id"]) == first)
    assert any(e["timestamp"] < boundary for _, e in world.served if world.campaign.get(e["id"]) in later)
    world.release(1.0)
    assert any(e["timestamp"] > boundary for _, e in world.served if world.campaign.get(e["id"]) == first)
    with world.serve() as serving:
        run(serving, [first, *later])
    assert loaded() == expected([first, *later])


def test_a_failed_run_that_added_a_contact_leaves_it_to_the_next_run(world: World, pipeline: Any) -> None:
    old = world.ids[:-1]
    world.release(0.5)
    with world.serve() as serving:
        _run(pipeline, serving, old)
    committed = _table(pipeline)
    world.release(1.0)
    with world.serve() as serving:
        with pytest.raises(PipelineStepFailed):
            _run(pipeline, serving, [*world.ids, "no-such-contact"], concurrency=1, strict=True)
        assert _table(pipeline) == committed
        _run(pipeline, serving, world.ids)
    assert _table(pipeline) == _expected(world)


def test_a_contact_left_out_then_back_is_refused_by_name(world: World, pipeline: Any) -> None:
    *old, dropped = world.ids
    world.release(0.5)
    with world.serve() as serving:
        _run(pipeline, serving, world.ids)
    world.release(0.5)
    with world.serve() as serving:
        _run(pipeline, serving, old)
    committed = _table(pipeline)
    world.release(1.0)
    with world.serve() as serving:
        with pytest.raises(PipelineStepFailed) as failed:
            _run(pipeline, serving, world.ids)
    refused = failed.value.exception
    assert isinstance(refused, np6.InvalidArgumentError)
    assert f"id:{dropped}" in str(
        refused
    ) and "contacts back after a run of this pipeline without them (1)" in str(refused)
    assert _table(pipeline) == committed


def test_a_finished_run_run_again_loads_nothing(world: World, pipeline: Any) -> None:
    world.release(1.0)
    with world.serve() as serving:
        assert _run(pipeline, serving, world.ids) == {"contact_events": len(world.served)}
        cursor = dict(_cursor(pipeline))
        assert _run(pipeline, serving, world.ids) == {}
    assert _cursor(pipeline)["last_value"] == cursor["last_value"]
    assert _table(pipeline) == _expected(world)


def test_a_failed_run_commits_nothing_and_the_next_resumes_from_the_last_commit(
    world: World, pipeline: Any
) -> None:
    world.release(0.5)
    with world.serve() as serving:
        _run(pipeline, serving, world.ids)
    committed = _table(pipeline)
    cursor = dict(_cursor(pipeline))
    world.release(1.0)
    with world.serve() as serving:
        with pytest.raises(PipelineStepFailed) as failed:
            _run(pipeline, serving, [*world.ids, "no-such-contact"], concurrency=1, strict=True)
        assert isinstance(failed.value.exception, np6.NotFoundError) or "404" in str(failed.value)
        # nothing of the failed run landed, and the cursor did not move
        assert _table(pipeline) == committed
        assert _cursor(pipeline)["last_value"] == cursor["last_value"]
        _run(pipeline, serving, world.ids)
    assert _table(pipeline) == _expected(world)


def test_nested_parts_land_as_flattened_columns_of_one_table(world: World, pipeline: Any) -> None:
    world.release(1.0)
    with world.serve() as serving:
        _run(pipeline, serving, world.ids)
    with pipeline.sql_client() as sql:
        columns = {row[0] for row in sql.execute_sql("DESCRIBE contact_events")}
        kinds = {row[0] for row in sql.execute_sql("SELECT DISTINCT type FROM contact_events")}
    assert {"id", "timestamp", "type", "source__type", "_np6_contact__id"} <= columns
    assert any(column.startswith("source__detail__") for column in columns)
    assert kinds == {event["type"] for _, event in world.served}


def test_np6_load_twice_then_with_a_missing_contact_and_strict(world: World, tmp_path: Path) -> None:
    world.release(1.0)
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join(world.ids) + "\n", encoding="utf-8")
    database = tmp_path / "cli.duckdb"
    with world.serve() as serving:
        env = {**os.environ, "NP6_API_KEY": serving.api_key}
        command = [
            NP6,
            "load",
            "--id-file",
            str(listed),
            "--database",
            str(database),
            "--pipelines-dir",
            str(tmp_path / "cli-dlt"),
            "--base-url",
            serving.base_url,
        ]
        run = {"capture_output": True, "text": True, "env": env, "timeout": 300}
        first = subprocess.run(command, check=False, **run)
        assert first.returncode == 0, first.stderr
        assert f"{len(world.served):,} rows into contact_events" in first.stderr
        second = subprocess.run(command, check=False, **run)
        assert second.returncode == 0, second.stderr
        assert "nothing new" in second.stderr
        listed.write_text("no-such-contact\n", encoding="utf-8")
        # without --strict it would be skipped and named (tests/test_daily_load.py)
        missing = subprocess.run([*command, "--strict"], check=False, **run)
    assert missing.returncode == 4
    assert "404" in missing.stderr and "nothing of this run was committed" in missing.stderr


def test_np6_load_with_a_contact_added_to_the_file_loads_its_history(world: World, tmp_path: Path) -> None:
    world.release(1.0)
    listed = tmp_path / "ids.txt"
    database = tmp_path / "cli.duckdb"
    with world.serve() as serving:
        env = {**os.environ, "NP6_API_KEY": serving.api_key}
        command = [NP6, "load", "--id-file", str(listed), "--database", str(database)]
        command += ["--base-url", serving.base_url]
        run = {"capture_output": True, "text": True, "env": env, "timeout": 300}
        done = []
        for ids in (world.ids[:3], world.ids[:4], world.ids[:3], world.ids[:4]):
            listed.write_text("\n".join(ids) + "\n", encoding="utf-8")
            done.append(subprocess.run(command, check=False, **run))
    first, second, without, back = done
    assert first.returncode == second.returncode == without.returncode == 0, (first.stderr, second.stderr)
    history = sum(1 for contact, _ in world.served if contact == world.ids[3])
    assert f"{history:,} rows into contact_events" in second.stderr
    assert "nothing new" in without.stderr
    # back after a run without it: refused by name, nothing loaded
    assert back.returncode == 2 and f"id:{world.ids[3]}" in back.stderr, back.stderr
    assert "next run asks for the same events again" not in back.stderr
    with dlt.pipeline(
        "np6",
        destination=dlt.destinations.duckdb(str(database)),
        dataset_name="np6_events",
        pipelines_dir=str(tmp_path / "check"),
    ).sql_client() as sql:
        loaded = sql.execute_sql("SELECT count(*), count(DISTINCT id) FROM contact_events")[0]
    assert tuple(loaded) == (len([c for c, _ in world.served if c in world.ids[:4]]),) * 2


def test_campaign_events_load_incrementally_too(server: MockServer, store: Store, pipeline: Any) -> None:
    with store.connect() as db:
        campaigns = [
            row[0] for row in db.execute("SELECT DISTINCT campaign_id FROM events WHERE campaign_id != ''")
        ]
        expected = db.execute("SELECT count(*) FROM events WHERE campaign_id != ''").fetchone()[0]
    source = np6_source(campaigns=campaigns, base_url=server.base_url, api_key=server.api_key)
    pipeline.run(source, loader_file_format="jsonl")
    with pipeline.sql_client() as sql:
        total, distinct, asked = sql.execute_sql(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT _np6_campaign) FROM campaign_events"
        )[0]
    assert (total, distinct, asked) == (expected, expected, len(campaigns))
    source = np6_source(campaigns=campaigns, base_url=server.base_url, api_key=server.api_key)
    pipeline.run(source, loader_file_format="jsonl")
    with pipeline.sql_client() as sql:
        assert sql.execute_sql("SELECT count(*) FROM campaign_events")[0][0] == expected


def test_a_source_needs_something_to_load() -> None:
    with pytest.raises(np6.InvalidArgumentError, match=r"contacts=\.\.\., campaigns="):
        np6_source()


def test_np6_load_with_its_defaults_into_two_databases_fills_both(world: World, tmp_path: Path) -> None:
    """No --dataset, no --pipelines-dir: the defaults must not collide (schema vs catalog, shared state)."""
    world.release(1.0)
    (tmp_path / "ids.txt").write_text("\n".join(world.ids) + "\n", encoding="utf-8")
    with world.serve() as serving:
        env = {**os.environ, "NP6_API_KEY": serving.api_key, "HOME": str(tmp_path)}
        for name in ("np6.duckdb", "other.duckdb"):
            done = subprocess.run(
                [NP6, "load", "--id-file", "ids.txt", "--database", name, "--base-url", serving.base_url],
                check=False,
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp_path,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
            assert f"{len(world.served):,} rows into contact_events" in done.stderr


@pytest.mark.parametrize("timestamp", [1706000000000.5, "x", 99999999999999, None])
def test_an_event_the_cursor_cannot_rest_on_fails_the_run_without_wedging_the_next(
    tmp_path: Path, timestamp: Any
) -> None:
    """A float, a string, or an instant outside the window asked for: exit 5, nothing committed."""
    bad = {"type": "hit", "id": "0b1f7c57-0000-4000-8000-00000000000b", "timestamp": timestamp}
    good = {**bad, "id": "0b1f7c57-0000-4000-8000-00000000000c", "timestamp": 1706000000000}
    (tmp_path / "ids.txt").write_text("C1\n", encoding="utf-8")
    command = [NP6, "load", "--id-file", "ids.txt", "--database", "t.duckdb", "--max-retries", "0"]
    with RawServer() as raw:
        env = {**os.environ, "NP6_API_KEY": "k" * 12, "NP6_BASE_URL": raw.base_url, "HOME": str(tmp_path)}
        run = {"capture_output": True, "text": True, "env": env, "cwd": tmp_path, "timeout": 300}
        for _ in range(2):  # the second run meets the same answer and says the same
            raw.script = lambda request, index: [http_response(body=json.dumps([good, bad]).encode())]
            failed = subprocess.run(command, check=False, **run)
            assert failed.returncode == 5, failed.stderr
            assert "timestamp" in failed.stderr and "Traceback" not in failed.stderr
        raw.script = lambda request, index: [http_response(body=json.dumps([good]).encode())]
        fixed = subprocess.run(command, check=False, **run)
    assert fixed.returncode == 0, fixed.stderr
    assert "1 rows into contact_events" in fixed.stderr


def test_a_key_from_dlts_configuration_is_a_secret_nowhere_on_disk(
    world: World, pipeline: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dlt records resolved configuration in its traces: the key must be recorded as a secret."""
    with world.serve() as serving:
        monkeypatch.setenv("SOURCES__NP6__API_KEY", serving.api_key)
        source = np6_source(contacts=["nobody-here"], base_url=serving.base_url)
        pipeline.run(source, loader_file_format=_file_format(pipeline))
        key = serving.api_key
    assert pipeline.last_trace is not None
    leaks = []
    for path in (tmp_path / "dlt").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaks += [
                str(path) for run in (key[i : i + 6] for i in range(len(key) - 5)) if run.encode() in data
            ]
    assert leaks == []
    resolved = [value for value in pipeline.last_trace.resolved_config_values if value.key == "api_key"]
    assert resolved, "the key was not read from dlt's configuration"
    assert all(value.is_secret_hint for value in resolved)
