"""The rest of the hostile findings (issue 24, item 8), over real sockets and processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import NP6, NP6_MAINT, RawServer, http_response, leaked

KEY = "sk-live-HOSTILE-REST-0123456789"
ENV = {"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY}
ENV |= {name: os.environ[name] for name in ("PYTHONPATH",) if name in os.environ}


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


# --- cancelling an async stream mid-body ---------------------------------------------------------

_CANCEL = """
import asyncio, gc, sys
import np6

BASE_URL, HOW = sys.argv[1], sys.argv[2]

async def consume(stream):
    if HOW == "inside async with":
        async with stream:
            async for _ in stream:
                pass
    else:
        async for _ in stream:
            pass

async def main():
    async with np6.AsyncClient("{key}", base_url=BASE_URL) as client:
        for _ in range(3):
            stream = client.raw.events(np6.Contact(id="c1"))
            if HOW == "timeout":
                try:
                    async with asyncio.timeout(0.5):
                        await consume(stream)
                except TimeoutError:
                    pass
            else:
                task = asyncio.create_task(consume(stream))
                await asyncio.sleep(0.5)
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
            del stream
            gc.collect()
            await asyncio.sleep(0.1)
    gc.collect()
    await asyncio.sleep(0.1)

asyncio.run(main())
gc.collect()
print("done")
"""


@pytest.mark.parametrize("how", ["inside async with", "task cancelled", "timeout"])
def test_cancelling_an_async_stream_mid_body_is_silent_and_leaks_nothing(
    raw: RawServer, how: str, tmp_path: Path
) -> None:
    """ijson pulling from an async generator left it to be closed from another task: it logged
    "Task exception was never retrieved: RuntimeError('aclose(): ... already running')"."""
    events = b",".join(b'{"type": "hit", "id": "e%d", "timestamp": %d}' % (n, n) for n in range(50))
    # half of the body at once, then a stall: the cancel lands mid-body
    raw.script = lambda request, index: [http_response(body=b"", length=False), b"[" + events + b",", 30.0]
    script = tmp_path / "cancel.py"
    script.write_text(textwrap.dedent(_CANCEL.replace("{key}", KEY)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", str(script), raw.base_url, how],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"
    for noise in ("Traceback", "Exception ignored", "never retrieved", "RuntimeError", "ResourceWarning"):
        assert noise not in done.stderr, done.stderr


# --- the key in the records of loggers created after the client ---------------------------------

_LOGS = """
import logging, sys
import httpx, np6

BASE_URL, KEY = sys.argv[1], sys.argv[2]
client = np6.Client(KEY, base_url=BASE_URL, max_retries=0)
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s %(message)s")
# loggers of the families made after the client: httpcore makes some on first use (http2),
# and a child logger's records reach its parent's handlers without the parent's filters
for name in ("httpcore.http2", "httpcore.connection.later", "httpx.later", "h11", "hpack.hpack", "np6.later"):
    logging.getLogger(name).debug("echo %s", KEY)
    logging.getLogger(name).debug("headers=" + repr([(b"X-Echo", KEY.encode())]))
try:
    list(client.raw.events(np6.Contact(id="c1")))
except np6.Error as error:
    print("error", type(error).__name__)
print("done")
"""


def test_an_echoed_key_is_masked_in_the_records_of_loggers_created_after_the_client(
    raw: RawServer, tmp_path: Path
) -> None:
    raw.script = lambda request, index: [http_response(body=b"[]", headers={"X-Echo": KEY})]
    script = tmp_path / "logs.py"
    script.write_text(_LOGS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), raw.base_url, KEY],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "done" in done.stdout
    assert "httpcore.http2 echo ***" in done.stdout
    assert "receive_response_headers.complete" in done.stdout  # httpcore's own records were made
    assert leaked(KEY, done.stdout + done.stderr) == [], done.stdout


# --- np6 conformance report paths ----------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--markdown", "--junit-xml", "--log"])
@pytest.mark.parametrize("where", ["a folder", "under a file"])
def test_conformance_refuses_an_unwritable_report_path_before_any_request(
    raw: RawServer, tmp_path: Path, flag: str, where: str
) -> None:
    """It ran the whole check, then failed with exit 1 and no summary."""
    raw.script = lambda request, index: [http_response(body=b"[]")]
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    path = tmp_path if where == "a folder" else tmp_path / "file.txt" / "report"
    args = [NP6, "conformance", "--base-url", raw.base_url, "--max-examples", "1", "--phases", "examples"]
    if flag != "--junit-xml":
        args += ["--junit-xml", str(tmp_path / "junit.xml")]
    done = subprocess.run(
        [*args, flag, str(path)],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr[-2000:]
    assert f"{flag} {path}" in done.stdout
    assert "verdict: could not be checked (bad invocation) (exit 2)" in done.stdout
    assert raw.requests == []
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "x"


# --- np6-maint spec diff on YAML anchors----------------------------------------------------------


def _laughs(levels: int, width: int, version: str) -> str:
    """An OpenAPI document whose schema is anchors of anchors: ``width ** levels`` nodes expanded."""
    lines = [
        "openapi: 3.0.3",
        f"info: {{title: x, version: '{version}'}}",
        "x-anchors:",
        "  l0: &l0 {type: string}",
    ]
    for level in range(1, levels + 1):
        properties = ", ".join(f"p{n}: *l{level - 1}" for n in range(width))
        lines.append(f"  l{level}: &l{level} {{type: object, properties: {{{properties}}}}}")
    lines += [
        "paths:",
        "  /a:",
        "    get:",
        "      responses:",
        "        '200':",
        "          description: ok",
    ]
    lines += ["          content:", "            application/json:", f"              schema: *l{levels}"]
    return "\n".join(lines) + "\n"


def _spec_diff(tmp_path: Path, old: str, new: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    began = time.monotonic()
    done = subprocess.run(
        [NP6_MAINT, "spec", "diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        check=False,
    )
    return time.monotonic() - began, done


def test_spec_diff_refuses_anchors_expanding_past_the_bound(tmp_path: Path) -> None:
    """A 1,152-byte spec expanding to 22 million nodes: main had no answer after minutes."""
    old, new = _laughs(12, 4, "1"), _laughs(12, 4, "2")
    assert len(old) < 1200
    elapsed, done = _spec_diff(tmp_path, old, new)
    assert done.returncode == 2, done.stderr
    assert "expand to more than 1,000,000 nodes" in done.stderr
    assert elapsed < 60


def test_spec_diff_refuses_a_recursive_alias(tmp_path: Path) -> None:
    spec = _laughs(1, 1, "1").replace("l1: &l1 {type: object, properties: {p0: *l0}}", "l1: &l1 [*l1]")
    assert "&l1 [*l1]" in spec
    _, done = _spec_diff(tmp_path, spec, spec)
    assert done.returncode == 2, done.stderr
    assert "recursive alias" in done.stderr


def test_spec_diff_compares_anchors_expanding_within_the_bound(tmp_path: Path) -> None:
    import yaml
    from np6_maint.specdiff.expansion import MAX_EXPANDED_NODES, expanded_size

    old, new = (
        _laughs(7, 4, "1"),
        _laughs(7, 4, "2").replace("l0: &l0 {type: string}", "l0: &l0 {type: integer}"),
    )
    assert 10_000 < expanded_size(yaml.safe_load(old)) < MAX_EXPANDED_NODES
    elapsed, done = _spec_diff(tmp_path, old, new)
    assert done.returncode == 0, done.stderr
    assert "API version 1 -> 2" in done.stdout
    assert "breaking" in done.stdout
    assert elapsed < 120


# --- client.generated on hostile answers ---------------------------------------------------------

_MARK = "BODY-MARK-7f3a"
_HOSTILE = {
    "not JSON": (200, b"<html>" + _MARK.encode() + b"</html>"),
    "an object": (200, b'{"' + _MARK.encode() + b'": 1}'),
    "an event missing its fields": (200, b'[{"type": "bounce", "note": "' + _MARK.encode() + b'"}]'),
    "a bad enum": (200, b'[{"type": "' + _MARK.encode() + b'", "id": 1}]'),
    "a 400 echoing the key, not JSON": (400, b"refused key " + KEY.encode() + b" " + _MARK.encode()),
    "a 400 echoing the key as the wrong JSON": (400, b'["' + KEY.encode() + b'", "' + _MARK.encode() + b'"]'),
    "a 503 with a number for a message": (503, b'{"message": 1e999, "m": "' + _MARK.encode() + b'"}'),
}


def _frames_hold(error: BaseException, mark: str) -> list[str]:
    """The locals of the error's traceback frames (beyond this test's own) whose value shows ``mark``."""
    found = []
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next
            continue
        for name, value in tb.tb_frame.f_locals.items():
            if isinstance(value, (str, bytes, bytearray, dict, list, tuple)) and mark in repr(value):
                found.append(f"{tb.tb_frame.f_code.co_name}:{name}")
        tb = tb.tb_next
    return found


@pytest.mark.parametrize("answer", list(_HOSTILE))
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_the_generated_client_raises_np6_errors_holding_no_body_on_hostile_answers(
    raw: RawServer, answer: str, flavour: str
) -> None:
    """It raised JSONDecodeError, KeyError or ValueError, with the body (and echoed key) in frame locals."""
    import asyncio

    import np6
    from helpers import everything_shown
    from np6_generated.api.contact_events import get_contact_bounces

    status, body = _HOSTILE[answer]
    raw.script = lambda request, index: [http_response(status, body)]
    client = np6.Client(KEY, base_url=raw.base_url)
    error: BaseException | None = None
    try:
        if flavour == "sync":
            get_contact_bounces.sync_detailed("c1", client=client.generated)
        else:
            asyncio.run(get_contact_bounces.asyncio_detailed("c1", client=client.generated))
    except BaseException as caught:  # what escapes is what the test judges
        error = caught
    finally:
        client.close()
    assert isinstance(error, np6.Error), repr(error)
    assert isinstance(error, np6.APIStatusError if status >= 400 else np6.DecodeError), repr(error)
    assert error.__cause__ is None and error.__context__ is None
    assert leaked(KEY, everything_shown(error)) == []
    assert _frames_hold(error, _MARK) == []


def test_the_generated_client_still_answers_what_it_can_parse(raw: RawServer) -> None:
    import np6
    from np6_generated.api.contact_events import get_contact_bounces
    from np6_generated.models import Error

    raw.script = lambda request, index: [http_response(404, b'{"title": "no such contact", "status": 404}')]
    with np6.Client(KEY, base_url=raw.base_url) as client:
        answered = get_contact_bounces.sync_detailed("c1", client=client.generated)
    assert answered.status_code == 404
    assert isinstance(answered.parsed, Error)


def test_every_operation_of_the_spec_has_its_answers_checked() -> None:
    from np6._answers import OPERATIONS
    from np6._conformance import spec_operations

    assert sorted(OPERATIONS) == sorted(spec_operations())
