"""`make demo` (scripts/demo.py): events on screen, and the mock always stopped."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEMO = [sys.executable, str(Path(__file__).resolve().parent.parent / "scripts" / "demo.py")]


def mock_port(text: str) -> int:
    found = re.search(r"serving http://127\.0\.0\.1:(\d+)", text)
    assert found, text
    return int(found.group(1))


def is_listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_demo_streams_events_and_stops_the_mock() -> None:
    result = subprocess.run(DEMO, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for command in ("np6 events --unicity", "--kind hits --classification", "np6 campaign-events"):
        assert command in out
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+(execution|activation|hit)", out, re.M)
    assert re.search(r'^\{"type":"hit","id":"[0-9a-f-]{36}","timestamp":\d+', out, re.M)
    assert re.search(r"^hit,[0-9a-f-]{36},\d+,", out, re.M)
    whole = re.search(r"^(\d+)    \(in \d+\.\d\ds\)$", out, re.M)
    assert whole and int(whole.group(1)) > 500
    assert "omar.0034@example.net" in out, "the demo shows the README's contact"
    assert out.rstrip().endswith("demo: mock server stopped")
    assert "np6-mock-key" not in out
    assert not is_listening(mock_port(out))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_demo_still_stops_the_mock(signum: signal.Signals) -> None:
    demo = subprocess.Popen(DEMO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert demo.stdout is not None
        banner = demo.stdout.readline()
        port = mock_port(banner)
        deadline = time.monotonic() + 60
        while not is_listening(port):  # interrupt a demo whose mock is really serving
            assert time.monotonic() < deadline, "the mock never started listening"
            time.sleep(0.05)
        demo.send_signal(signum)
        out, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode != 0
    assert "demo: mock server stopped" in out
    assert not is_listening(port)
