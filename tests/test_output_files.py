"""``-o FILE`` never harms another file (issue 24, item 1): real processes, real files, a real full disk.

Each test runs the ``np6`` command against a :class:`RawServer` on 127.0.0.1 and looks
at what is on disk afterwards.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import NP6, RawServer, http_response

KEY = "zq-Files-Secret-9f8e7d6c5b"


def events(prefix: str, count: int, pad: int = 0) -> list[dict[str, Any]]:
    return [
        {"type": "hit", "id": f"{prefix}{n}", "timestamp": 1_700_000_000_000 + n, "note": "x" * pad}
        for n in range(count)
    ]


def lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def np6(
    server: RawServer, *args: str, umask: int = 0o022, limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    def child() -> None:
        os.umask(umask)
        if limit is not None:
            # the kernel's own file size limit: writes past it fail (EFBIG) like a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {"PATH": str(Path(sys.executable).parent), "NP6_API_KEY": KEY, "NP6_BASE_URL": server.base_url}
    return subprocess.run(
        [NP6, *args], capture_output=True, text=True, env=env, check=False, timeout=120, preexec_fn=child
    )


@pytest.fixture
def raw() -> Any:
    with RawServer() as server:
        yield server


def serve(server: RawServer, body: list[Any]) -> None:
    server.script = lambda request, index: [http_response(body=json.dumps(body).encode())]


def test_a_link_planted_at_the_old_partial_name_is_never_followed(raw: RawServer, tmp_path: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n")
    out = tmp_path / "events.jsonl"
    (tmp_path / "events.jsonl.partial").symlink_to(victim)
    other = tmp_path / "other"
    other.write_text("keep me\n")
    serve(raw, events("e", 5))
    result = np6(raw, "events", "--id", "c1", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert lines(out) == events("e", 5)
    # a link at FILE itself is replaced by the export, never written through
    out.unlink()
    out.symlink_to(other)
    result = np6(raw, "events", "--id", "c1", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert other.read_text() == "keep me\n"
    assert not out.is_symlink() and lines(out) == events("e", 5)
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["bashrc", "events.jsonl", "events.jsonl.partial", "other"]


def test_concurrent_exports_to_one_file_leave_one_of_them_whole(raw: RawServer, tmp_path: Path) -> None:
    first, second = events("a", 400, pad=40), events("b", 150, pad=7)
    bodies = {b"id=a": json.dumps(first).encode(), b"id=b": json.dumps(second).encode()}
    both_asked = threading.Barrier(2, timeout=60)

    def script(request: bytes, index: int) -> list[Any]:
        body = next(body for marker, body in bodies.items() if marker in request.split(b"\r\n")[0])
        # both runs are mid-export at once: each has its output open before the other finishes
        both_asked.wait()
        response = http_response(body=body)
        half = len(response) // 2
        return [response[:half], 0.3, response[half:]]

    raw.script = script
    out = tmp_path / "events.jsonl"
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    runs = [
        threading.Thread(
            target=lambda who=who: results.update({who: np6(raw, "events", "--id", who, "-o", str(out))})
        )
        for who in ("a", "b")
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert results["a"].returncode == 0, results["a"].stderr
    assert results["b"].returncode == 0, results["b"].stderr
    assert lines(out) in (first, second)
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]


@pytest.mark.parametrize("existing", [0o600, 0o640, None])
def test_an_existing_files_mode_is_kept_and_a_new_file_is_private(
    raw: RawServer, tmp_path: Path, existing: int | None
) -> None:
    out = tmp_path / "events.jsonl"
    if existing is not None:
        out.write_text("older\n")
        out.chmod(existing)
    serve(raw, events("e", 3))
    result = np6(raw, "events", "--id", "c1", "-o", str(out), umask=0o022)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == (0o600 if existing is None else existing)
    assert lines(out) == events("e", 3)


# (main's wording, "the N events that arrived are in PATH", is read too: its count is what is judged)
_NOTE = re.compile(
    r"the (?:first )?([\d,]+) events (?:that arrived )?are in (\S+?),?(?: each whole)?; (\S+) was not written"
)


def _check_partial(
    result: subprocess.CompletedProcess[str], folder: Path, out: Path, sent: list[Any]
) -> None:
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    note = _NOTE.search(result.stderr)
    assert note is not None, result.stderr
    count = int(note.group(1).replace(",", ""))
    partial = folder / Path(note.group(2)).name
    assert note.group(3).endswith(out.name)
    assert not (folder / out.name).exists()
    text = partial.read_text(encoding="utf-8")
    # only what reached the file, and each event whole: no line cut in half
    assert text.endswith("\n")
    assert 0 < count < len(sent)
    assert [json.loads(line) for line in text.splitlines()] == sent[:count]


def test_a_file_size_limit_counts_only_the_events_that_reached_the_file_whole(
    raw: RawServer, tmp_path: Path
) -> None:
    sent = events("e", 3000, pad=30)
    serve(raw, sent)
    out = tmp_path / "events.jsonl"
    result = np6(raw, "events", "--id", "c1", "-o", str(out), limit=100_000)
    assert "File too large" in result.stderr
    _check_partial(result, tmp_path, out, sent)


def _can_mount_tmpfs(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{folder}'"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_full_disk_counts_only_the_events_that_reached_the_file_whole(
    raw: RawServer, tmp_path: Path
) -> None:
    small, copy = tmp_path / "small", tmp_path / "copy"
    small.mkdir()
    copy.mkdir()
    if not _can_mount_tmpfs(small):
        pytest.skip("no user namespace to mount a small tmpfs in (unshare -rm)")
    sent = events("e", 3000, pad=30)
    serve(raw, sent)
    out = small / "events.jsonl"
    # a 64 KiB tmpfs of a mount namespace of its own: a real ENOSPC; its files are copied out after
    script = (
        f"mount -t tmpfs -o size=64k tmpfs '{small}' && "
        f"\"$NP6\" events --id c1 -o '{out}'; code=$?; cp -a '{small}'/. '{copy}'/; exit $code"
    )
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "NP6_API_KEY": KEY,
        "NP6_BASE_URL": raw.base_url,
        "NP6": NP6,
    }
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert "No space left on device" in result.stderr
    _check_partial(result, copy, out, sent)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("{tmp}", "-o {tmp}: is a folder"),
        ("{tmp}/", "-o {tmp}/: is a folder"),
        ("{tmp}/nothing/", "-o {tmp}/nothing/: names a folder (it ends with /)"),
        ("/nonexistent/dir/x.jsonl", "-o /nonexistent/dir/x.jsonl: no such folder: /nonexistent/dir"),
        ("{tmp}/file/x.jsonl", "-o {tmp}/file/x.jsonl: not a folder: {tmp}/file"),
        ("missing/dir/x.jsonl", "-o missing/dir/x.jsonl: no such folder: missing/dir"),
        ("{tmp}/pipe", "-o {tmp}/pipe: not a regular file"),
    ],
)
def test_an_output_path_that_cannot_be_a_file_is_a_usage_error_before_any_request(
    raw: RawServer, tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "file").write_text("")
    # a pipe of the test's own, not a device: a regressed np6 run as root would replace /dev/null
    os.mkfifo(tmp_path / "pipe")
    serve(raw, events("e", 1))
    given = where.format(tmp=tmp_path)
    result = np6(raw, "events", "--id", "c1", "-o", given)
    assert result.returncode == 2, result.stderr
    assert message.format(tmp=tmp_path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert raw.requests == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "pipe"]
