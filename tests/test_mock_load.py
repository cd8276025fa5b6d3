"""``np6 mock --load`` reads back what np6 writes: every channel, campaigns named, an exact round trip."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import ANCHOR, NP6
from np6_mock import MockServer, Store

KEY = "np6-roundtrip-key"
ROBOTS = "genericrobot,mpp,gsr"


class Mock:
    """``np6 mock`` in its own process on a free port, its banner read, its key from the environment."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "NP6_MOCK_API_KEY": KEY}
        self.process = subprocess.Popen(
            [NP6, "mock", "--port", "0", *args], stderr=subprocess.PIPE, text=True, env=env
        )
        assert self.process.stderr is not None
        self.banner: list[str] = []
        while not self.banner or not self.banner[-1].endswith("Ctrl-C to stop"):
            line = self.process.stderr.readline()
            assert line, "\n".join(self.banner)
            self.banner.append(line.rstrip("\n"))
        found = re.search(r"serving (http://\S+)", self.banner[0])
        assert found, self.banner
        self.base_url = found.group(1)
        self.http = httpx.Client(base_url=self.base_url, headers={"X-Key": KEY}, timeout=60)

    def close(self) -> None:
        self.http.close()
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=30) == 0

    def __enter__(self) -> Mock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture(scope="module")
def original() -> Iterator[MockServer]:
    """The default data set (``np6 mock`` with no option), anchored so that every run sees the same."""
    store = Store.generated(anchor=ANCHOR)
    with MockServer(store, api_key=KEY) as server:
        yield server
    store.close()


def export(server: MockServer | Mock, *args: str, cwd: Path) -> None:
    """Run ``np6 ARGS`` against ``server``; the command writes where ``-o`` says."""
    env = {**os.environ, "NP6_BASE_URL": server.base_url, "NP6_API_KEY": KEY}
    done = subprocess.run(
        [NP6, *args, "-q"], env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr


def canonical(response: httpx.Response) -> tuple[int, list[str]]:
    """The status and the events of an answer, as a sorted list (NP6 promises no order)."""
    if response.status_code != 200:
        return response.status_code, []
    return 200, sorted(json.dumps(event, sort_keys=True) for event in response.json())


def contact_requests(contact: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    """Every contact operation, by every selector it accepts, with and without robots."""
    by_id, found = contact["id"], []
    for path in ("", "/activations", "/bounces"):
        found.append(("GET", f"/targets/{by_id}/events{path}", {}))
    for robots in ({}, {"classification": ROBOTS}):
        found.append(("GET", f"/targets/{by_id}/events/hits/form", robots))
        for selector in ("id", "unicity", "hash"):
            found.append(("GET", "/targets/events/hits", {selector: contact[selector], **robots}))
    for selector in ("id", "unicity"):
        found.append(("GET", "/targets/events", {selector: contact[selector]}))
        found.append(("GET", "/targets/events/responses/stop", {selector: contact[selector]}))
    return found


def campaign_requests(campaign: str, items: list[dict[str, str]]) -> list[tuple[str, str, Any]]:
    """The whole campaign, and each item's events of each kind."""
    found: list[tuple[str, str, Any]] = [("POST", f"/campaigns/{campaign}/events", None)]
    for item in items:
        for kind in ({"type": "execution"}, {"type": "activation"}, {"type": "hit"}, {"type": "bounce"}):
            body = {"itemsEvents": [{"type": item["channel"], "events": [kind], "items": [item["id"]]}]}
            found.append(("POST", f"/campaigns/{campaign}/items/events", body))
    return found


def answers(base_url: str, requests: list[tuple[str, str, Any]]) -> dict[str, tuple[int, list[str]]]:
    with httpx.Client(base_url=base_url, headers={"X-Key": KEY}, timeout=60) as http:
        return {
            f"{method} {path} {json.dumps(params)}": canonical(
                http.get(path, params=params) if method == "GET" else http.post(path, json=params)
            )
            for method, path, params in requests
        }


def test_every_contact_and_the_campaign_exported_then_loaded_answer_exactly_the_same(
    original: MockServer, tmp_path: Path
) -> None:
    served = original.app.state.store.manifest()
    contacts = served["contacts"]
    campaign = original.app.state.store.sample()["campaign"]
    items = next(c["items"] for c in served["campaigns"] if c["id"] == campaign)
    (tmp_path / "ids.txt").write_text("\n".join(c["id"] for c in contacts) + "\n", encoding="utf-8")
    export(original, "events", "--id-file", "ids.txt", "--sort", "asc", "-o", "contacts.jsonl", cwd=tmp_path)
    export(original, "campaign-events", campaign, "--sort", "asc", "-o", "campaign.jsonl", cwd=tmp_path)

    asked = [r for c in contacts for r in contact_requests(c)] + campaign_requests(campaign, items)
    before = answers(original.base_url, asked)
    # the data set's contacts all have events of every selector's kind: the comparison has teeth
    assert sum(1 for status, events in before.values() if status == 200 and events) > len(contacts) * 5
    loads = ["--load", str(tmp_path / "contacts.jsonl")]
    loads += ["--load", f"{campaign}={tmp_path / 'campaign.jsonl'}"]
    with Mock(*loads) as loaded:
        # the other campaigns, exported only with their contacts, are named after their items
        notes = [line for line in loaded.banner if "names no campaign" in line]
        assert len(notes) == 1 and "contacts.jsonl" in notes[0] and f"{campaign}A" not in notes[0], notes
        after = answers(loaded.base_url, asked)
        unknown = loaded.http.get("/targets/events", params={"id": "NOBODY00"}).status_code
    differ = [request for request in asked if before[_key(request)] != after[_key(request)]]
    assert not differ, f"{len(differ)} answers differ, the first: {differ[0]}"
    assert unknown == 404


def _key(request: tuple[str, str, Any]) -> str:
    method, path, params = request
    return f"{method} {path} {json.dumps(params)}"


def test_a_contacts_export_loaded_back_keeps_its_events_of_every_channel(
    original: MockServer, tmp_path: Path
) -> None:
    store = original.app.state.store
    with store.connect() as db:
        # a contact with push notifications and text messages, whose receivers are not footprints
        contact = db.execute(
            "SELECT contact_id FROM events GROUP BY contact_id HAVING count(DISTINCT channel) = 3 "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        channels = dict(
            db.execute("SELECT channel, count(*) FROM events WHERE contact_id = ? GROUP BY 1", (contact,))
        )
    export(original, "events", "--id", contact, "-o", "contact.jsonl", cwd=tmp_path)
    with Mock("--load", str(tmp_path / "contact.jsonl")) as loaded:
        events = loaded.http.get(f"/targets/{contact}/events").json()
    assert {c: sum(1 for e in events if e["source"]["type"] == c) for c in channels} == channels


def test_a_campaign_export_is_served_under_the_name_given_and_a_plain_load_says_how_it_named_it(
    original: MockServer, tmp_path: Path
) -> None:
    campaign = original.app.state.store.sample()["campaign"]
    export(original, "campaign-events", campaign, "-o", "campaign.jsonl", cwd=tmp_path)
    url = f"{original.base_url}/campaigns/{campaign}/events"
    exported = canonical(httpx.post(url, headers={"X-Key": KEY}))
    with Mock("--load", f"{campaign}={tmp_path / 'campaign.jsonl'}") as named:
        assert f"campaign {campaign}" in "\n".join(named.banner)
        export(named, "campaign-events", campaign, "-o", "again.jsonl", cwd=tmp_path)
        assert not any("names no campaign" in line for line in named.banner)
    again = (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.dumps(json.loads(line), sort_keys=True) for line in again) == exported[1]

    with Mock("--load", str(tmp_path / "campaign.jsonl")) as plain:
        note = next(line for line in plain.banner if "names no campaign" in line)
        assert f"{campaign}A0" in note and f"--load CAMPAIGN={tmp_path / 'campaign.jsonl'}" in note
        assert plain.http.post(f"/campaigns/{campaign}A0/events").status_code == 200


def test_an_event_given_twice_is_served_once_in_each_campaign_named_for_it(tmp_path: Path) -> None:
    event = {
        "type": "execution",
        "id": "e-1",
        "timestamp": 1706000000000,
        "source": {
            "type": "sms",
            "detail": {"execution": {"id": "IT1", "recipient": {"type": "id", "value": "CONTACT1"}}},
        },
    }
    other = {**event, "timestamp": 1706000000001}  # another event that only shares the id
    (tmp_path / "a.jsonl").write_text(f"{json.dumps(event)}\n{json.dumps(other)}\n", encoding="utf-8")
    named = {"event": event, "campaign": "CAMP"}
    (tmp_path / "b.jsonl").write_text(json.dumps(named) + "\n", encoding="utf-8")

    def served(*sources: tuple[str | None, Path]) -> tuple[list[tuple[str, int]], list[str]]:
        store = Store.from_files(sources)
        try:
            with store.connect() as db:
                rows = db.execute("SELECT campaign_id, timestamp FROM events ORDER BY 1, 2").fetchall()
            return [tuple(row) for row in rows], store.notes
        finally:
            store.close()

    rows, notes = served((None, tmp_path / "a.jsonl"), (None, tmp_path / "b.jsonl"))
    assert rows == [("CAMP", 1706000000000), ("IT1", 1706000000001)]
    assert notes[0] == "1 copies of events given more than once (same id, same event) left out"
    assert "a.jsonl names no campaign: each item stands for its own campaign (IT1)" in notes[1]
    rows, _ = served(("C1", tmp_path / "a.jsonl"), ("C2", tmp_path / "a.jsonl"), (None, tmp_path / "b.jsonl"))
    assert [campaign for campaign, _ in rows] == ["C1", "C1", "C2", "C2", "CAMP"]


def test_an_event_no_operation_would_serve_is_refused_by_line(tmp_path: Path) -> None:
    source = tmp_path / "orphans.jsonl"
    source.write_text('{"type": "hit", "id": "h", "timestamp": 1, "source": {"type": "email"}}\n')
    result = subprocess.run(
        [NP6, "mock", "--port", "0", "--load", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "serving" not in result.stderr and "internal error" not in result.stderr
    assert "orphans.jsonl:1: neither a contact id nor a campaign item" in result.stderr
