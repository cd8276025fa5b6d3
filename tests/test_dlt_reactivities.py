"""Daily loads of a whole account's reactions (``np6_source(reactivities=...)``, ``np6 load
--reactivities``) through dlt into a real DuckDB, against a small NP6 on a real socket.

The server here answers the two every-kind reactivity operations from a list the test
extends between runs, with NP6's semantics as the spec states them: ``reactivityStart``
inclusive, ``reactivityEnd`` exclusive on the reaction's own timestamp, ``sort=asc`` on
it, and a ``Date`` header. The mock's own reactivities are checked in its tests.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dlt
import np6
import pytest
from helpers import NP6
from np6.dlt import np6_source

KEY = "sk-reactivities-0123456789"
PATHS = {"/actions/reactivities": "email", "/notifications/reactivities": "notification"}
BASE = 1_700_000_000_000


def _ms(value: str) -> int:
    if value.isdigit():
        return int(value)
    from np6._timebounds import to_epoch_ms, to_time_bound

    return to_epoch_ms(to_time_bound(value, "bound"))


class Reactions:
    """A small NP6 answering ``GET /actions/reactivities`` and ``GET /notifications/reactivities``."""

    def __init__(self) -> None:
        self.events: dict[str, list[dict[str, Any]]] = {"email": [], "notification": []}
        self.asked: list[tuple[str, dict[str, list[str]]]] = []
        world = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                channel = PATHS.get(parts.path)
                if self.headers.get("X-Key") != KEY or channel is None:
                    self.send_response(401 if channel else 404)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                    return
                world.asked.append((channel, query))
                low = _ms(query["reactivityStart"][0]) if "reactivityStart" in query else None
                high = _ms(query["reactivityEnd"][0]) if "reactivityEnd" in query else None
                found = [
                    e
                    for e in world.events[channel]
                    if (low is None or e["timestamp"] >= low) and (high is None or e["timestamp"] < high)
                ]
                if query.get("sort") == ["asc"]:
                    found.sort(key=lambda e: e["timestamp"])
                body = json.dumps(found).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, channel: str, count: int, at: int | None = None) -> None:
        """``count`` new reactions of ``channel``, a millisecond apart after the newest (or all at ``at``)."""
        mine = self.events[channel]
        newest = max((e["timestamp"] for c in self.events.values() for e in c), default=BASE)
        for n in range(count):
            number = sum(len(c) for c in self.events.values()) + 1
            mine.append(
                {
                    "type": "hit" if n % 2 else "bounce",
                    "id": f"00000000-0000-4000-8000-{number:012d}",
                    "timestamp": at if at is not None else newest + n + 1,
                    "identity": {"type": "customer", "agency": "DEMO", "customer": "028"},
                    "source": {"type": channel, "detail": {"activation": {"id": "000PE4"}}},
                }
            )

    def requests(self) -> list[tuple[str, dict[str, list[str]]]]:
        """What was asked, less each run's clock probe (an empty window at the epoch)."""
        return [(c, q) for c, q in self.asked if q.get("reactivityEnd") != ["1"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def reactions() -> Iterator[Reactions]:
    world = Reactions()
    yield world
    world.close()


@pytest.fixture
def pipeline(tmp_path: Path) -> Any:
    return dlt.pipeline(
        pipeline_name="np6_reactivities",
        destination=dlt.destinations.duckdb(str(tmp_path / "events.duckdb")),
        dataset_name="np6",
        pipelines_dir=str(tmp_path / "dlt"),
    )


def _run(pipeline: Any, world: Reactions, channels: list[str]) -> dict[str, int]:
    source = np6_source(reactivities=channels, base_url=world.base_url, api_key=KEY)
    pipeline.run(source, loader_file_format="jsonl")
    normalized = pipeline.last_trace.last_normalize_info
    counts = normalized.row_counts if normalized else {}
    return {t: n for t, n in counts.items() if not t.startswith("_dlt")}


def _table(pipeline: Any) -> list[tuple[str, int, str]]:
    with pipeline.sql_client() as sql:
        rows = sql.execute_sql("SELECT id, timestamp, _np6_channel FROM reactivities ORDER BY id")
    return [tuple(row) for row in rows]


def _expected(world: Reactions, channels: list[str]) -> list[tuple[str, int, str]]:
    return sorted((e["id"], e["timestamp"], c) for c in channels for e in world.events[c])


def test_two_runs_load_every_reaction_exactly_once_in_one_request_a_channel(
    reactions: Reactions, pipeline: Any
) -> None:
    channels = ["email", "notification"]
    reactions.add("email", 30)
    reactions.add("notification", 20)
    boundary = max(e["timestamp"] for c in reactions.events.values() for e in c)
    # a second reaction in the last millisecond of the first run
    reactions.add("email", 1, at=boundary)
    assert _run(pipeline, reactions, channels) == {"reactivities": 51}
    assert _table(pipeline) == _expected(reactions, channels)
    first = reactions.requests()
    assert sorted(c for c, _ in first) == channels  # one request a channel, whatever the contacts
    assert all("reactivityStart" not in q and q["sort"] == ["asc"] for _, q in first)

    # between the runs: a third reaction in that millisecond, and newer ones on both channels
    reactions.add("notification", 1, at=boundary)
    reactions.add("email", 5)
    reactions.add("notification", 4)
    assert _run(pipeline, reactions, channels) == {"reactivities": 10}
    second = reactions.requests()[len(first) :]
    assert sorted(c for c, _ in second) == channels
    # asked from the reaction timestamp loaded last, no earlier: the windows are on the reaction
    assert all(q["reactivityStart"] == [str(boundary)] for _, q in second)
    assert all("start" not in q and "activationStart" not in q for _, q in second)
    assert _table(pipeline) == _expected(reactions, channels)

    # a finished run run again loads nothing
    assert _run(pipeline, reactions, channels) == {}
    assert _table(pipeline) == _expected(reactions, channels)


def test_a_channel_added_later_gets_its_whole_history_once(reactions: Reactions, pipeline: Any) -> None:
    reactions.add("notification", 10)
    reactions.add("email", 10)
    _run(pipeline, reactions, ["email"])
    assert _table(pipeline) == _expected(reactions, ["email"])
    reactions.add("notification", 3)
    reactions.add("email", 2)
    assert _run(pipeline, reactions, ["email", "notification"]) == {"reactivities": 2 + 13}
    assert _table(pipeline) == _expected(reactions, ["email", "notification"])


@pytest.mark.parametrize(
    ("channels", "message"),
    [
        (["sms"], "'sms' is not a channel; the channels are email, notification"),
        ("email", "reactivities must be a list of channels"),
    ],
)
def test_a_channel_np6_has_no_reactivities_for_is_refused(channels: Any, message: str) -> None:
    with pytest.raises(np6.InvalidArgumentError, match=None) as caught:
        np6_source(reactivities=channels, base_url="http://127.0.0.1:9", api_key=KEY)
    assert message in str(caught.value)


def test_np6_load_reactivities_loads_the_whole_account(
    reactions: Reactions, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    reactions.add("email", 7)
    reactions.add("notification", 5)
    database = tmp_path / "np6.duckdb"
    env = {"PATH": str(Path(NP6).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": reactions.base_url}
    command = [NP6, "load", "--reactivities", "email,notification", "--database", str(database)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "12 rows into reactivities" in result.stderr
    import duckdb

    with duckdb.connect(str(database), read_only=True) as db:
        rows = db.execute("SELECT _np6_channel, count(*) FROM np6_events.reactivities GROUP BY 1 ORDER BY 1")
        assert rows.fetchall() == [("email", 7), ("notification", 5)]

    bad = subprocess.run(
        [NP6, "load", "--reactivities", "email,sms", "--database", str(database)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "give channels among email, notification" in bad.stderr


def test_the_commands_channels_are_the_sources() -> None:
    from np6._cli.load import REACTIVITY_CHANNELS
    from np6.dlt import REACTIVITY_CHANNELS as SOURCE_CHANNELS

    assert tuple(SOURCE_CHANNELS) == REACTIVITY_CHANNELS
