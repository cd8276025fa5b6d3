"""The mock's wider operations (actions, notifications, display, reactivities), over a real socket.

What each operation should answer is worked out here from the stored events alone (their
bodies: the item, contact and channel each names), not from the mock's own columns, so a
mock that joins or filters wrongly disagrees with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis.strategies as st
import pytest
from hypothesis import given, settings
from np6_mock import MockServer, Store

UNDETAILED = {"creation", "modification", "impression", "suppression", "optout", "complaint"}
REACTIONS = {"bounce", "hit", "reply"} | UNDETAILED


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as client:
        yield client


def _contact_of(detail: dict[str, Any]) -> str | None:
    for part in (detail.get("execution"), detail.get("activation")):
        if not isinstance(part, dict):
            continue
        for name in ("recipient", "receiver"):
            receiver = part.get(name)
            if not isinstance(receiver, dict):
                continue
            if receiver.get("type") == "footprint":
                return str(receiver["id"])
            value = receiver.get("value")
            return str(value["id"]) if isinstance(value, dict) else str(value)
    return None


class Model:
    """Every stored event, with what the pages say it belongs to, read from its body."""

    def __init__(self, store: Store) -> None:
        with store.connect() as db:
            bodies = [json.loads(body) for (body,) in db.execute("SELECT body FROM every_event")]
        self.rows: list[dict[str, Any]] = []
        activations: dict[tuple[str, str], list[int]] = {}
        for event in bodies:
            source = event["source"]
            detail = source.get("detail", {})
            if source["type"] == "display":
                item = detail["content"]["id"]
            else:
                item = str((detail.get("execution") or detail.get("activation"))["id"])
            row = {"event": event, "channel": source["type"], "item": item, "contact": _contact_of(detail)}
            self.rows.append(row)
            if event["type"] == "activation" and row["contact"] is not None:
                activations.setdefault((item, row["contact"]), []).append(event["timestamp"])
        for row in self.rows:
            # the activation reacted to: the latest of the same item for the same contact, not after it
            earlier = [
                t
                for t in activations.get((row["item"], row["contact"] or ""), [])
                if t <= row["event"]["timestamp"]
            ]
            row["activated"] = max(earlier) if earlier and row["event"]["type"] in REACTIONS else None

    def ids(self, **where: Any) -> set[str]:
        """Ids of the events whose row matches every ``where`` (a value, or a predicate)."""
        return {
            row["event"]["id"]
            for row in self.rows
            if all(test(row[k]) if callable(test) else row[k] == test for k, test in where.items())
        }


def of_kind(name: str, subtype: str | None = None) -> Any:
    """A predicate on an event: of this kind (and, for a hit, of this link type)."""
    return lambda event: (
        event["type"] == name
        and (subtype is None or event["source"]["detail"].get("link", {}).get("type") == subtype)
    )


@pytest.fixture(scope="module")
def model(store: Store) -> Model:
    return Model(store)


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    events = response.json()
    found = {e["id"] for e in events}
    assert len(found) == len(events)
    return found


def _busiest(model: Model, channel: str) -> str:
    counts: dict[str, int] = {}
    for row in model.rows:
        if row["channel"] == channel:
            counts[row["item"]] = counts.get(row["item"], 0) + 1
    return max(sorted(counts), key=lambda item: counts[item])


ACTIONS = ("email", "sms")
not_robot = lambda event: event["source"]["detail"].get("client", {}).get("type") != "robot"  # noqa: E731


@pytest.mark.parametrize(
    ("suffix", "kind", "subtype"),
    [
        ("events/activations", "activation", None),
        ("events/cancellations", "cancellation", None),
        ("events/bounces", "bounce", None),
        ("events/hits/mirror", "hit", "mirror"),
    ],
)
def test_an_actions_events_are_its_own_of_the_kind_asked(
    http: httpx.Client, model: Model, suffix: str, kind: str, subtype: str | None
) -> None:
    action = _busiest(model, "email")
    expected = model.ids(item=action, event=of_kind(kind, subtype))
    if subtype is not None:  # hits by robots are left out unless classification names them
        robots = expected
        expected = {i for i in expected if i in model.ids(event=not_robot)}
        assert (
            _ids(http.get(f"/actions/{action}/{suffix}", params={"classification": "mpp,gsr,genericrobot"}))
            == robots
        )
    assert expected
    assert _ids(http.get(f"/actions/{action}/{suffix}")) == expected
    assert http.get(f"/actions/NO-SUCH-ACTION/{suffix}").status_code == 404
    # a notification is not an action
    assert http.get(f"/actions/{_busiest(model, 'notification')}/{suffix}").status_code == 404


@pytest.mark.parametrize(
    ("suffix", "kind"),
    [
        ("events/executions", "execution"),
        ("events/cancellations", "cancellation"),
        ("events/activations", "activation"),
    ],
)
def test_a_notifications_events_are_its_own_and_its_id_an_int32(
    http: httpx.Client, model: Model, suffix: str, kind: str
) -> None:
    notification = _busiest(model, "notification")
    expected = model.ids(item=notification, channel="notification", event=of_kind(kind))
    assert expected
    got = http.get(f"/notifications/{notification}/{suffix}", params={"sort": "asc"})
    assert _ids(got) == expected
    assert all(
        isinstance(e["source"]["detail"].get("activation", e["source"]["detail"].get("execution"))["id"], int)
        for e in got.json()
    )
    assert http.get(f"/notifications/2147483647/{suffix}").status_code == 404
    for wrong in ("abc", "2147483648", "-1", "1.5"):
        response = http.get(f"/notifications/{wrong}/{suffix}")
        assert response.status_code == 400, wrong
        assert "notification id" in response.json()["detail"]


def test_display_activations_all_and_by_content(http: httpx.Client, model: Model) -> None:
    everything = model.ids(channel="display", event=of_kind("activation"))
    assert everything
    assert _ids(http.get("/display/events/activations")) == everything
    content = _busiest(model, "display")
    assert _ids(http.get(f"/display/content/{content}/events/activations")) == model.ids(
        item=content, channel="display"
    )
    assert http.get("/display/content/NO-SUCH/events/activations").status_code == 404


def test_a_contacts_open_hits_leave_robots_out_unless_asked(http: httpx.Client, model: Model) -> None:
    opens = of_kind("hit", "open")
    robots = {r["contact"] for r in model.rows if opens(r["event"]) and not not_robot(r["event"])}
    contact = sorted(c for c in robots if c)[0]
    everything = model.ids(contact=contact, channel=lambda c: c != "display", event=opens)
    human = everything & model.ids(event=not_robot)
    assert human != everything
    assert _ids(http.get(f"/targets/{contact}/events/hits/open")) == human
    assert (
        _ids(
            http.get(
                f"/targets/{contact}/events/hits/open", params={"classification": "mpp,gsr,genericrobot"}
            )
        )
        == everything
    )
    assert http.get("/targets/NO-SUCH/events/hits/open").status_code == 404


# every reactivity operation: its path, the channels of its scope, the kind it answers
REACTIVITIES = [
    ("/actions/reactivities", ACTIONS, lambda e: e["type"] in REACTIONS, False),
    ("/actions/reactivities/bounces", ACTIONS, lambda e: e["type"] == "bounce", False),
    ("/actions/reactivities/hits/open", ACTIONS, of_kind("hit", "open"), False),
    ("/actions/reactivities/hits/mirror", ACTIONS, of_kind("hit", "mirror"), False),
    ("/actions/{id}/reactivities/hits/redirection", ACTIONS, of_kind("hit", "redirection"), True),
    ("/actions/{id}/reactivities/hits/unsubscribe", ACTIONS, of_kind("hit", "unsubscribe"), True),
    ("/notifications/reactivities", ("notification",), lambda e: e["type"] in REACTIONS, False),
    ("/notifications/reactivities/hits", ("notification",), lambda e: e["type"] == "hit", False),
    ("/notifications/reactivities/bounces", ("notification",), lambda e: e["type"] == "bounce", False),
    ("/notifications/{id}/reactivities/optouts", ("notification",), lambda e: e["type"] == "optout", True),
]


def _reactivity_path(model: Model, path: str, channels: tuple[str, ...]) -> tuple[str, Any]:
    if "{id}" not in path:
        return path, lambda item: True
    item = _busiest(model, channels[0])
    return path.replace("{id}", item), item


@pytest.mark.parametrize(
    ("path", "channels", "kind", "by_id"), REACTIVITIES, ids=[r[0] for r in REACTIVITIES]
)
def test_each_reactivity_answers_the_reactions_of_its_scope_joined_to_their_activation(
    http: httpx.Client, model: Model, path: str, channels: tuple[str, ...], kind: Any, by_id: bool
) -> None:
    url, item = _reactivity_path(model, path, channels)
    expected = model.ids(
        channel=lambda c: c in channels, item=item, event=kind, activated=lambda a: a is not None
    )
    assert expected, path
    got = http.get(url, params={"sort": "desc"})
    assert _ids(got) == expected
    stamps = [e["timestamp"] for e in got.json()]
    assert stamps == sorted(stamps, reverse=True)
    for event in got.json():
        # every reaction carries the activation it reacts to
        assert "activation" in event["source"]["detail"]
    if by_id:
        unknown = "2147483647" if "notifications" in path else "NO-SUCH-ACTION"
        assert http.get(path.replace("{id}", unknown)).status_code == 404


@given(data=st.data())
@settings(max_examples=30)
def test_both_reactivity_windows_and_sort_hold_for_any_windows(
    http: httpx.Client, model: Model, data: st.DataObject
) -> None:
    path, channels, kind, _ = data.draw(st.sampled_from([REACTIVITIES[0], REACTIVITIES[6]]))
    rows = [
        r for r in model.rows if r["channel"] in channels and kind(r["event"]) and r["activated"] is not None
    ]
    reacted = sorted(r["event"]["timestamp"] for r in rows)
    activated = sorted(r["activated"] for r in rows)

    def bound(stamps: list[int]) -> st.SearchStrategy[int | None]:
        return st.none() | st.sampled_from(stamps) | st.integers(stamps[0] - 10, stamps[-1] + 10)

    windows = {
        "activationStart": data.draw(bound(activated)),
        "activationEnd": data.draw(bound(activated)),
        "reactivityStart": data.draw(bound(reacted)),
        "reactivityEnd": data.draw(bound(reacted)),
    }
    sort = data.draw(st.sampled_from([None, "asc", "desc"]))
    params = {k: str(v) for k, v in windows.items() if v is not None}
    if sort:
        params["sort"] = sort

    def inside(value: int, lower: int | None, upper: int | None) -> bool:
        return (lower is None or value >= lower) and (upper is None or value < upper)

    expected = {
        r["event"]["id"]
        for r in rows
        if inside(r["activated"], windows["activationStart"], windows["activationEnd"])
        and inside(r["event"]["timestamp"], windows["reactivityStart"], windows["reactivityEnd"])
    }
    got = http.get(path, params=params)
    assert _ids(got) == expected
    if sort:
        stamps = [e["timestamp"] for e in got.json()]
        assert stamps == sorted(stamps, reverse=sort == "desc")


WIDER_PATHS = [
    "/targets/{contact}/events/hits/open",
    "/actions/{action}/events/activations",
    "/actions/{action}/events/cancellations",
    "/actions/{action}/events/bounces",
    "/actions/{action}/events/hits/mirror",
    "/actions/reactivities",
    "/actions/reactivities/bounces",
    "/actions/reactivities/hits/open",
    "/actions/reactivities/hits/mirror",
    "/actions/{action}/reactivities/hits/redirection",
    "/actions/{action}/reactivities/hits/unsubscribe",
    "/notifications/{notification}/events/executions",
    "/notifications/{notification}/events/cancellations",
    "/notifications/{notification}/events/activations",
    "/notifications/reactivities",
    "/notifications/reactivities/hits",
    "/notifications/reactivities/bounces",
    "/notifications/{notification}/reactivities/optouts",
    "/display/events/activations",
    "/display/content/{content}/events/activations",
]


@pytest.mark.parametrize("template", WIDER_PATHS)
def test_every_wider_operation_refuses_no_key_and_bad_parameters(
    server: MockServer, model: Model, sample: dict[str, Any], template: str
) -> None:
    path = template.format(
        contact=sample["contact"]["id"],
        action=_busiest(model, "email"),
        notification=_busiest(model, "notification"),
        content=_busiest(model, "display"),
    )
    with httpx.Client(base_url=server.base_url) as anonymous:
        assert anonymous.get(path).status_code == 401
        assert anonymous.get(path, headers={"X-Key": "wrong"}).status_code == 401
    with httpx.Client(base_url=server.base_url, headers={"X-Key": server.api_key}) as http:
        assert http.get(path).status_code == 200
        bounds = ("reactivityStart", "activationEnd") if "/reactivities" in path else ("start", "end")
        for params in (
            {"sort": "sideways"},
            {bounds[0]: "yesterday"},
            {bounds[1]: "2024-13-01"},
            {"sort": ["asc", "desc"]},
        ):
            response = http.get(path, params=params)
            assert response.status_code == 400, (params, response.text)
            assert response.headers["content-type"] == "application/problem+json"
