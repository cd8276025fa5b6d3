"""``np6 conformance`` as CI runs it: one exit code per situation, over real sockets.

Also the spec as other people's tools read it: a plain ``st run --checks all`` with no
project hooks must find nothing to complain about in the mock.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import np6
import pytest
from helpers import JsonServer
from np6.spec import spec_path
from np6_mock import MockServer, Store

BIN = Path(sys.executable).parent
NP6 = str(BIN / "np6")
OPERATIONS = 29
# operations that take no id: they answer 2xx without one
WITHOUT_IDS = 8


def _env(**extra: str) -> dict[str, str]:
    env = {"PATH": str(BIN), **extra}
    if "PYTHONPATH" in os.environ:  # scripts/mutants.py runs this suite on a changed copy
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def np6_conformance(
    base_url: str,
    key: str | None,
    *args: str,
    tmp_path: Path,
    python: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    command = [*(python or [NP6]), "conformance", "--base-url", base_url]
    command += ["--junit-xml", str(tmp_path / "junit.xml"), "--max-examples", "2", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=_env(**({"NP6_API_KEY": key} if key else {}), **(env or {})),
    )


def ids(sample: dict[str, Any]) -> list[str]:
    contact = sample["contact"]
    return [
        "--contact-id",
        contact["id"],
        "--contact-unicity",
        contact["unicity"],
        "--contact-hash",
        contact["hash"],
        "--campaign-id",
        sample["campaign"],
        "--action-id",
        sample["actions"][0]["id"],
        "--notification-id",
        str(sample["notifications"][0]),
        "--content-id",
        sample["contents"][0],
        "--start",
        "2024-01-01",
        "--end",
        "2100-01-01",
    ]


def summary_rows(stdout: str) -> dict[str, str]:
    return {line.split()[1]: line for line in stdout.splitlines() if line.startswith(("GET /", "POST /"))}


def test_the_mock_conforms_to_the_spec(server: MockServer, sample: dict[str, Any], tmp_path: Path) -> None:
    """Exit 0, with a summary row per operation and the same report in Markdown."""
    markdown = tmp_path / "report.md"
    result = np6_conformance(
        server.base_url, server.api_key, *ids(sample), "--markdown", str(markdown), tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    rows = summary_rows(result.stdout)
    assert len(rows) == OPERATIONS
    for row in rows.values():
        assert "200: " in row
    assert "verdict: conforms to the spec (exit 0)" in result.stdout
    report = markdown.read_text()
    assert report.startswith("## ✅ NP6 conformance: conforms to the spec (exit 0)")
    assert report.count("| `") == OPERATIONS
    assert "<failure" not in (tmp_path / "junit.xml").read_text()
    assert server.api_key not in result.stdout + result.stderr + report


def test_exit_1_a_server_breaking_one_operation_is_named_with_check_and_curl(
    tmp_path: Path, np6_examples: dict[str, Any]
) -> None:
    broken = copy.deepcopy(np6_examples["softBounces"][0])
    del broken["identity"]["agency"]  # the spec requires it
    source = tmp_path / "broken.jsonl"
    source.write_text(json.dumps(broken) + "\n")
    store = Store.from_jsonl(source)
    key = "a-secret-key-of-32-characters-xy"
    try:
        with MockServer(store, api_key=key) as server:
            result = np6_conformance(
                server.base_url,
                key,
                "--contact-id",
                "000R4M0T",
                "--start",
                "2021-01-01",
                "--end",
                "2022-01-01",
                "--phases",
                "examples,fuzzing",
                tmp_path=tmp_path,
            )
    finally:
        store.close()
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    rows = summary_rows(result.stdout)
    assert rows["/targets/{id}/events/bounces"].split()[3] != "0"  # its failures column
    assert rows["/targets/{id}/events/activations"].split()[3] == "0"  # no bounce there
    failed = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("FAILED GET /targets/{id}/events/bounces")
    ]
    assert failed and "Response violates schema" in failed[0]
    curls = [line for line in result.stdout.splitlines() if "reproduce: curl" in line]
    assert any("/targets/000R4M0T/events/bounces" in curl for curl in curls)
    assert all('-H "X-Key: $NP6_API_KEY"' in curl for curl in curls)
    for output in (result.stdout, result.stderr, (tmp_path / "junit.xml").read_text()):
        assert key[:6] not in output


def test_exit_1_a_gateway_answering_html_errors_fails_two_checks_everywhere(
    store: Store, sample: dict[str, Any], tmp_path: Path
) -> None:
    """A proxy's HTML 502 page on every request: a server error and an undocumented body type."""
    with MockServer(store, fault="html=502") as server:
        result = np6_conformance(server.base_url, server.api_key, *ids(sample), tmp_path=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    failed = {line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")}
    assert failed == {"ST101 Server error", "ST105 Undocumented Content-Type"}
    assert all(row.split()[3] == "2" for row in summary_rows(result.stdout).values())


def test_exit_2_without_a_key() -> None:
    result = subprocess.run(
        [NP6, "conformance", "--base-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    assert result.returncode == 2
    assert "no API key: set NP6_API_KEY" in result.stdout


def test_exit_2_without_the_extra_names_the_pip_line_and_writes_junit(tmp_path: Path) -> None:
    # as if schemathesis were not installed: the import fails in this interpreter
    python = [
        sys.executable,
        "-c",
        "import sys; sys.modules['schemathesis'] = None; from np6._cli import main; sys.exit(main())",
    ]
    result = np6_conformance("http://127.0.0.1:9", "k", tmp_path=tmp_path, python=python)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "pip install 'np6[conformance]'" in result.stdout
    junit = (tmp_path / "junit.xml").read_text()
    assert 'errors="1"' in junit and "np6[conformance]" in junit


def test_exit_3_a_wrong_key(server: MockServer, tmp_path: Path) -> None:
    result = np6_conformance(server.base_url, "not-the-mock-key", tmp_path=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr[-2000:]
    assert "answered 401 to the key" in result.stdout
    assert "not-the" not in result.stdout + result.stderr


def test_exit_4_without_ids_names_the_operations_and_what_to_pass(server: MockServer, tmp_path: Path) -> None:
    quick = ("--phases", "examples,fuzzing")  # the verdict logic, not the coverage, is under test
    result = np6_conformance(server.base_url, server.api_key, *quick, tmp_path=tmp_path)
    assert result.returncode == 4, result.stdout + result.stderr[-2000:]
    unchecked = [line for line in result.stdout.splitlines() if line.startswith("NOT CHECKED")]
    assert len(unchecked) == OPERATIONS - WITHOUT_IDS
    assert any("/campaigns/{id}/events" in line and "--campaign-id" in line for line in unchecked)
    for path, flag in (
        ("/actions/{id}/events/bounces", "--action-id"),
        ("/notifications/{id}/reactivities/optouts", "--notification-id"),
        ("/display/content/{id}/events/activations", "--content-id"),
    ):
        assert any(path in line and flag in line for line in unchecked), (path, flag)
    assert any("GET /targets/events/hits" in line and "--contact-unicity" in line for line in unchecked)
    assert "the last 7 days, the default" in result.stdout


def test_exit_5_nothing_listening(tmp_path: Path) -> None:
    with socket.socket() as sock:
        # bound, so no other process can take the port during the run, and never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        result = np6_conformance(f"http://127.0.0.1:{port}", "k", tmp_path=tmp_path)
    assert result.returncode == 5, result.stdout + result.stderr
    assert "no answer from" in result.stdout
    assert 'errors="1"' in (tmp_path / "junit.xml").read_text()


@pytest.fixture
def recorder() -> Iterator[JsonServer]:
    server = JsonServer()
    yield server
    server.close()


def test_every_request_stays_inside_the_window(recorder: JsonServer, tmp_path: Path) -> None:
    """Against live NP6 no request may ask for a contact's whole history."""
    result = np6_conformance(recorder.base_url, "k", tmp_path=tmp_path)
    assert result.returncode in (1, 4), result.stdout + result.stderr[-2000:]
    now = dt.datetime.now(dt.UTC)
    lowest, highest = now - dt.timedelta(days=7, minutes=5), now + dt.timedelta(days=1)
    checked = 0
    for request in recorder.requests:
        query = {name: values[0] for name, values in request["query"].items()}
        if request["method"] not in ("GET", "POST"):
            continue
        names = (
            ("reactivityStart", "reactivityEnd") if "/reactivities" in request["path"] else ("start", "end")
        )
        if request["path"].startswith(("/targets", "/campaigns", "/actions", "/notifications", "/display")):
            assert set(names) <= set(query), request
            for name in names:
                instant = _instant(query[name])
                if instant is not None:
                    assert lowest <= instant <= highest, (name, query[name])
                    checked += 1
    assert checked > 50


def _instant(text: str) -> dt.datetime | None:
    try:
        if text.isdigit():
            return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC)
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None  # a negative case's deliberately wrong bound
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def test_a_plain_st_run_without_hooks_finds_nothing_wrong_with_the_mock(
    server: MockServer, tmp_path: Path
) -> None:
    """Other people's tools, reading only the spec, agree with the mock (selectors included)."""
    junit = tmp_path / "st.xml"
    result = subprocess.run(
        [
            str(BIN / "st"),
            "run",
            str(spec_path()),
            "--url",
            server.base_url,
            "-H",
            f"X-Key: {server.api_key}",
            "--checks",
            "all",
            "--max-examples",
            "10",
            "--seed",
            "1",
            "--report",
            "junit",
            "--report-junit-path",
            str(junit),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
        env=_env(),
    )
    assert result.returncode == 0, result.stdout[-5000:]
    report = junit.read_text()
    assert 'failures="0"' in report and 'errors="0"' in report
    assert report.count('<testcase name="GET /targets/events') == 3


def test_the_contact_selector_reaches_the_wire_as_one_plain_parameter(recorder: JsonServer) -> None:
    """The generated client explodes the selector object: ``?id=...``, never a dict repr."""
    with np6.Client("k", base_url=recorder.base_url, max_retries=0) as client:
        list(client.hits(np6.Contact(id="000R4M0T")))
        list(client.hits(np6.Contact(hash="04ab")))
        list(client.stop_responses(np6.Contact(unicity="a@np6.com")))
    assert [r["query"] for r in recorder.requests] == [
        {"id": ["000R4M0T"]},
        {"hash": ["04ab"]},
        {"unicity": ["a@np6.com"]},
    ]


def test_a_key_read_with_its_newline_works_and_one_no_header_can_carry_is_refused(
    server: MockServer, tmp_path: Path
) -> None:
    quick = ("--phases", "examples")
    newline = np6_conformance(server.base_url, server.api_key + "\n", *quick, tmp_path=tmp_path)
    assert newline.returncode == 4, newline.stdout + newline.stderr[-2000:]  # answered, ids missing
    accented = np6_conformance(server.base_url, "Super-Sécret-Key-123", *quick, tmp_path=tmp_path)
    assert accented.returncode == 2, accented.stdout + accented.stderr
    assert "cret-Key" not in accented.stdout + accented.stderr
    assert "Traceback" not in accented.stderr and "internal error" not in accented.stdout + accented.stderr


def test_the_key_never_goes_through_a_proxy_to_a_plain_http_server(
    server: MockServer, recorder: JsonServer, tmp_path: Path
) -> None:
    proxies = {
        "HTTP_PROXY": recorder.base_url,
        "http_proxy": recorder.base_url,
        "ALL_PROXY": recorder.base_url,
    }
    result = np6_conformance(
        server.base_url, server.api_key, "--phases", "examples", tmp_path=tmp_path, env=proxies
    )
    assert result.returncode == 4, result.stdout + result.stderr[-2000:]
    assert recorder.requests == []
