"""Adding an operation of an existing family costs its spec entry and one method, nothing else.

In a scratch copy: two operations the reference names but this spec leaves out (for want
of a page showing their paths) are added to the spec as if a page had shown them, the
client is regenerated from it, and one method is written for the one that is not a
reactivity. Everything else (the request, time bounds, the default kind, ``client.raw``,
``AsyncClient``, resuming a cut ``sort="asc"`` stream on the operation's own bound, the
reactivity kind, ``np6 reactivities --kind``) must follow with no other edit; a local
server records what is sent.
"""

from __future__ import annotations

import copy
import importlib.util
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

METHOD = '''
    def open_hits(self, action_id: str, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Open hits of an action (``GET /actions/{id}/events/hits/open``)."""
        stream: AsyncEventStream[HitT] = self._call(
            "actions.open_hits", get_action_open_hits, options, action_id=action_id
        )
        return stream
'''

CHECK = r"""
import asyncio, io, json, sys
from contextlib import redirect_stdout
from urllib.parse import parse_qs, urlsplit
sys.path.insert(0, sys.argv[1])
from helpers import RawServer, http_response
import np6, np6._cli

def ev(n, ts, kind="hit"):
    found = {"id": f"00000000-0000-4000-8000-{n:012d}", "timestamp": ts}
    if kind:
        found["type"] = kind
    return found

def sent(server, i):
    target = server.requests[i].split(b"\r\n", 1)[0].decode().split(" ")[1]
    parts = urlsplit(target)
    return parts.path, parse_qs(parts.query)

a, b, c = ev(1, 500, None), ev(2, 600, None), ev(3, 700, None)
def cut_then_rest(request, index):
    if index % 2 == 0:
        return [http_response(body=json.dumps([a, b]).encode()[:-1] + b', {"id": "cu', length=False)]
    return [http_response(body=json.dumps([b, c]).encode())]

with RawServer(cut_then_rest) as server, np6.Client("k-0123456789", base_url=server.base_url) as client:
    typed = list(client.actions.open_hits("A1", sort="asc", start="2024-01-01", classification="mpp"))
    assert [type(e).__name__ for e in typed] == ["HitEvent"] * 3, typed
    window = {"start": ["2024-01-01T00:00:00+00:00"], "sort": ["asc"], "classification": ["mpp"]}
    assert sent(server, 0) == ("/actions/A1/events/hits/open", window), sent(server, 0)
    assert sent(server, 1)[1]["start"] == ["600"]
    assert list(client.raw.actions.open_hits("A1", sort="asc")) == [a, b, c]
    try:
        client.actions.open_hits("A1", reactivity_start=1)
    except TypeError:
        pass
    else:
        raise AssertionError("an option the operation lacks was accepted")

    got = list(client.raw.actions.reactivities("mirror_hits", "A1", activation_start=1, sort="asc"))
    assert got == [a, b, c], got
    path, query = sent(server, 4)
    assert path == "/actions/A1/reactivities/hits/mirror" and query["activationStart"] == ["1"], (path, query)
    assert sent(server, 5)[1]["reactivityStart"] == ["600"], sent(server, 5)

    async def from_async():
        async with np6.AsyncClient("k-0123456789", base_url=server.base_url) as aclient:
            return [e async for e in aclient.raw.actions.open_hits("A1", sort="asc")]
    assert asyncio.run(from_async()) == [a, b, c]

    import os
    os.environ.update(NP6_API_KEY="k-0123456789", NP6_BASE_URL=server.base_url)
    out = io.StringIO()
    with redirect_stdout(out):
        status = np6._cli.main(
            ["reactivities", "--channel", "email", "--action", "A1", "--kind", "mirror-hits", "--sort", "asc"]
        )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 0 and lines == [a, b, c], out.getvalue()
print("ok")
"""


def _generate(spec: Path, scratch: Path) -> Path:
    """The generator, run as ``make check-generated`` runs it (its own script)."""
    loaded = importlib.util.spec_from_file_location(
        "check_generated", ROOT / "scripts" / "check_generated.py"
    )
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    out: Path = module._generate(spec, scratch)
    return out


def test_an_operation_added_to_the_spec_costs_its_entry_and_one_method(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi" / "np6-events.yaml").read_text(encoding="utf-8"))
    paths = spec["paths"]
    # the action family's open hits (inferred, not in the reference): a copy of mirror hits
    open_hits = copy.deepcopy(paths["/actions/{id}/events/hits/mirror"])
    open_hits["get"]["operationId"] = "getActionOpenHits"
    open_hits["get"]["summary"] = "Open hits of an action"
    paths["/actions/{id}/events/hits/open"] = open_hits
    # a reactivity of one action (title only in the reference): no method at all
    mirror = copy.deepcopy(paths["/actions/{id}/reactivities/hits/unsubscribe"])
    mirror["get"]["operationId"] = "getOneActionReactivitiesMirrorHits"
    mirror["get"]["summary"] = "Mirror hits of one email action"
    paths["/actions/{id}/reactivities/hits/mirror"] = mirror
    spec_file = tmp_path / "np6-events.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    generated = _generate(spec_file, tmp_path)
    assert (generated / "api" / "action_events" / "get_action_open_hits.py").is_file()

    package = tmp_path / "pkg" / "np6"
    shutil.copytree(
        ROOT / "overrides" / "np6", package, ignore=shutil.ignore_patterns("__pycache__", "_sync")
    )
    # the spec where a wheel ships it: the scratch np6 and the mock (which reads np6's shipped
    # file first) both read the amended spec, from a checkout as from an installed wheel
    shutil.copy(spec_file, package / "np6-events.yaml")
    namespaces = package / "_async" / "namespaces.py"
    source = namespaces.read_text(encoding="utf-8")
    anchor = "\n    def mirror_hits(self, action_id: str"
    assert source.count(anchor) == 1
    # the one method, and the name it calls
    source = source.replace(
        anchor, textwrap.indent(textwrap.dedent(METHOD), "    ").rstrip() + "\n" + anchor, 1
    )
    source = source.replace(
        "    get_action_mirror_hits,\n", "    get_action_mirror_hits,\n    get_action_open_hits,\n", 1
    )
    namespaces.write_text(source, encoding="utf-8")
    loaded = importlib.util.spec_from_file_location("make_sync", ROOT / "scripts" / "make_sync.py")
    assert loaded is not None and loaded.loader is not None
    make_sync = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(make_sync)
    make_sync.generate(package)

    env = {"PYTHONPATH": f"{tmp_path / 'pkg'}:{generated.parent}", "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(ROOT / "tests")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
