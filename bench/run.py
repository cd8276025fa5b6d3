"""`make bench`: every way of reading NP6 events, side by side, in one run.

Starts the mock server in its own process on loopback for each size, runs each
contender in a fresh process (see contender.py), and writes a Markdown table, JSON
and a plot under bench/results/. Then runs inprocess.py: the same contenders over an
httpx MockTransport, without the server on the cores, where the decoding targets are
read. Targets are printed as held or missed; they are measurements, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import ijson
import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NP6 = str(Path(sys.executable).parent / "np6")
KEY = "bench-key"
SIZES = {"quick": [10_000, 100_000], "full": [10_000, 100_000, 1_000_000]}
CONTENDERS = [
    "typed",
    "typed_all",
    "typed_csv",
    "typed_async",
    "raw",
    "generated",
    "httpx_json",
    "httpx_ijson",
]
LABELS = {
    "typed": "np6.Client typed streaming",
    "typed_all": "np6.Client typed, every field read",
    "typed_csv": "np6.Client typed, CSV export",
    "typed_async": "np6.AsyncClient typed streaming",
    "raw": "np6.Client.raw",
    "generated": "generated client (whole body, models)",
    "httpx_json": "httpx + response.json()",
    "httpx_ijson": "httpx stream + ijson items (floor)",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mock:
    """``np6 mock`` in its own process, one campaign holding every event."""

    def __init__(self, events: int) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "NP6_MOCK_API_KEY": KEY}
        self.process = subprocess.Popen(
            [
                NP6,
                "mock",
                "--port",
                str(self.port),
                "--events",
                str(events),
                "--campaigns",
                "1",
                "--contacts",
                "2000",
            ],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stderr is not None
        banner = self.process.stderr.readline() + self.process.stderr.readline()
        found = re.search(r"campaign (\S+)", banner)
        if not found:
            raise RuntimeError(f"unexpected mock banner: {banner!r}")
        self.campaign = found.group(1)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)

    def rss_mb(self) -> float:
        return float(psutil.Process(self.process.pid).memory_info().rss) / 2**20

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def server_peak_while_streaming(mock: Mock) -> dict[str, float]:
    """Peak RSS of the mock while it streams the whole campaign to a raw reader."""
    peak = [mock.rss_mb()]
    idle = peak[0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak.append(mock.rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    size = 0
    with httpx.stream(
        "POST", f"{mock.base_url}/campaigns/{mock.campaign}/events", headers={"X-Key": KEY}, timeout=600
    ) as response:
        for chunk in response.iter_raw():
            size += len(chunk)
    done.set()
    sampler.join()
    return {"idle_mb": idle, "peak_mb": max(peak), "body_mb": size / 2**20}


def run_contender(name: str, mock: Mock, repeat: int) -> dict[str, Any]:
    """The best of ``repeat`` fresh-process runs (two cores shared with the server are noisy)."""
    runs = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, str(HERE / "contender.py"), name, mock.base_url, KEY, mock.campaign],
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{result.stderr[-2000:]}")
        runs.append(dict(json.loads(result.stdout.strip().splitlines()[-1])))
    best = max(runs, key=lambda r: r["events_per_s"])
    return {
        **best,
        "first_event_s": min(r["first_event_s"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "runs": len(runs),
    }


def targets(rows: list[dict[str, Any]], servers: dict[int, dict[str, float]]) -> list[tuple[str, bool, str]]:
    by = {(r["contender"], r["n"]): r for r in rows}
    sizes = sorted({r["n"] for r in rows})
    found: list[tuple[str, bool, str]] = []
    for n in sizes:
        floor = by[("httpx_ijson", n)]["events_per_s"]
        typed_rate, raw_rate = by[("typed", n)]["events_per_s"], by[("raw", n)]["events_per_s"]
        generated_rate = by[("generated", n)]["events_per_s"]
        found.append(
            (f"typed >= 0.5x floor at {n:,}", typed_rate >= 0.5 * floor, f"{typed_rate / floor:.2f}x")
        )
        found.append(
            (
                f"typed >= 2x generated at {n:,}",
                typed_rate >= 2 * generated_rate,
                f"{typed_rate / generated_rate:.2f}x",
            )
        )
        found.append((f"raw >= 0.9x floor at {n:,}", raw_rate >= 0.9 * floor, f"{raw_rate / floor:.2f}x"))
    small, large = sizes[0], sizes[-1]
    for name in ("typed", "typed_async", "raw"):
        grow = by[(name, large)]["peak_rss_mb"] - by[(name, small)]["peak_rss_mb"]
        found.append(
            (f"{name} peak RSS at {large:,} within 25 MB of {small:,}", grow <= 25, f"+{grow:.1f} MB")
        )
        ttfe = [by[(name, n)]["first_event_s"] for n in sizes]
        ratio = max(ttfe) / min(ttfe)
        found.append((f"{name} time to first event within 2x across sizes", ratio <= 2, f"{ratio:.2f}x"))
    grow = servers[large]["peak_mb"] - servers[small]["peak_mb"]
    found.append(
        (f"mock server peak RSS at {large:,} within 30 MB of {small:,}", grow <= 30, f"+{grow:.1f} MB")
    )
    return found


def write(
    rows: list[dict[str, Any]],
    servers: dict[int, dict[str, float]],
    held: list[tuple[str, bool, str]],
    machine: dict[str, Any],
) -> str:
    folder = RESULTS / machine["set"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(
        json.dumps({"machine": machine, "rows": rows, "servers": servers, "targets": held}, indent=2) + "\n"
    )
    lines = [
        f"Machine: {machine['cores']} cores, Python {machine['python']}, ijson backend "
        f"`{machine['ijson_backend']}`, {machine['platform']}. Best of {machine['repeat']} fresh-process "
        "runs per contender (the generated client at 1M: one); client and mock server share the cores.",
        "",
        "| contender | events | events/s | x floor | first event (s) | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    floors = {r["n"]: r["events_per_s"] for r in rows if r["contender"] == "httpx_ijson"}
    for row in rows:
        lines.append(
            f"| {LABELS[row['contender']]} | {row['n']:,} | {row['events_per_s']:,.0f} | "
            f"{row['events_per_s'] / floors[row['n']]:.2f} | {row['first_event_s']:.3f} | "
            f"{row['peak_rss_mb']:.1f} |"
        )
    lines += [
        "",
        "| mock server streaming | body (MB) | idle RSS (MB) | peak RSS (MB) |",
        "|---|---:|---:|---:|",
    ]
    for n, server in servers.items():
        lines.append(
            f"| {n:,} events | {server['body_mb']:.1f} | {server['idle_mb']:.1f} | {server['peak_mb']:.1f} |"
        )
    lines += ["", "| target | holds | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in held]
    table = "\n".join(lines) + "\n"
    (folder / "results.md").write_text(table)
    plot(rows, folder)
    return table


def plot(rows: list[dict[str, Any]], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (speed, memory) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name in CONTENDERS:
        points = sorted((r["n"], r["events_per_s"], r["peak_rss_mb"]) for r in rows if r["contender"] == name)
        speed.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=LABELS[name])
        memory.plot([p[0] for p in points], [p[2] for p in points], marker="o", label=LABELS[name])
    for axis, title in ((speed, "events per second"), (memory, "client peak RSS (MB)")):
        axis.set_xscale("log")
        axis.set_xlabel("events in the answer")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
    memory.set_yscale("log")
    speed.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "bench.png", dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=list(SIZES), default="quick")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; the best is kept")
    parser.add_argument("--events-inprocess", type=int, default=30_000, help="events of the in-process run")
    parser.add_argument("--rounds-inprocess", type=int, default=9, help="rounds of the in-process run")
    args = parser.parse_args()
    machine = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "ijson_backend": ijson.backend,
        "repeat": args.repeat,
        "platform": platform.platform(terse=True),
        "set": args.set,
    }
    rows: list[dict[str, Any]] = []
    servers: dict[int, dict[str, float]] = {}
    for n in SIZES[args.set]:
        print(f"bench: {n:,} events: starting the mock ...", flush=True)
        mock = Mock(n)
        try:
            servers[n] = server_peak_while_streaming(mock)
            for name in CONTENDERS:
                repeat = 1 if name == "generated" and n > 100_000 else args.repeat
                row = run_contender(name, mock, repeat)
                assert row["events"] == n, f"{name} read {row['events']} of {n} events"
                rows.append({**row, "n": n})
                print(
                    f"bench:   {LABELS[name]:<40} {row['events_per_s']:>10,.0f} events/s  "
                    f"first {row['first_event_s']:.3f}s  peak {row['peak_rss_mb']:.1f} MB",
                    flush=True,
                )
        finally:
            mock.stop()
    held = targets(rows, servers)
    print()
    print(write(rows, servers, held, machine))
    run_fanout(args.set, machine)
    run_reactivities(args.set, machine)
    # decoding without the server on the cores: the figures the decoding targets are read from
    print(f"bench: in-process decoding, {args.events_inprocess:,} events ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(HERE / "inprocess.py"),
            "--events",
            str(args.events_inprocess),
            "--rounds",
            str(args.rounds_inprocess),
        ],
        check=True,
    )
    return 0


def run_fanout(name: str, machine: dict[str, Any]) -> None:
    """bench/fanout.py: many contacts under a rate limit, and an incremental pair of loads."""
    import fanout

    fanout.main(RESULTS / name, f"Machine: {machine['cores']} cores, Python {machine['python']}.")


def run_reactivities(name: str, machine: dict[str, Any]) -> None:
    """bench/reactivities.py: a whole account's daily load, reactivities against one request a contact."""
    import reactivities

    reactivities.main(RESULTS / name, f"{machine['cores']} cores, Python {machine['python']}")


if __name__ == "__main__":
    sys.exit(main())
