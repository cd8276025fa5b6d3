"""The key stays out of argv (issue 24, item 7): ``$NP6_API_KEY`` or ``--api-key-file FILE`` / ``-``.

Every command that takes a key (``events``, ``campaign-events``, ``load``, ``conformance``)
refuses a key given as a command-line value, naming both ways, before any request; reads
it from a file or standard input; and the key that arrives at the server (a
:class:`RawServer` recording every request) is the file's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import NP6, RawServer, http_response, leaked

KEY = "zq-Argv-Secret-0f1e2d3c4b5a"
COMMANDS = {
    "events": ["events", "--id", "c1"],
    "campaign-events": ["campaign-events", "C1"],
    "load": ["load", "--id-file", "IDS", "--database", "DB"],
    "conformance": ["conformance", "--junit-xml", "JUNIT", "--max-examples", "1", "--phases", "examples"],
}


@pytest.fixture
def raw() -> Any:
    with RawServer() as server:
        yield server


def command(name: str, tmp_path: Path) -> list[str]:
    (tmp_path / "ids.txt").write_text("c1\n")
    places = {"IDS": tmp_path / "ids.txt", "DB": tmp_path / "np6.duckdb", "JUNIT": tmp_path / "junit.xml"}
    return [str(places.get(arg, arg)) for arg in COMMANDS[name]]


def run(
    raw: RawServer,
    tmp_path: Path,
    args: list[str],
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": str(Path(sys.executable).parent),
        "NP6_BASE_URL": raw.base_url,
        "HOME": str(tmp_path),
        **(env or {}),
    }
    return subprocess.run(
        [NP6, *args],
        capture_output=True,
        text=True,
        env=environment,
        input=stdin,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )


def sent_keys(raw: RawServer) -> set[str]:
    keys = set()
    for request in raw.requests:
        for line in request.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"x-key":
                keys.add(value.strip().decode())
    return keys


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("form", [["--api-key", KEY], [f"--api-key={KEY}"], ["--api-key"]])
def test_a_key_on_the_command_line_is_refused_naming_both_ways(
    raw: RawServer, tmp_path: Path, name: str, form: list[str]
) -> None:
    result = run(raw, tmp_path, [*command(name, tmp_path), *form], env={"NP6_API_KEY": ""})
    assert result.returncode == 2, result.stderr
    assert "--api-key takes no key on the command line" in result.stderr
    assert "set NP6_API_KEY, or pass --api-key-file FILE (- reads it from standard input)" in result.stderr
    assert not leaked(KEY, result.stdout + result.stderr)
    assert raw.requests == []


def _answer_401(raw: RawServer) -> None:
    raw.script = lambda request, index: [http_response(401, json.dumps({"message": "no"}).encode())]


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("source", ["file", "stdin", "environment"])
def test_the_key_comes_from_a_file_standard_input_or_the_environment(
    raw: RawServer, tmp_path: Path, name: str, source: str
) -> None:
    _answer_401(raw)  # every command then stops at its first request, with exit 3
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    args = command(name, tmp_path)
    env = {"NP6_API_KEY": ""}
    stdin = None
    if source == "file":
        args += ["--api-key-file", str(key_file)]
    elif source == "stdin":
        args += ["--api-key-file", "-"]
        stdin = KEY + "\n"
    else:
        env = {"NP6_API_KEY": KEY}
    result = run(raw, tmp_path, args, env=env, stdin=stdin)
    assert result.returncode == 3, result.stderr + result.stdout
    assert sent_keys(raw) == {KEY}
    assert not leaked(KEY, result.stdout + result.stderr)


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["--api-key-file", "missing"], "--api-key-file missing: No such file or directory"),
        ("", ["--api-key-file", "key"], "--api-key-file key: the file is empty"),
        (b"\xff\xfe", ["--api-key-file", "key"], "--api-key-file key: not UTF-8 text (the key is not shown)"),
        ("x" * 70_000, ["--api-key-file", "key"], "--api-key-file key: over 64 KiB"),
        (
            KEY,
            ["--id-file", "-", "--api-key-file", "-"],
            "--api-key-file - and --id-file - both read standard input",
        ),
    ],
)
def test_a_key_file_that_cannot_give_a_key_is_a_usage_error_before_any_request(
    raw: RawServer, tmp_path: Path, setup: str | bytes | None, args: list[str], message: str
) -> None:
    if isinstance(setup, bytes):
        (tmp_path / "key").write_bytes(setup)
    elif setup is not None:
        (tmp_path / "key").write_text(setup)
    base = ["events"] if "--id-file" in args else ["events", "--id", "c1"]
    result = run(raw, tmp_path, [*base, *args], env={"NP6_API_KEY": ""}, stdin="c1\n")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert raw.requests == []


def test_the_key_is_never_in_the_processs_command_line(raw: RawServer, tmp_path: Path) -> None:
    """While np6 runs, what every local user can read of it (/proc/PID/cmdline) holds no key."""
    raw.script = lambda request, index: [http_response(body=b"[]")[:-2], 3, b"[]"]
    (tmp_path / "key").write_text(KEY)
    process = subprocess.Popen(
        [NP6, "events", "--id", "c1", "--api-key-file", str(tmp_path / "key"), "--base-url", raw.base_url],
        env={"PATH": str(Path(sys.executable).parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not raw.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert raw.requests, "np6 never asked"
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert "--api-key-file" in cmdline
        assert not leaked(KEY, cmdline)
    finally:
        process.wait(timeout=60)
    assert process.returncode == 0
    assert sent_keys(raw) == {KEY}


def test_the_documentation_shows_no_key_on_a_command_line() -> None:
    root = Path(__file__).parent.parent
    for path in [
        root / "README.md",
        root / "Makefile",
        root / "scripts" / "demo.py",
        *sorted((root / "docs").glob("*.md")),
    ]:
        text = path.read_text(encoding="utf-8")
        assert "--api-key " not in text and "--api-key=" not in text, path
    assert os.path.exists(root / "README.md")
