"""Incremental loads into a real PostgreSQL server, which the tests start themselves (pgserver).

The incremental runs of the DuckDB tests (each event exactly once, the boundary
millisecond, contacts and campaigns added later, a failed run) run here as they are,
against a server database: the tests are imported from ``test_dlt`` and use this
module's ``pipeline``. Then ``np6 load --destination postgres``, configured the dlt way,
including a run whose local state is gone (the state comes back from the server).
Skipped, saying why, only where no PostgreSQL server can start.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import pytest
from helpers import NP6

# the DuckDB tests, run again with this module's pipeline, and their fixtures
from test_dlt import (  # noqa: F401
    World,
    requests,
    test_a_campaign_added_later_gets_its_whole_history_once,
    test_a_contact_added_later_gets_its_whole_history_once_with_what_is_new_of_the_others,
    test_a_failed_run_commits_nothing_and_the_next_resumes_from_the_last_commit,
    test_a_finished_run_run_again_loads_nothing,
    test_two_runs_with_new_events_between_load_each_event_exactly_once,
    world,
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A PostgreSQL server of this test session (one per xdist worker), on a Unix socket only.

    Its data folder is not under pytest's: as root the server runs as a user of its own, and
    pytest makes its folder of temporary folders private again at each session's start.
    """
    try:
        import pgserver
    except ImportError as missing:
        pytest.skip(f"no PostgreSQL server package for this Python ({missing}); pgserver has wheels to 3.12")
    server = None
    # a second try: two xdist workers starting at once on a new machine can race to create
    # the user the server runs as (the loser's useradd fails), and then it exists
    for attempt in range(2):
        try:
            # listens on a socket in its data folder, on no TCP port; as root it runs as a user of its own
            folder = Path(tempfile.mkdtemp(prefix="np6-pg-"))
            server = pgserver.get_server(folder / "data", cleanup_mode="delete")
            break
        except Exception as failed:  # whatever stops a server from starting here is the reason to skip
            shutil.rmtree(folder, ignore_errors=True)
            if attempt:
                pytest.skip(f"PostgreSQL could not start here: {type(failed).__name__}: {failed}")
    assert server is not None
    yield server
    server.cleanup()
    shutil.rmtree(server.pgdata.parent, ignore_errors=True)


@pytest.fixture
def database(postgres: Any) -> str:
    """A new, empty database of its own for each test: its libpq URL."""
    import psycopg2

    name = f"np6_{secrets.token_hex(6)}"
    connection = psycopg2.connect(postgres.get_uri("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    # dlt's credentials need a host and a password: the socket folder goes in libpq's query
    # parameter, and the server trusts local connections, whatever the password
    socket = postgres.get_postmaster_info().socket_dir
    return f"postgresql://postgres:trusted@localhost/{name}?host={socket}"


@pytest.fixture
def pipeline(tmp_path: Path, database: str) -> Any:
    return dlt.pipeline(
        pipeline_name="np6_test",
        destination=dlt.destinations.postgres(credentials=database),
        dataset_name="np6",
        pipelines_dir=str(tmp_path / "dlt"),
    )


def query(database: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg2

    connection = psycopg2.connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())
    finally:
        connection.close()


def test_np6_load_into_postgres_the_dlt_way(world: World, database: str, tmp_path: Path) -> None:  # noqa: F811
    world.release(0.6)
    listed = tmp_path / "ids.txt"
    listed.write_text("\n".join(world.ids) + "\n", encoding="utf-8")

    def load(serving: Any, pipelines_dir: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NP6_API_KEY": serving.api_key, "DESTINATION__POSTGRES__CREDENTIALS": database}
        command = [NP6, "load", "--id-file", str(listed), "--destination", "postgres"]
        command += ["--pipelines-dir", str(tmp_path / pipelines_dir), "--base-url", serving.base_url]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)

    with world.serve() as serving:
        first = load(serving, "dlt")
        again = load(serving, "dlt")
    assert first.returncode == 0, first.stderr
    assert f"{len(world.served):,} rows into contact_events (postgres, dataset np6_events)" in first.stderr
    assert again.returncode == 0 and "nothing new" in again.stderr, again.stderr

    before = len(world.served)
    world.release(1.0)
    with world.serve() as serving:
        # a new working folder: the cursor comes back from the server, committed with the data
        fresh = load(serving, "elsewhere")
    assert fresh.returncode == 0, fresh.stderr
    assert f"{len(world.served) - before:,} rows into contact_events" in fresh.stderr

    rows = query(database, "SELECT id, _np6_contact__id FROM np6_events.contact_events ORDER BY id")
    assert rows == sorted((event["id"], contact) for contact, event in world.served)
    columns = {
        name
        for (name,) in query(
            database,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'np6_events' AND table_name = 'contact_events'",
        )
    }
    assert {"id", "timestamp", "type", "source__type", "_np6_contact__id"} <= columns
    assert any(column.startswith("source__detail__") for column in columns)
    tables = {
        name
        for (name,) in query(
            database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'np6_events'"
        )
    }
    assert "_dlt_pipeline_state" in tables and "contact_events" in tables
