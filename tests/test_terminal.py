"""Terminals and spreadsheets get no control of their own from server strings (issue 24, item 2).

A :class:`RawServer` sends strings holding terminal sequences (ESC, CSI, OSC window titles
and hyperlinks, BEL), C1 controls and bidirectional overrides; every place np6 shows them
to people (errors of both clients, the command's table and error lines) shows them escaped,
CSV cells a spreadsheet would run as formulas are neutralised, and JSON Lines keeps every
value exactly as sent.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import np6
import pytest
from helpers import NP6, RawServer, http_response
from hypothesis import given
from np6._text import fit, printable

KEY = "zq-Terminal-Secret-4c3b2a19"
HOSTILE = (
    "\x1b]0;owned\x07"  # OSC: window title, ended by BEL
    "\x1b[2J\x1b[H"  # CSI: clear the screen, cursor home
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x9b31m"  # C1 CSI
    "\u202egnp.exe\u202c"  # right-to-left override
    "\u2066isolate\u2069"
    "\x7f\x00\r\n\t"
)
RAW_CONTROLS = set("\x1b\x07\x9b\u202e\u202c\u2066\u2069\x7f\x00\r\t")


def has_raw_control(text: str) -> bool:
    """Whether ``text`` holds a character a terminal could act on (newlines between lines aside)."""
    return any(not char.isprintable() for line in text.split("\n") for char in line)


def hostile_events() -> list[dict[str, Any]]:
    detail = {
        "link": {"type": "redirection", "destination": HOSTILE},
        "client": {"type": "browser", "classification": "\x1b[31mred"},
        "execution": {
            "id": '=HYPERLINK("http://evil.example")',
            "recipient": {"unicity": "+cmd|'/c calc'!A0"},
        },
    }
    return [
        {
            "type": "hit",
            "id": "-2+3",
            "timestamp": 1_700_000_000_000,
            "source": {"type": "email", "detail": detail},
        },
        {"type": "hit", "id": "@SUM(A1)", "timestamp": 1_700_000_000_001, "note": HOSTILE},
        {"type": "hit", "id": "\tTAB", "timestamp": 1_700_000_000_002},
        {"type": "hit", "id": "\rCR", "timestamp": 1_700_000_000_003},
        {"type": "hit", "id": "plain", "timestamp": 1_700_000_000_004},
    ]


@pytest.fixture
def raw() -> Any:
    with RawServer() as server:
        yield server


def np6_cli(server: RawServer, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": server.base_url}
    result = subprocess.run(
        [NP6, *args],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
        input=None if stdin is None else stdin.encode(),
    )
    # decoded by hand: text mode would turn a CR the command wrote into a newline
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def serve(server: RawServer, body: bytes, status: int = 200, reason: str | None = None) -> None:
    response = http_response(status, body)
    if reason is not None:
        response = response.replace(b" Status\r\n", b" " + reason.encode("latin-1") + b"\r\n", 1)
    server.script = lambda request, index: [response]


# --- the one function ------------------------------------------------------------------------


def test_printable_shows_every_control_visibly() -> None:
    shown = printable(HOSTILE)
    assert not has_raw_control(shown) and "\n" not in shown
    for visible in (
        "\\x1b]0;owned\\x07",
        "\\x1b[2J",
        "\\x9b31m",
        "\\u202egnp.exe\\u202c",
        "\\u2066",
        "\\x00",
    ):
        assert visible in shown
    assert printable("Zoë 東京 ok") == "Zoë 東京 ok"


def _columns(text: str) -> int:
    return sum(
        2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1
        for c in text
    )


_TOKEN = re.compile(r"\\(?:[nrt]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})|.", re.DOTALL)
_ANY_CHAR = st.characters(exclude_categories=()) | st.characters(
    min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()
)


@given(
    text=st.text(_ANY_CHAR | st.sampled_from([*sorted(RAW_CONTROLS), "東", "\u0301", "\\"]), max_size=40),
    width=st.integers(0, 30),
)
def test_a_cut_to_a_column_width_never_leaves_a_sequence_open(text: str, width: int) -> None:
    cell = fit(text, width)
    assert not has_raw_control(cell) and "\n" not in cell
    assert _columns(cell) == width
    # what is kept is whole escapes and characters of printable(text), in order, from its start
    kept = cell.rstrip(" ")
    tokens = _TOKEN.findall(printable(text))
    prefixes = {"".join(tokens[:n]) for n in range(len(tokens) + 1)}
    assert kept in prefixes or cell[: len(cell) - (width - _columns(kept))] in prefixes


# --- both clients: the errors they raise -----------------------------------------------------


def _error_of(server: RawServer, asynchronous: bool) -> np6.Error:
    async def read_async() -> None:
        async with np6.AsyncClient(KEY, base_url=server.base_url, max_retries=0) as client:
            async for _ in client.events(np6.Contact(id="c1")):
                pass

    with pytest.raises(np6.Error) as caught:
        if asynchronous:
            asyncio.run(read_async())
        else:
            with np6.Client(KEY, base_url=server.base_url, max_retries=0) as client:
                list(client.events(np6.Contact(id="c1")))
    return caught.value


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize(
    "answer",
    [
        {"status": 404, "body": json.dumps({"message": HOSTILE}).encode()},
        {"status": 500, "body": HOSTILE.encode()},
        {"status": 503, "body": b"", "reason": "Busy \x1b]0;owned\x07"},
        {"status": 200, "body": HOSTILE.encode()},
    ],
)
def test_server_text_in_an_error_is_shown_escaped(
    raw: RawServer, asynchronous: bool, answer: dict[str, Any]
) -> None:
    serve(raw, answer["body"], answer["status"], answer.get("reason"))
    error = _error_of(raw, asynchronous)
    message = str(error)
    assert not has_raw_control(message), repr(message)
    assert "\\x1b" in message
    if isinstance(error, np6.APIStatusError):
        assert not has_raw_control(error.body_excerpt)


# --- the command -------------------------------------------------------------------------------


def test_the_table_shows_server_text_escaped_and_cut_whole(raw: RawServer) -> None:
    serve(raw, json.dumps(hostile_events()).encode())
    result = np6_cli(raw, "events", "--id", "c1", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert not has_raw_control(result.stdout), repr(result.stdout)
    assert "\\x1b]0;owned\\x07" in result.stdout
    rows = result.stdout.splitlines()
    assert len(rows) == 1 + len(hostile_events())
    # every column starts where the header says: no cell ran into the next one
    header = rows[0]
    starts = [header.index(name) for name in ("TYPE", "ITEM", "CONTACT", "LINK", "CLIENT")]
    for row in rows[1:]:
        for start in starts:
            assert row[start - 2 : start] in ("  ", ""), (row, start)


def test_an_error_line_for_one_contact_shows_server_text_escaped(raw: RawServer) -> None:
    serve(raw, json.dumps({"message": HOSTILE}).encode(), 404)
    result = np6_cli(raw, "events", "--id", "c1")
    assert result.returncode == 4
    assert len(result.stderr.strip().splitlines()) == 1
    assert not has_raw_control(result.stderr), repr(result.stderr)
    assert "\\x1b]0;owned\\x07" in result.stderr and "\\u202e" in result.stderr


def test_the_fan_out_summary_shows_server_text_and_ids_escaped(raw: RawServer) -> None:
    serve(raw, json.dumps({"message": HOSTILE}).encode(), 404)
    result = np6_cli(raw, "events", "--id-file", "-", stdin="c1\nbad\u202eid\n")
    assert result.returncode == 4
    assert "2 of 2 contacts failed" in result.stderr
    assert not has_raw_control(result.stderr), repr(result.stderr)
    assert "id bad\\u202eid: 404" in result.stderr


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_by_default(raw: RawServer) -> None:
    serve(raw, json.dumps(hostile_events()).encode())
    result = np6_cli(raw, "events", "--id", "c1", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = _csv_rows(result.stdout)
    assert [row["id"] for row in rows] == ["'-2+3", "'@SUM(A1)", "'\tTAB", "'\rCR", "plain"]
    assert rows[0]["item"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["contact"] == "'+cmd|'/c calc'!A0"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def test_csv_cells_are_written_as_sent_when_asked_and_the_help_says_what_it_risks(raw: RawServer) -> None:
    serve(raw, json.dumps(hostile_events()).encode())
    result = np6_cli(raw, "events", "--id", "c1", "--format", "csv", "--csv-allow-formulas")
    assert result.returncode == 0, result.stderr
    rows = _csv_rows(result.stdout)
    assert [row["id"] for row in rows] == ["-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain"]
    assert rows[0]["link"] == f"redirection {HOSTILE}"
    helped = " ".join(np6_cli(raw, "events", "--help").stdout.split())
    assert "spreadsheet opening the file may then run them as formulas" in helped
    refused = np6_cli(raw, "events", "--id", "c1", "--csv-allow-formulas")
    assert refused.returncode == 2 and "--csv-allow-formulas applies to --format csv only" in refused.stderr


def test_json_lines_keep_every_value_exactly_as_sent(raw: RawServer) -> None:
    sent = hostile_events()
    serve(raw, json.dumps(sent, ensure_ascii=False).encode())
    result = subprocess.run(
        [NP6, "events", "--id", "c1"],
        capture_output=True,
        env={"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": raw.base_url},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.decode().splitlines()] == sent
    # the same values, with what a terminal or a line splitter acts on written as JSON escapes
    assert not has_raw_control(result.stdout.decode())
    assert len(result.stdout.decode().splitlines()) == len(sent)


def test_csv_on_a_terminal_shows_controls_escaped(raw: RawServer) -> None:
    import pty

    serve(raw, json.dumps(hostile_events()).encode())
    leader, follower = pty.openpty()
    env = {"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": raw.base_url}
    result = subprocess.run(
        [NP6, "events", "--id", "c1", "--format", "csv", "-q"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
        timeout=120,
    )
    os.close(follower)
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
    assert result.returncode == 0, result.stderr
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert "\\x1b]0;owned\\x07" in shown
