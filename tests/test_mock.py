"""The mock NP6 server: every filter and error path, over a real socket."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis.strategies as st
import pytest
from helpers import ANCHOR, events_in_db
from hypothesis import given, settings
from np6_mock import MockServer, RateLimiter, Store
from np6_mock.validation import parse_time


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as client:
        yield client


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()]


def test_the_data_set_is_deterministic_and_has_every_kind() -> None:
    first, second, other = (Store.generated(events=800, seed=s, anchor=ANCHOR) for s in (3, 3, 4))
    try:
        assert events_in_db(first) == events_in_db(second)
        assert events_in_db(first) != events_in_db(other)
        kinds = {e["type"] for e in events_in_db(first)}
        assert kinds == {"execution", "cancellation", "activation", "bounce", "hit", "reply"}
        links = {e["source"]["detail"]["link"]["type"] for e in events_in_db(first) if e["type"] == "hit"}
        assert links == {"open", "redirection", "form", "mirror", "unsubscribe"}
    finally:
        for store in (first, second, other):
            store.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "give exactly one of id, unicity to choose the contact; got none"),
        ("?id=a&unicity=b", "got id, unicity"),
        ("?id=", "id: must not be empty"),
        ("?id=a&id=b", "id: given more than once"),
        (
            "?id=a&start=yesterday",
            "start: 'yesterday' is neither an ISO 8601 date-time nor epoch milliseconds",
        ),
        ("?id=a&end=99999999999999999999", "beyond the int64 range"),
        ("?id=a&sort=up", "sort: 'up' is not 'asc' or 'desc'"),
    ],
)
def test_bad_requests_get_a_400_problem(http: httpx.Client, query: str, message: str) -> None:
    response = http.get(f"/targets/events{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]
    assert response.json()["status"] == 400


def test_hits_accept_hash_and_check_classification(http: httpx.Client, sample: dict[str, Any]) -> None:
    assert http.get("/targets/events/hits", params={"hash": sample["contact"]["hash"]}).status_code == 200
    response = http.get("/targets/events/hits", params={"id": "x", "classification": "mpp;gsr"})
    assert response.status_code == 400


def test_the_key_is_checked(server: MockServer) -> None:
    for headers in ({}, {"X-Key": "wrong"}):
        response = httpx.get(f"{server.base_url}/targets/events?id=x", headers=headers)
        assert response.status_code == 401
        assert response.json()["title"] == "Unauthorized"


def test_unknown_contacts_campaigns_and_paths_are_404(http: httpx.Client) -> None:
    assert http.get("/targets/nobody/events").status_code == 404
    assert http.get("/targets/events", params={"unicity": "nobody@example.com"}).status_code == 404
    assert http.post("/campaigns/NOPE/events").status_code == 404
    response = http.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_start_is_inclusive_and_end_exclusive_in_both_formats(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    contact = sample["contact"]["id"]
    events = sorted(events_in_db(store, "contact_id = ?", (contact,)), key=lambda e: e["timestamp"])
    pivot = events[len(events) // 2]["timestamp"]
    iso = "2024-01-01T00:00:00Z"
    assert parse_time("start", iso) == 1704067200000
    at_or_after = {e["id"] for e in events if e["timestamp"] >= pivot}
    before = {e["id"] for e in events if e["timestamp"] < pivot}
    from np6 import ms_to_datetime

    pivot_iso = ms_to_datetime(pivot).isoformat().replace("+00:00", "Z")
    for bound in (str(pivot), pivot_iso):
        assert set(ids(http.get(f"/targets/{contact}/events", params={"start": bound}))) == at_or_after
        assert set(ids(http.get(f"/targets/{contact}/events", params={"end": bound}))) == before


def test_offsets_in_iso_bounds_are_honoured() -> None:
    assert parse_time("start", "2024-01-01T02:00:00+02:00") == parse_time("start", "2024-01-01T00:00:00Z")
    assert parse_time("start", "2024-01-01T00:00:00.5Z") == 1704067200500
    assert parse_time("start", "0000-01-01T00:00:00Z") < 0


def test_sort_orders_by_timestamp(http: httpx.Client, sample: dict[str, Any]) -> None:
    contact = sample["contact"]["id"]
    for sort, reverse in (("asc", False), ("desc", True)):
        stamps = [
            e["timestamp"] for e in http.get(f"/targets/{contact}/events", params={"sort": sort}).json()
        ]
        assert stamps == sorted(stamps, reverse=reverse)


def test_each_kind_operation_answers_its_kind(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    contact = sample["contact"]
    paths = {
        f"/targets/{contact['id']}/events/activations": "type = 'activation'",
        f"/targets/{contact['id']}/events/bounces": "type = 'bounce'",
        f"/targets/{contact['id']}/events/hits/form": "type = 'hit' AND subtype = 'form' AND robot IS NULL",
        f"/targets/events/responses/stop?unicity={contact['unicity']}": "type = 'reply'",
        f"/targets/events/hits?hash={contact['hash']}": "type = 'hit' AND robot IS NULL",
    }
    for path, where in paths.items():
        expected = {e["id"] for e in events_in_db(store, f"contact_id = ? AND {where}", (contact["id"],))}
        assert set(ids(http.get(path))) == expected, path


def test_classification_adds_only_the_named_robots(http: httpx.Client, store: Store) -> None:
    with store.connect() as db:
        (contact,) = db.execute(
            "SELECT contact_id FROM events WHERE robot = 'mpp' GROUP BY contact_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    hits = events_in_db(store, "contact_id = ? AND type = 'hit'", (contact,))
    robots = {e["id"]: e["source"]["detail"]["client"].get("classification") for e in hits}
    human = {i for i, r in robots.items() if r is None}
    assert set(ids(http.get("/targets/events/hits", params={"id": contact}))) == human
    got = set(ids(http.get("/targets/events/hits", params={"id": contact, "classification": "mpp"})))
    assert got == human | {i for i, r in robots.items() if r == "mpp"}


def test_campaign_filters_by_item_kind_and_subtype(
    http: httpx.Client, store: Store, sample: dict[str, Any]
) -> None:
    campaign, (item, *_) = sample["campaign"], sample["email_items"]
    everything = set(ids(http.post(f"/campaigns/{campaign}/events")))
    assert everything == {e["id"] for e in events_in_db(store, "campaign_id = ?", (campaign,))}
    body = {
        "itemsEvents": [
            {
                "type": "email",
                "items": [item],
                "events": [{"type": "bounce"}, {"type": "hit", "subtypes": ["open", "mirror"]}],
            }
        ]
    }
    for path in (f"/campaigns/{campaign}/events", f"/campaigns/{campaign}/items/events"):
        got = set(ids(http.post(path, json=body)))
        expected = {
            e["id"]
            for e in events_in_db(
                store,
                "item_id = ? AND (type = 'bounce' OR (type = 'hit' AND subtype IN ('open', 'mirror')))",
                (item,),
            )
        }
        assert got == expected and got


def test_campaign_bodies_are_validated(http: httpx.Client, sample: dict[str, Any]) -> None:
    campaign = sample["campaign"]
    assert http.post(f"/campaigns/{campaign}/items/events").status_code == 400
    wrong = {
        "itemsEvents": [{"type": "email", "items": ["a"], "events": [{"type": "hit", "subtypes": ["x"]}]}]
    }
    response = http.post(f"/campaigns/{campaign}/events", json=wrong)
    assert response.status_code == 400
    assert "itemsEvents/0/events/0/subtypes/0" in response.json()["detail"]
    response = http.post(
        f"/campaigns/{campaign}/events", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_a_malformed_fault_header_is_a_400(http: httpx.Client) -> None:
    response = http.get("/targets/events?id=x", headers={"X-Np6-Mock-Fault": "explode=1"})
    assert response.status_code == 400
    assert "unknown fault setting 'explode'" in response.json()["detail"]


def test_server_wide_faults_apply_to_every_request(store: Store) -> None:
    with MockServer(store, fault="status=503,retry-after=5") as server:
        response = httpx.get(f"{server.base_url}/targets/events?id=x", headers={"X-Key": server.api_key})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"


def test_load_serves_the_users_own_events(tmp_path: Path, np6_examples: dict[str, Any]) -> None:
    lines = [json.dumps(e) for e in np6_examples["np6MixedEvents"]]
    lines.append(
        json.dumps(
            {
                "event": np6_examples["stopReplies"][0],
                "campaign": "SMS1",
                "contact": {"id": "000R4M0T", "unicity": "example@np6.com"},
            }
        )
    )
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join(lines) + "\n")
    store = Store.from_jsonl(source)
    try:
        with (
            MockServer(store) as server,
            httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as http,
        ):
            assert len(ids(http.get("/targets/000R4M0T/events"))) == 4
            assert ids(http.get("/targets/events/responses/stop", params={"unicity": "example@np6.com"})) == [
                np6_examples["stopReplies"][0]["id"]
            ]
            assert len(ids(http.post("/campaigns/000PE4/events"))) == 3
    finally:
        store.close()


def test_a_bad_load_file_names_the_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"event": {"type": "hit", "timestamp": 1}, "contact": {"id": "C1"}}\nnot json\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not JSON"):
        Store.from_jsonl(source)


@given(data=st.data())
@settings(max_examples=30)
def test_bounds_and_sort_hold_for_any_window(
    http: httpx.Client, store: Store, sample: dict[str, Any], data: st.DataObject
) -> None:
    from np6 import ms_to_datetime

    contact = sample["contact"]["id"]
    events = events_in_db(store, "contact_id = ?", (contact,))
    stamps = sorted(e["timestamp"] for e in events)
    start = data.draw(st.none() | st.sampled_from(stamps) | st.integers(stamps[0] - 10, stamps[-1] + 10))
    end = data.draw(st.none() | st.sampled_from(stamps) | st.integers(stamps[0] - 10, stamps[-1] + 10))
    iso = data.draw(st.booleans())
    sort = data.draw(st.sampled_from([None, "asc", "desc"]))

    def form(ms: int) -> str:
        return (
            ms_to_datetime(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z") if iso else str(ms)
        )

    params = {k: form(v) for k, v in (("start", start), ("end", end)) if v is not None}
    if sort:
        params["sort"] = sort
    got = http.get(f"/targets/{contact}/events", params=params).json()
    expected = {
        e["id"]
        for e in events
        if (start is None or e["timestamp"] >= start) and (end is None or e["timestamp"] < end)
    }
    assert {e["id"] for e in got} == expected
    if sort:
        assert [e["timestamp"] for e in got] == sorted((e["timestamp"] for e in got), reverse=sort == "desc")


# --- the data set's dates --------------------------------------------------------------

DAY_MS = 86_400_000


def midnight_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * 1000


def test_moving_the_anchor_moves_every_timestamp_by_whole_days_and_nothing_else() -> None:
    def shifted(events: list[dict[str, Any]], days: int) -> list[dict[str, Any]]:
        text = json.dumps(events)
        for event in events:  # every millisecond value in the body moves by the same amount
            for stamp in re.findall(r'"(?:timestamp|time)": (\d+)', json.dumps(event)):
                text = text.replace(stamp, str(int(stamp) + days * DAY_MS))
        return list(json.loads(text))

    early, late = (Store.generated(events=600, seed=5, anchor=a) for a in (ANCHOR, dt.date(2024, 2, 11)))
    try:
        assert shifted(events_in_db(early), 10) == events_in_db(late)
        end = midnight_ms(ANCHOR)
        stamps = [e["timestamp"] for e in events_in_db(early)]
        assert max(stamps) < end and min(stamps) >= end - 92 * DAY_MS
    finally:
        early.close()
        late.close()


def test_by_default_the_data_set_ends_today_so_the_last_week_shows_events() -> None:
    store = Store.generated(events=2000)
    try:
        now = int(time.time() * 1000)
        today = midnight_ms(dt.datetime.now(dt.UTC).date())
        stamps = [e["timestamp"] for e in events_in_db(store)]
        assert max(stamps) < today <= now  # nothing in the future
        with MockServer(store) as server:
            contact = store.sample()["contact"]["id"]
            result = subprocess.run(
                [NP6, "events", "--id", contact, "--start", "7d", "--format", "jsonl"],
                capture_output=True,
                text=True,
                env={"NP6_BASE_URL": server.base_url, "NP6_API_KEY": server.api_key},
                check=False,
                timeout=120,
            )
        assert result.returncode == 0, result.stderr
        shown = [json.loads(line)["timestamp"] for line in result.stdout.splitlines()]
        assert shown and min(shown) >= now - 7 * DAY_MS - 60_000
    finally:
        store.close()


# --- the rate limit --------------------------------------------------------------------


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_limiter_admits_exactly_n_a_whole_second_and_says_when_the_window_ends() -> None:
    clock = Clock(1_700_000_000.25)
    limiter = RateLimiter(3, clock=clock)
    seen = []
    for _ in range(5):
        admission = limiter.admit("k")
        seen.append((admission.allowed, admission.headers["X-RateLimit-Remaining"]))
        clock.now += 0.1
    assert seen == [(True, "2"), (True, "1"), (True, "0"), (False, "0"), (False, "0")]
    refused = limiter.admit("k")
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Reset"] == "1700000001"
    assert email.utils.parsedate_to_datetime(refused.headers["Retry-After"]).timestamp() == 1_700_000_001
    assert limiter.admit("other key").allowed  # each key has its own count
    clock.now = 1_700_000_001.0  # the window ends on the second: refusals did not count
    assert [limiter.admit("k").allowed for _ in range(4)] == [True, True, True, False]
    assert "Retry-After" not in limiter.admit("other key").headers


@given(gaps=st.lists(st.floats(0, 0.7), min_size=1, max_size=60), limit=st.integers(1, 6))
def test_no_whole_second_ever_admits_more_than_the_limit(gaps: list[float], limit: int) -> None:
    clock = Clock(1_700_000_000.0)
    limiter = RateLimiter(limit, clock=clock)
    admitted: dict[int, int] = {}
    for gap in gaps:
        clock.now += gap
        window = math.floor(clock.now)
        room = admitted.get(window, 0) < limit
        admission = limiter.admit("k")
        admitted[window] = admitted.get(window, 0) + admission.allowed
        assert admission.allowed == room
        assert admission.headers["X-RateLimit-Reset"] == str(window + 1)
        assert int(admission.headers["X-RateLimit-Remaining"]) == limit - admitted[window]
    assert max(admitted.values()) <= limit


def test_a_rate_limited_mock_counts_every_answered_request_over_a_socket(store: Store) -> None:
    limit = 4
    with (
        MockServer(store, rate_limit=limit) as server,
        httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as http,
    ):
        assert "x-ratelimit-limit" not in http.get("/nowhere").headers
        unauthorized = httpx.get(f"{server.base_url}/targets/nobody/events")
        assert unauthorized.status_code == 401 and "x-ratelimit-limit" not in unauthorized.headers
        answers = [http.get("/targets/nobody/events") for _ in range(6 * limit)]
        answers.append(http.get("/targets/events", params={"id": "a", "sort": "up"}))  # a 400
        answers.append(http.post("/campaigns/NOPE/events"))
    windows: dict[str, list[httpx.Response]] = {}
    for answer in answers:
        assert answer.status_code in (400, 404, 429)
        assert answer.headers["x-ratelimit-limit"] == str(limit)
        windows.setdefault(answer.headers["x-ratelimit-reset"], []).append(answer)
    assert any(a.status_code == 429 for a in answers)
    for reset, window in windows.items():
        served = [a for a in window if a.status_code != 429]
        assert [a.headers["x-ratelimit-remaining"] for a in served] == [
            str(limit - n) for n in range(1, len(served) + 1)
        ]
        for refused in (a for a in window if a.status_code == 429):
            assert len(served) == limit  # refused only once the window was full
            assert refused.headers["x-ratelimit-remaining"] == "0"
            assert email.utils.parsedate_to_datetime(refused.headers["retry-after"]).timestamp() == int(reset)
            assert refused.headers["content-type"] == "application/problem+json"


# --- np6 mock: banner, manifest, busy port ---------------------------------------------

NP6 = str(Path(sys.executable).parent / "np6")


class RunningMock:
    """``np6 mock`` in its own process on a free port, its banner read."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [NP6, "mock", "--port", "0", "--api-key", "k-mock", *args], stderr=subprocess.PIPE, text=True
        )
        assert self.process.stderr is not None
        self.banner: list[str] = []
        while not self.banner or not self.banner[-1].endswith("Ctrl-C to stop"):
            line = self.process.stderr.readline()
            assert line, "\n".join(self.banner)
            self.banner.append(line.rstrip("\n"))
        found = re.search(r"serving (http://\S+)", self.banner[0])
        assert found, self.banner
        self.http = httpx.Client(base_url=found.group(1), headers={"X-Key": "k-mock"}, timeout=30)

    def close(self) -> None:
        self.http.close()
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=15) == 0


def suggested(banner: list[str]) -> dict[str, set[str]]:
    """Every id the banner suggests, by what it names."""
    text = "\n".join(banner)
    found: dict[str, set[str]] = {}
    for name in ("id", "unicity", "hash", "campaign"):
        found[name] = set(re.findall(rf"(?<![-\w]){name} (?!\(none\))([^\s,;()]+)", text))
    found["item"] = set(re.findall(r"(\S+) \(email\)", text))
    wider = next((line for line in banner if "; notifications " in line), "")
    found["action"] = set(re.findall(r"(\S+) \[(?:email|sms)\]", wider))
    found["notification"] = (
        set(re.findall(r"\d+", wider.split("notifications ")[1].split(";")[0])) if wider else set()
    )
    found["content"] = (
        set(wider.split("display contents ")[1].split(", ")) if "display contents " in wider else set()
    )
    return found


def assert_every_suggestion_answers(mock: RunningMock) -> dict[str, set[str]]:
    ids = suggested(mock.banner)
    assert ids["id"] and ids["campaign"], mock.banner
    for contact in ids["id"]:
        assert mock.http.get(f"/targets/{contact}/events").status_code == 200, contact
    for selector, path in (("unicity", "/targets/events"), ("hash", "/targets/events/hits")):
        for value in ids[selector]:
            response = mock.http.get(path, params={selector: value})
            assert response.status_code == 200, (selector, value)
    for campaign in ids["campaign"]:
        response = mock.http.post(f"/campaigns/{campaign}/events")
        assert response.status_code == 200 and response.json(), campaign
        for item in ids["item"]:
            body = {"itemsEvents": [{"type": "email", "items": [item], "events": [{"type": "activation"}]}]}
            assert mock.http.post(f"/campaigns/{campaign}/items/events", json=body).status_code == 200
    for action in ids["action"]:
        assert mock.http.get(f"/actions/{action}/events/activations").status_code == 200, action
    for notification in ids["notification"]:
        assert mock.http.get(f"/notifications/{notification}/events/activations").status_code == 200
    for content in ids["content"]:
        assert mock.http.get(f"/display/content/{content}/events/activations").status_code == 200
    return ids


def test_every_id_the_banner_suggests_answers_and_shows_what_it_has(tmp_path: Path) -> None:
    mock = RunningMock("--events", "3000", "--anchor", ANCHOR.isoformat())
    try:
        ids = assert_every_suggestion_answers(mock)
        assert len(ids["id"]) >= 4 and len(ids["hash"]) >= 4
        assert ids["action"] and ids["notification"] and ids["content"], mock.banner
        described = "\n".join(mock.banner)
        for feature in ("bounce", "STOP", "by robots", "form", "hit", "activation"):
            assert feature in described
        # and the events it lists for a contact are those the server has
        line = next(x for x in mock.banner if " bounce" in x and x.startswith("  id "))
        contact = line.split()[1]
        kinds = [e["type"] for e in mock.http.get(f"/targets/{contact}/events").json()]
        assert f"{len(kinds)} events: " in line
        assert f"{kinds.count('bounce')} bounce" in line and f"{kinds.count('hit')} hit" in line
    finally:
        mock.close()


def test_the_banner_of_loaded_events_suggests_only_ids_that_answer(tmp_path: Path) -> None:
    # exported events keep only their item: the item stands for the campaign; an item
    # seen first alone and then in an envelope naming its campaign belongs to both, and
    # a contact's unicity may show only in a later event
    store = Store.generated(events=600, anchor=ANCHOR)
    with MockServer(store) as server:
        exported = httpx.post(
            f"{server.base_url}/campaigns/{store.sample()['campaign']}/events",
            headers={"X-Key": server.api_key},
        ).json()
    store.close()
    # a text message's receiver is a bare id, with no unicity
    sms = next(e for e in exported if e["source"]["type"] == "sms" and "activation" in e["source"]["detail"])
    lines = [json.dumps(sms)]
    lines += [json.dumps(e) for e in exported[:200]]
    lines += [json.dumps({"event": e, "campaign": "CAMP-X"}) for e in exported[200:260]]
    lines.append(
        json.dumps({"event": {**exported[0], "source": {"type": "email", "detail": {}}}, "campaign": "C2"})
    )
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join(lines) + "\n")
    manifest = tmp_path / "manifest.json"
    mock = RunningMock("--load", str(source), "--manifest", str(manifest))
    try:
        assert_every_suggestion_answers(mock)
        listed = json.loads(manifest.read_text())
        for entry in listed["campaigns"]:
            assert mock.http.post(f"/campaigns/{entry['id']}/events").status_code == 200, entry
        assert {"CAMP-X", "C2"} <= {c["id"] for c in listed["campaigns"]}
        by_id = {c["id"]: c for c in listed["contacts"]}
        sms_contact = by_id[sms["source"]["detail"]["activation"]["receiver"]["value"]]
        assert sms_contact["unicity"], sms_contact  # learnt from its other events
        response = mock.http.get("/targets/events", params={"unicity": sms_contact["unicity"]})
        assert response.status_code == 200 and response.json()
    finally:
        mock.close()


def test_the_manifest_lists_everything_served_before_serving(tmp_path: Path) -> None:
    manifest = tmp_path / "served.json"
    mock = RunningMock("--events", "1500", "--contacts", "30", "--manifest", str(manifest))
    try:
        # the banner comes after the manifest: complete JSON at once
        listed = json.loads(manifest.read_text())
        assert [p.name for p in tmp_path.iterdir()] == ["served.json"]  # no temporary file left
        contacts, campaigns = listed["contacts"], listed["campaigns"]
        assert len(contacts) == 30 and len(campaigns) == 3
        for contact in contacts:
            assert set(contact) == {"id", "unicity", "hash"}
            assert mock.http.get(f"/targets/{contact['id']}/events").status_code == 200
            everything = mock.http.get("/targets/events", params={"unicity": contact["unicity"]})
            assert everything.json() == mock.http.get(f"/targets/{contact['id']}/events").json()
            hits = mock.http.get("/targets/events/hits", params={"hash": contact["hash"]})
            assert hits.status_code == 200
            assert hits.json() == mock.http.get("/targets/events/hits", params={"id": contact["id"]}).json()
        for campaign in campaigns:
            events = mock.http.post(f"/campaigns/{campaign['id']}/events").json()
            # a notification's id is an integer in its events (DECISIONS #46), its text in the items
            items = {
                str((e["source"]["detail"].get("execution") or e["source"]["detail"]["activation"])["id"])
                for e in events
            }
            assert items <= {i["id"] for i in campaign["items"]}
            assert {i["channel"] for i in campaign["items"]} == {"email", "sms", "notification"}
        # the wider operations' ids: actions, notifications (integers) and display contents
        actions, notifications = listed["actions"], listed["notifications"]
        assert {a["channel"] for a in actions} == {"email", "sms"}
        assert len(notifications) == 3 and all(isinstance(n["id"], int) for n in notifications)
        assert listed["contents"]
        for action in actions:
            assert mock.http.get(f"/actions/{action['id']}/events/activations").json()
        for notification in notifications:
            assert mock.http.get(f"/notifications/{notification['id']}/events/executions").json()
        for content in listed["contents"]:
            assert mock.http.get(f"/display/content/{content['id']}/events/activations").json()
    finally:
        mock.close()


def test_a_busy_port_is_one_line_naming_it_and_no_serving_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [NP6, "mock", "--port", str(port), "--events", "100000"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr and "serving" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--anchor", "31/01/2024"], "--anchor: '31/01/2024' is not a date such as 2024-01-31"),
        (["--rate-limit", "0"], "--rate-limit: '0': give a whole number of at least 1"),
        (["--load", "events.jsonl", "--anchor", "2024-01-31"], "--anchor dates the generated data set"),
    ],
)
def test_mock_options_are_checked_before_anything_starts(args: list[str], message: str) -> None:
    result = subprocess.run(
        [NP6, "mock", "--port", "0", *args], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert message in result.stderr and "serving" not in result.stderr
