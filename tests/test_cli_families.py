"""``np6 action-events``, ``notification-events``, ``reactivities``, ``display-events`` and
``np6 events --kind open-hits``, through the real entry point, against the mock on a real socket."""

from __future__ import annotations

import csv
import inspect
import io
from pathlib import Path
from typing import Any

import np6
import pytest
from np6_mock import MockServer, Store
from test_cli import jsonl, served
from test_cli import np6 as run


@pytest.fixture(scope="module")
def manifest(store: Store) -> dict[str, Any]:
    return store.manifest()


def _first(manifest: dict[str, Any], family: str) -> Any:
    found = manifest[family]
    assert found, f"the mock's data set has no {family}"
    return found[0]["id"]


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("activations", "/actions/{id}/events/activations"),
        ("cancellations", "/actions/{id}/events/cancellations"),
        ("bounces", "/actions/{id}/events/bounces"),
        ("mirror-hits", "/actions/{id}/events/hits/mirror"),
        ("mirror_hits", "/actions/{id}/events/hits/mirror"),
    ],
)
def test_action_events_of_each_kind_are_what_the_server_sent(
    server: MockServer, manifest: dict[str, Any], kind: str, path: str
) -> None:
    action = _first(manifest, "actions")
    result = run("action-events", action, "--kind", kind, "--sort", "asc", server=server)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout) == served(server, path.format(id=action), sort="asc")


@pytest.mark.parametrize("kind", ["executions", "cancellations", "activations"])
def test_notification_events_of_each_kind_are_what_the_server_sent(
    server: MockServer, manifest: dict[str, Any], kind: str
) -> None:
    notification = _first(manifest, "notifications")
    result = run("notification-events", str(notification), "--kind", kind, "--sort", "desc", server=server)
    assert result.returncode == 0, result.stderr
    expected = served(server, f"/notifications/{notification}/events/{kind}", sort="desc")
    assert jsonl(result.stdout) == expected


WINDOWS = ["--activation-start", "2000-01-01", "--reactivity-end", "2100-01-01"]
SENT_WINDOWS = {"activationStart": "2000-01-01T00:00:00+00:00", "reactivityEnd": "2100-01-01T00:00:00+00:00"}


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        (["--channel", "email"], "/actions/reactivities"),
        (["--channel", "email", "--kind", "bounces"], "/actions/reactivities/bounces"),
        (["--channel", "email", "--kind", "open-hits"], "/actions/reactivities/hits/open"),
        (["--channel", "email", "--kind", "mirror-hits"], "/actions/reactivities/hits/mirror"),
        (
            ["--channel", "email", "--action", "{action}", "--kind", "redirection-hits"],
            "/actions/{action}/reactivities/hits/redirection",
        ),
        (
            ["--channel", "email", "--action", "{action}", "--kind", "unsubscribe-hits"],
            "/actions/{action}/reactivities/hits/unsubscribe",
        ),
        (["--channel", "notification"], "/notifications/reactivities"),
        (["--channel", "notification", "--kind", "hits"], "/notifications/reactivities/hits"),
        (["--channel", "notification", "--kind", "bounces"], "/notifications/reactivities/bounces"),
        (
            ["--channel", "notification", "--notification", "{notification}", "--kind", "optouts"],
            "/notifications/{notification}/reactivities/optouts",
        ),
    ],
)
def test_reactivities_of_each_scope_and_kind_are_what_the_server_sent(
    server: MockServer, manifest: dict[str, Any], arguments: list[str], path: str
) -> None:
    ids = {"action": _first(manifest, "actions"), "notification": _first(manifest, "notifications")}
    filled = [argument.format(**ids) for argument in arguments]
    result = run("reactivities", *filled, *WINDOWS, "--sort", "asc", server=server)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout) == served(server, path.format(**ids), sort="asc", **SENT_WINDOWS)


def test_display_events_of_every_content_and_of_one(server: MockServer, manifest: dict[str, Any]) -> None:
    result = run("display-events", "--sort", "asc", server=server)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout) == served(server, "/display/events/activations", sort="asc")
    content = _first(manifest, "contents")
    result = run("display-events", "--content", content, "--sort", "asc", server=server)
    assert result.returncode == 0, result.stderr
    assert jsonl(result.stdout) == served(
        server, f"/display/content/{content}/events/activations", sort="asc"
    )


def test_events_kind_open_hits(server: MockServer, sample: dict[str, Any]) -> None:
    contact = sample["contact"]["id"]
    result = run("events", "--id", contact, "--kind", "open-hits", "--classification", "mpp", server=server)
    assert result.returncode == 0, result.stderr
    expected = served(server, f"/targets/{contact}/events/hits/open", classification="mpp")
    assert jsonl(result.stdout) == expected


def test_output_file_and_csv_as_for_the_other_commands(
    server: MockServer, manifest: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "reactions.csv"
    result = run("reactivities", "--channel", "email", "--format", "csv", "-o", str(out), server=server)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [e["id"] for e in served(server, "/actions/reactivities")]


@pytest.mark.parametrize(
    ("arguments", "status", "said"),
    [
        (
            ["action-events", "{action}", "--kind", "clicks"],
            2,
            "kind must be one of activations, cancellations, bounces, mirror-hits, got 'clicks'",
        ),
        (["notification-events", "\u00b9", "--kind", "executions"], 2, "a notification id is a whole number"),
        (["notification-events", "\u0663", "--kind", "executions"], 2, "a notification id is a whole number"),
        (
            ["action-events", "{action}", "--kind", "bounces", "--classification", "mpp"],
            2,
            "--kind mirror-hits only",
        ),
        (["action-events", "no-such-action", "--kind", "bounces"], 4, "404"),
        (["notification-events", "abc", "--kind", "executions"], 2, "a notification id is a whole number"),
        (
            ["reactivities", "--channel", "email", "--kind", "optouts"],
            2,
            "kinds for every action: None (every kind)",
        ),
        (
            ["reactivities", "--channel", "email", "--action", "{action}"],
            2,
            "'redirection_hits', 'unsubscribe_hits'",
        ),
        (
            ["reactivities", "--channel", "notification", "--action", "{action}"],
            2,
            "--action goes with --channel email",
        ),
        (
            ["reactivities", "--channel", "email", "--notification", "3"],
            2,
            "--notification goes with --channel notification",
        ),
        (
            [
                "reactivities",
                "--channel",
                "email",
                "--reactivity-start",
                "2024-02-01",
                "--reactivity-end",
                "2024-01-01",
            ],
            2,
            "reactivity_start (2024-02-01",
        ),
    ],
)
def test_errors_are_one_line_with_the_status_naming_their_cause(
    server: MockServer, manifest: dict[str, Any], arguments: list[str], status: int, said: str
) -> None:
    action = _first(manifest, "actions")
    result = run(*[a.format(action=action) for a in arguments], server=server)
    assert result.returncode == status, result.stderr
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_commands_kinds_are_the_namespaces_methods() -> None:
    from np6._cli.families import ACTION_KINDS, NOTIFICATION_KINDS

    def methods(cls: type) -> set[str]:
        return {n for n, f in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}

    assert set(ACTION_KINDS) == methods(np6.Actions) - {"reactivities", "many"}
    assert set(NOTIFICATION_KINDS) == methods(np6.Notifications) - {"reactivities", "many"}
