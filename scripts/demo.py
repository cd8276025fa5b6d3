"""`make demo`: start the bundled mock NP6 server, stream events through the np6 command.

Runs the real entry point (.venv/bin/np6) against a real socket, and always stops
the mock, even on Ctrl-C or a termination signal.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
NP6 = str(BIN / "np6")
KEY = "np6-mock-key"  # the mock's default key, as in the README


def wait_for(port: int, mock: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if mock.poll() is not None:
            raise SystemExit(f"demo: the mock server exited with {mock.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("demo: the mock server did not start in time")


def run(title: str, *args: str, lines: int | None = None) -> None:
    print(f"\n\033[1m$ np6 {' '.join(args)}\033[0m  # {title}", flush=True)
    result = subprocess.run([NP6, *args], capture_output=True, text=True, check=False)
    output = result.stdout.splitlines()
    shown = output if lines is None else output[:lines]
    print("\n".join(shown))
    if lines is not None and len(output) > lines:
        print(f"... ({len(output) - lines} more lines)")
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        raise SystemExit(f"demo: np6 {args[0]} failed with {result.returncode}")


def _terminated(signum: int, frame: object) -> None:
    # unwind through main's `finally`, which stops the mock, instead of dying at once
    raise SystemExit(128 + signum)


def main() -> int:
    # SIGINT too, explicitly: a demo started where SIGINT is ignored (a background job of a
    # non-interactive shell) would otherwise inherit that and run on; and Ctrl-C then ends
    # it without a traceback
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _terminated)
    env = {k: v for k, v in os.environ.items() if k != "NP6_MOCK_API_KEY"}
    # the mock's default data set: the ids the README's examples use; port 0, the one the
    # system picks, read back from the banner: a port chosen here could be taken before the
    # mock binds it (tests run demos side by side)
    mock = subprocess.Popen(
        [NP6, "mock", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert mock.stderr is not None
        banner = "".join(mock.stderr.readline() for _ in range(2))
        print(banner.strip().replace(KEY, "***"), flush=True)
        found = re.search(
            r"serving http://127\.0\.0\.1:(\d+) .*contact id (\S+) / unicity (\S+), campaign (\S+)",
            banner,
            re.S,
        )
        if not found:
            raise SystemExit(f"demo: unexpected banner from the mock: {banner!r}")
        port, contact_id, unicity, campaign = int(found[1]), found[2], found[3], found[4]
        base = f"http://127.0.0.1:{port}"
        wait_for(port, mock)
        os.environ |= {"NP6_API_KEY": KEY, "NP6_BASE_URL": base}
        run(
            "a contact's events, oldest first",
            "events",
            "--unicity",
            unicity,
            "--sort",
            "asc",
            "--format",
            "table",
            lines=12,
        )
        run(
            "its hits, robots (Apple MPP, Google) included",
            "events",
            "--id",
            contact_id,
            "--kind",
            "hits",
            "--classification",
            "mpp,gsr,genericrobot",
            "--format",
            "table",
            lines=8,
        )
        run(
            "its newest hits exactly as NP6 sent them (the first two lines)",
            "events",
            "--id",
            contact_id,
            "--kind",
            "hits",
            "--format",
            "jsonl",
            "--sort",
            "desc",
            lines=2,
        )
        run(
            "opens and clicks of a campaign's email items, as CSV",
            "campaign-events",
            campaign,
            "--items",
            f"{campaign}A0,{campaign}A1",
            "--email-hits",
            "open,redirection",
            "--format",
            "csv",
            "--sort",
            "asc",
            lines=6,
        )
        started = time.monotonic()
        result = subprocess.run([NP6, "campaign-events", campaign, "-q"], capture_output=True, check=True)
        count = result.stdout.count(b"\n")
        print(f"\n\033[1m$ np6 campaign-events {campaign} -q | wc -l\033[0m  # a whole campaign, streamed")
        print(f"{count}    (in {time.monotonic() - started:.2f}s)")
    finally:
        mock.send_signal(signal.SIGINT)
        try:
            mock.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
        print("\ndemo: mock server stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
