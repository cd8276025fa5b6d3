"""The np6 command, through its real entry point, against the mock on a real socket."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import np6 as np6_lib
import pytest
from helpers import NP6
from np6_mock import MockServer, Store


def np6(
    *args: str, server: MockServer | None = None, key: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": str(Path(sys.executable).parent), **(env or {})}
    if server is not None:
        environment |= {"NP6_BASE_URL": server.base_url, "NP6_API_KEY": key or server.api_key}
    return subprocess.run(
        [NP6, *args], capture_output=True, text=True, env=environment, check=False, timeout=120
    )


def served(server: MockServer, path: str, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.base_url}{path}", params=params, headers={"X-Key": server.api_key})
    response.raise_for_status()
    return list(response.json())


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_is_exactly_what_the_server_sent(server: MockServer, sample: dict[str, Any]) -> None:
    contact = sample["contact"]
    result = np6("events", "--unicity", contact["unicity"], "--sort", "asc", server=server)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress line when stderr is not a terminal
    assert jsonl(result.stdout) == served(server, "/targets/events", unicity=contact["unicity"], sort="asc")


@pytest.mark.parametrize(
    ("kind", "selector", "path"),
    [
        ("events", "id", "/targets/events"),
        ("activations", "id", "/targets/{id}/events/activations"),
        ("bounces", "id", "/targets/{id}/events/bounces"),
        ("hits", "hash", "/targets/events/hits"),
        ("form-hits", "id", "/targets/{id}/events/hits/form"),
        ("stop-responses", "unicity", "/targets/events/responses/stop"),
    ],
)
def test_every_kind_is_honoured(
    server: MockServer, sample: dict[str, Any], kind: str, selector: str, path: str
) -> None:
    contact = sample["contact"]
    result = np6(
        "events", f"--{selector}", contact[selector], "--kind", kind, "--sort", "desc", server=server
    )
    assert result.returncode == 0, result.stderr
    params = {"sort": "desc"} if "{id}" in path else {selector: contact[selector], "sort": "desc"}
    assert jsonl(result.stdout) == served(server, path.replace("{id}", contact["id"]), **params)


def test_a_kind_word_of_the_last_release_still_works_with_a_warning(
    server: MockServer, sample: dict[str, Any]
) -> None:
    unicity = sample["contact"]["unicity"]
    result = np6("events", "--unicity", unicity, "--kind", "stops", "--sort", "desc", server=server)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "np6 events: warning: --kind stops is deprecated and will be refused from np6 0.2; "
        "write --kind stop-responses\n"
    )
    expected = served(server, "/targets/events/responses/stop", unicity=unicity, sort="desc")
    assert expected and jsonl(result.stdout) == expected


def test_bounds_classification_and_output_file(
    server: MockServer, sample: dict[str, Any], tmp_path: Path
) -> None:
    contact = sample["contact"]["id"]
    out = tmp_path / "hits.jsonl"
    result = np6(
        "events",
        "--id",
        contact,
        "--kind",
        "hits",
        "--classification",
        "mpp,gsr",
        "--start",
        "1704067200000",
        "--end",
        "2024-03-01T00:00:00Z",
        "--sort",
        "asc",
        "-o",
        str(out),
        server=server,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    expected = served(
        server,
        "/targets/events/hits",
        id=contact,
        classification="mpp,gsr",
        start="1704067200000",
        end="2024-03-01T00:00:00Z",
        sort="asc",
    )
    assert jsonl(out.read_text()) == expected


def test_relative_start_is_understood(server: MockServer, sample: dict[str, Any]) -> None:
    result = np6("events", "--id", sample["contact"]["id"], "--start", "7d", server=server)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # the data set lies in 2024: nothing in the last week


def test_csv_flattens_the_common_fields(server: MockServer, sample: dict[str, Any]) -> None:
    contact = sample["contact"]["id"]
    result = np6(
        "events", "--id", contact, "--kind", "hits", "--format", "csv", "--sort", "asc", server=server
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = served(server, "/targets/events/hits", id=contact, sort="asc")
    assert [r["id"] for r in rows] == [e["id"] for e in expected]
    first, event = rows[0], expected[0]
    assert list(first) == ["type", "id", "timestamp", "time", "contact", "item", "link", "client"]
    assert first["type"] == "hit" and int(first["timestamp"]) == event["timestamp"]
    assert first["time"].endswith("Z") and first["time"].startswith("2024-")
    assert first["link"].startswith(event["source"]["detail"]["link"]["type"])
    # a CSV cell is text; a push notification's item id is an integer in the event (DECISIONS #46)
    assert first["item"] == str(event["source"]["detail"]["activation"]["id"])


def test_table_is_for_people(server: MockServer, sample: dict[str, Any]) -> None:
    result = np6("events", "--id", sample["contact"]["id"], "--format", "table", server=server)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TIME", "TYPE", "ITEM", "CONTACT", "LINK", "CLIENT"]
    assert len(lines) == 1 + len(served(server, "/targets/events", id=sample["contact"]["id"]))


def test_campaign_events_with_item_filters_and_body(
    server: MockServer, sample: dict[str, Any], tmp_path: Path
) -> None:
    campaign, items = sample["campaign"], sample["email_items"]
    result = np6(
        "campaign-events",
        campaign,
        "--items",
        ",".join(items),
        "--email-hits",
        "open,redirection",
        "--event-types",
        "bounce",
        server=server,
    )
    assert result.returncode == 0, result.stderr
    body = {
        "itemsEvents": [
            {
                "type": "email",
                "events": [{"type": "bounce"}, {"type": "hit", "subtypes": ["open", "redirection"]}],
                "items": items,
            }
        ]
    }
    response = httpx.post(
        f"{server.base_url}/campaigns/{campaign}/items/events", json=body, headers={"X-Key": server.api_key}
    )
    assert jsonl(result.stdout) == response.json()
    query = tmp_path / "query.json"
    query.write_text(json.dumps(body))
    from_file = np6("campaign-events", campaign, "--body", str(query), server=server)
    assert jsonl(from_file.stdout) == response.json()
    everything = np6("campaign-events", campaign, "--sort", "asc", server=server)
    assert len(jsonl(everything.stdout)) == len(served_all(server, campaign))


def served_all(server: MockServer, campaign: str) -> list[Any]:
    response = httpx.post(f"{server.base_url}/campaigns/{campaign}/events", headers={"X-Key": server.api_key})
    return list(response.json())


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["events", "--hash", "abc", "--kind", "bounces"],
            2,
            "bounces: NP6 selects the contact by id here, not by hash",
        ),
        (
            ["events", "--id", "x", "--start", "someday"],
            2,
            "argument --start: 'someday': give an ISO 8601 date or date-time",
        ),
        (["events", "--id", "x", "--classification", "mpp"], 2, "--classification applies to --kind hits"),
        (["events", "--id", "nobody"], 4, "404 Not Found from GET"),
        (["campaign-events", "NOPE"], 4, "no campaign with id 'NOPE'"),
        (["campaign-events", "C", "--email-hits", "open"], 2, "--event-types and --email-hits need --items"),
        (["campaign-events", "C", "--items", "a", "--email-hits", "click"], 2, "hits: 'click' is not one of"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(
    server: MockServer, args: list[str], code: int, message: str
) -> None:
    result = np6(*args, server=server)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_refused_key_exits_3_and_is_never_printed(server: MockServer, sample: dict[str, Any]) -> None:
    secret = "sk-cli-SECRET-42"
    result = np6("events", "--id", sample["contact"]["id"], server=server, key=secret)
    assert result.returncode == 3
    assert "401 Unauthorized" in result.stderr
    assert secret not in result.stderr + result.stdout
    flag = np6("events", "--id", sample["contact"]["id"], "--api-key", secret, "--base-url", server.base_url)
    assert flag.returncode == 2 and secret not in flag.stderr


def test_an_export_cut_short_never_leaves_a_file_that_looks_complete(
    store: Store, sample: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "events.jsonl"
    out.write_text("an older, complete export\n")
    with MockServer(store, fault="cut-after=25") as cutting:
        result = np6(
            "campaign-events", sample["campaign"], "--max-retries", "0", "-o", str(out), server=cutting
        )
    assert result.returncode == 5, result.stderr
    assert "after 25 events" in result.stderr
    (partial,) = tmp_path.glob("events.jsonl.*.partial")
    assert f"the first 25 events are in {partial}, each whole; {out} was not written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert out.read_text() == "an older, complete export\n"
    assert len(jsonl(partial.read_text())) == 25


def test_an_export_refused_at_once_writes_nothing(
    server: MockServer, sample: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "events.csv"
    result = np6(
        "events",
        "--id",
        sample["contact"]["id"],
        "--format",
        "csv",
        "-o",
        str(out),
        server=server,
        key="wrong",
    )
    assert result.returncode == 3
    assert list(tmp_path.iterdir()) == []


def test_an_output_file_that_cannot_be_written_is_one_line(
    server: MockServer, sample: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "no such folder" / "events.jsonl"
    result = np6("events", "--id", sample["contact"]["id"], "-o", str(out), server=server)
    assert result.returncode == 2
    assert f"-o {out}: no such folder: {out.parent}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_no_key_is_a_clear_error(server: MockServer) -> None:
    result = np6("events", "--id", "x", "--base-url", server.base_url)
    assert result.returncode == 2
    assert (
        "no API key: set NP6_API_KEY, or pass --api-key-file FILE (- reads it from standard input)"
        in result.stderr
    )


def test_plain_http_to_a_remote_host_is_refused() -> None:
    result = np6("events", "--id", "x", "--base-url", "http://np6.example.com", env={"NP6_API_KEY": "k"})
    assert result.returncode == 2
    assert (
        "--base-url (or $NP6_BASE_URL) http://np6.example.com: the key would travel in clear" in result.stderr
    )


def test_help_is_complete() -> None:
    top = np6("--help")
    assert top.returncode == 0
    pages = {}
    for command in ("events", "campaign-events", "mock", "conformance"):
        assert command in top.stdout
        page = np6(command, "--help")
        assert page.returncode == 0
        assert "usage: np6 " + command in page.stdout
        pages[command] = page.stdout
    events_help = pages["events"]
    for option in (
        "--id",
        "--unicity",
        "--hash",
        "--kind",
        "--start",
        "--end",
        "--sort",
        "--classification",
        "--format",
        "--output",
        "--base-url",
        "--api-key",
        "--quiet",
    ):
        assert option in events_help
    campaign_help = pages["campaign-events"]
    for option in ("--items", "--email-hits", "--event-types", "--body", "--channel"):
        assert option in campaign_help
    assert np6("--version").stdout.startswith("np6 ")


def test_np6_mock_serves_until_interrupted(tmp_path: Path) -> None:
    import re
    import signal

    # port 0: the system's pick, read from the banner (a port picked here could be taken by
    # a test running beside this one before the mock binds it)
    process = subprocess.Popen(
        [NP6, "mock", "--port", "0", "--events", "300", "--api-key", "k-mock", "--seed", "11"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        banner = process.stderr.readline() + process.stderr.readline()
        assert "300 events ready" in banner
        found = re.search(r"serving (http://127\.0\.0\.1:\d+) ", banner)
        assert found, banner
        contact = banner.split("try contact id ")[1].split()[0]
        # the banner comes once the socket listens: no wait for the server to come up
        url = f"{found[1]}/targets/{contact}/events"
        response = httpx.get(url, headers={"X-Key": "k-mock"}, timeout=60)
        assert response.status_code == 200 and response.json()
        assert httpx.get(url, timeout=60).status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0


def test_a_progress_line_goes_to_a_terminal_and_quiet_silences_it(
    server: MockServer, sample: dict[str, Any]
) -> None:
    import os
    import pty

    def stderr_on_a_terminal(*extra: str) -> str:
        leader, follower = pty.openpty()
        env = {
            "PATH": str(Path(sys.executable).parent),
            "NP6_BASE_URL": server.base_url,
            "NP6_API_KEY": server.api_key,
        }
        result = subprocess.run(
            [NP6, "campaign-events", sample["campaign"], *extra],
            stdout=subprocess.DEVNULL,
            stderr=follower,
            env=env,
            check=False,
            timeout=120,
        )
        os.close(follower)
        assert result.returncode == 0
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return b"".join(chunks).decode()

    shown = stderr_on_a_terminal()
    assert " events · " in shown and "/s · 00:00:" in shown
    assert stderr_on_a_terminal("--quiet") == ""


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["events", "--id", "x", "--start", "1704153600x"], "--start"),
        (["events", "--id", "x", "--end", "next week"], "--end"),
        (
            ["events", "--id", "x", "--start", "1704153600"],
            "--start: '1704153600': 1704153600 looks like epoch",
        ),
        (
            ["events", "--id", "x", "--api-key-file", "KEY", "--base-url", "http://np6.example.com"],
            "--base-url",
        ),
        (["events", "--id", "x", "--base-url", "http://127.0.0.1:9"], "--api-key-file"),
        (["events", "--id", "x", "--api-key-file", "KEY", "--classification", "mpp"], "--classification"),
        (["campaign-events", "C1", "--api-key-file", "KEY", "--event-types", "hit"], "--items"),
        (["load", "--id-file", "-", "--concurrency", "0"], "--concurrency"),
        (
            ["load", "--id-file", "ids", "--api-key-file", "KEY", "--base-url", "http://np6.example.com"],
            "--base-url",
        ),
        (["events", "--id-file", "-", "--concurrency", "two"], "--concurrency"),
        (["mock", "--rate-limit", "-1"], "--rate-limit"),
    ],
)
def test_every_usage_error_names_the_flag_and_speaks_no_python(
    args: list[str], flag: str, tmp_path: Path
) -> None:
    (tmp_path / "key").write_text("k-file-key\n")
    args = [str(tmp_path / "key") if arg == "KEY" else arg for arg in args]
    result = np6(*args, env={"NP6_API_KEY": ""})
    assert result.returncode == 2, result.stderr
    assert flag in result.stderr
    for python in ("api_key=", "allow_insecure_http", "sort='asc'", "Traceback", "ItemEventsFilter"):
        assert python not in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"itemsEvents": [{"type": "email", "events": ["hit"], "items": ["a"]}]},
            "itemsEvents[0].events[0] must",
        ),
        (
            {"itemsEvents": [{"type": "mail", "events": [], "items": ["a"]}]},
            "one of email, notification, sms",
        ),
        (
            {
                "itemsEvents": [
                    {"type": "email", "events": [{"type": "hit", "subtypes": ["click"]}], "items": ["a"]}
                ]
            },
            "itemsEvents[0].events[0].subtypes[0] is 'click'; it must be one of form, mirror, open",
        ),
        (
            {"itemsEvents": [{"type": "email", "events": [], "items": "a"}]},
            "itemsEvents[0].items must be a list",
        ),
    ],
)
def test_a_body_of_the_wrong_shape_names_the_field_and_what_it_may_be(
    tmp_path: Path, body: dict[str, Any], message: str
) -> None:
    (tmp_path / "body.json").write_text(json.dumps(body), encoding="utf-8")
    result = np6("campaign-events", "C1", "--body", str(tmp_path / "body.json"), env={"NP6_API_KEY": "k"})
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "ValueError" not in result.stderr


def test_a_selector_the_kind_does_not_take_says_which_kinds_take_it() -> None:
    result = np6("events", "--hash", "779997d9", env={"NP6_API_KEY": "k"})
    assert result.returncode == 2
    assert "not by hash (a hash selects contacts for hits)" in result.stderr


@pytest.mark.parametrize(
    ("given", "guess"),
    [("127.0.0.1:8080", "http://127.0.0.1:8080"), ("api-cm.np6.com", "https://api-cm.np6.com")],
)
def test_a_base_url_without_a_scheme_says_what_was_meant(given: str, guess: str) -> None:
    result = np6("events", "--id", "x", env={"NP6_API_KEY": "k", "NP6_BASE_URL": given})
    assert result.returncode == 2
    assert f"did you mean {guess}?" in result.stderr


@pytest.mark.parametrize("given", ["htp://127.0.0.1:8080", "ftp://api-cm.np6.com"])
def test_a_base_url_with_a_scheme_np6_does_not_speak_is_refused_as_such(given: str) -> None:
    scheme = given.split(":", maxsplit=1)[0]
    for source in (["--base-url", given], []):
        result = np6("events", "--id", "x", *source, env={"NP6_API_KEY": "k", "NP6_BASE_URL": given})
        assert result.returncode == 2, result.stderr
        assert f"the scheme '{scheme}' is not supported" in result.stderr
        assert "://" + given not in result.stderr and "did you mean" not in result.stderr
    with pytest.raises(np6_lib.InvalidArgumentError, match="is not supported") as refused:
        np6_lib.Client("k", base_url=given)
    assert "://" + given not in str(refused.value)


@pytest.mark.parametrize("command", ["events", "campaign-events", "load", "conformance"])
def test_the_help_of_base_url_shows_the_default_it_really_has(command: str) -> None:
    unset = " ".join(np6(command, "--help").stdout.split())
    assert "--base-url BASE_URL" in unset
    assert "https://api-cm.np6.com; $NP6_BASE_URL replaces it when set" in unset
    here = " ".join(np6(command, "--help", env={"NP6_BASE_URL": "http://127.0.0.1:9999/%x"}).stdout.split())
    assert "(default: $NP6_BASE_URL, here http://127.0.0.1:9999/%x)" in here
    assert "api-cm.np6.com" not in here and "127.0.0.1:8080" not in here


def test_an_unreachable_server_is_named() -> None:
    result = np6(
        "events",
        "--id",
        "x",
        "--max-retries",
        "0",
        env={"NP6_API_KEY": "k", "NP6_BASE_URL": "http://127.0.0.1:9"},
    )
    assert result.returncode == 1
    assert "talking to http://127.0.0.1:9 (after 1 attempt)" in result.stderr
