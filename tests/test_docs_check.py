"""``np6-maint docs check``: the page parser on both layouts, the comparison, acknowledgements, exit codes."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import np6
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from np6.spec import load_spec
from np6_maint.cli import main
from np6_maint.docs.check import check
from np6_maint.docs.pages import UnreadablePageError, parse_page, read_page
from np6_maint.docs.specmodel import operations

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
SEEDS = sorted((PAGES / "seeds").glob("*.txt"))
# pages of the wider reference (issue 27), written from ../shared/reference/np6-wider-events.md
# in its three renderings (clean, dash, markdown): see tests/data/pages/wider/README.md
WIDER = sorted((PAGES / "wider").glob("*.txt"))
ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["docs", "check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def seeds_with(change: str) -> list[str]:
    """The five seed pages and the wider ones, with the changed copy in place of its original."""
    (changed,) = (PAGES / change).glob("*.txt")
    return [str(changed if page.name == changed.name else page) for page in SEEDS + WIDER]


# --- the parser ----------------------------------------------------------------------


def test_the_table_layout_gives_names_types_formats_required_and_enums() -> None:
    page = read_page(SEEDS[2])
    assert [(op.method, op.path, op.selector) for op in page.operations] == [
        ("GET", "/targets/events/hits", ("id",)),
        ("GET", "/targets/events/hits", ("unicity",)),
        ("GET", "/targets/events/hits", ("hash",)),
    ]
    params = {p.name: p for p in page.operations[0].parameters}
    assert (params["id"].location, params["id"].type, params["id"].required) == ("query", "string", True)
    assert (params["start"].type, params["start"].required) == ("string(date-time)", False)
    assert params["sort"].enum == ("asc", "desc")
    assert params["classification"].enum == ()
    assert (params["X-Key"].location, params["X-Key"].required) == ("header", True)
    (sample,) = page.operations[0].response_samples
    assert sample.value[0]["timestamp"] == 0


def test_the_compact_layout_gives_paths_selectors_curl_parameters_and_samples() -> None:
    page = read_page(SEEDS[4])
    assert [op.label for op in page.operations] == [
        "POST /campaigns/{id}/events",
        "POST /campaigns/{id}/items/events",
    ]
    first = page.operations[0]
    params = {p.name: p for p in first.parameters}
    assert (params["id"].location, params["id"].required) == ("path", True)
    # a curl placeholder tells the type, nothing tells required-ness or an enumeration
    assert (params["start"].type, params["start"].required, params["start"].enum) == (
        "string(date-time)",
        None,
        None,
    )
    assert (params["sort"].type, params["sort"].sample) == (None, "asc")
    (body,) = first.request_samples
    assert body.value["itemsEvents"][0]["items"] == ["actionId1", "actionId2"]
    (response,) = first.response_samples
    assert [event["type"] for event in response.value] == ["execution", "activation", "hit"]
    stop = read_page(SEEDS[3])
    assert [(op.path, op.selector) for op in stop.operations] == [
        ("/targets/events/responses/stop", ("id",)),
        ("/targets/events/responses/stop", ("unicity",)),
    ]


def test_crlf_and_lf_pages_read_the_same() -> None:
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert parse_page(text.replace("\n", "\r\n"), "x") == parse_page(text, "x")


def test_a_cut_curl_sample_is_an_unreadable_operation_not_a_crash() -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    page = parse_page(text[: text.index("-d '{") + 10], "cut")
    assert page.operations[-1].problem is not None
    assert "unterminated" in page.operations[-1].problem


def _wider(name: str) -> Path:
    (page,) = [p for p in WIDER if p.name.startswith(name)]
    return page


def test_the_clean_rendering_reads_tables_server_line_and_a_flattened_curl_as_one_operation() -> None:
    (operation,) = read_page(_wider("notificationevent_1d8e516a")).operations
    assert operation.problem is None
    assert operation.label == "GET /notifications/{id}/events/activations"
    params = {p.name: p for p in operation.parameters}
    assert (params["id"].location, params["id"].type, params["id"].required) == (
        "path",
        "integer(int32)",
        True,
    )
    assert (params["start"].type, params["start"].required) == ("string(date-time)", False)
    assert params["sort"].enum == ("asc", "desc")
    # the curl's continuations were flattened to a backslash and a blank: its header is still read
    assert (params["X-Key"].location, params["X-Key"].sample) == ("header", "string")
    (reactivities,) = read_page(_wider("actionreactivity_3f6e7981")).operations
    assert [p.name for p in reactivities.parameters if p.location == "query"] == [
        "activationStart",
        "activationEnd",
        "reactivityStart",
        "reactivityEnd",
        "sort",
    ]


def test_the_dash_rendering_credits_what_it_shows_to_the_path_of_its_curl_not_the_title() -> None:
    page = _wider("actionevent_74ff1a3a")
    assert "Retrieve cancellations of the specified action" in page.read_text(encoding="utf-8")
    (operation,) = read_page(page).operations
    assert operation.label == "GET /actions/{id}/events/activations"
    (sample,) = operation.response_samples
    assert sample.value[0]["type"] == "activation"
    # a page whose own operation follows the previous one's gives both
    both = read_page(_wider("notificationevent_38248d3a")).operations
    assert [op.label for op in both] == [
        "GET /notifications/{id}/events/executions",
        "GET /notifications/{id}/events/cancellations",
    ]


def test_the_markdown_rendering_gives_endpoint_types_required_and_enums() -> None:
    (operation,) = read_page(_wider("contactevent_f3a88ba9.md")).operations
    assert operation.label == "GET /targets/{id}/events/hits/open"
    params = {(p.location, p.name): p for p in operation.parameters}
    assert (params["path", "id"].type, params["path", "id"].required) == ("string", True)
    assert (params["query", "start"].type, params["query", "start"].required) == ("string", False)
    assert params["query", "sort"].enum == ("asc", "desc")
    assert params["query", "classification"].enum == ()
    assert params["header", "X-Key"].required is True
    # the response fields are not parameters
    assert ("query", "timestamp") not in params and ("query", "id") not in params


@pytest.mark.parametrize(
    ("page", "old", "new", "expected"),
    [
        (
            "contactevent_f3a88ba9.md",
            "  - `classification` (string)",
            "  - `limit` (integer)",
            {
                ("parameter-not-in-spec", "GET /targets/{id}/events/hits/open", "limit"),
                ("parameter-not-in-pages", "GET /targets/{id}/events/hits/open", "classification"),
            },
        ),
        (
            "notificationevent_1d8e516a",
            "idinteger(int32)required",
            "idstringrequired",
            {("parameter-type", "GET /notifications/{id}/events/activations", "id")},
        ),
        (
            "actionreactivity_9b89e862",
            "&sort=asc' \\",
            "&sort=asc&limit=10' \\",
            {("parameter-not-in-spec", "GET /actions/{id}/reactivities/hits/unsubscribe", "limit")},
        ),
        (
            "actionreactivity_0487d5b8",
            "/actions/reactivities/hits/mirror",
            "/actions/reactivities/hits/form",
            {
                ("operation-not-in-spec", "GET /actions/reactivities/hits/form", None),
                ("operation-not-in-pages", "GET /actions/reactivities/hits/mirror", None),
            },
        ),
    ],
)
def test_a_change_on_a_wider_page_is_reported_like_on_a_seed_page(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    page: str,
    old: str,
    new: str,
    expected: set[tuple[str, str, str | None]],
) -> None:
    original = _wider(page)
    text = original.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / original.name
    changed.write_text(text.replace(old, new), encoding="utf-8")
    pages = [str(changed if p.name == changed.name else p) for p in SEEDS + WIDER]
    code, out, _ = run(capsys, *pages, "--format", "json")
    assert code == 1
    found = {(d["kind"], d["operation"], d["parameter"]) for d in json.loads(out)["differences"]}
    assert found == expected


# --- the check -----------------------------------------------------------------------


def test_the_seed_pages_as_they_are_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *map(str, SEEDS + WIDER), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["differences"] == []
    decisions = {n for entry in report["acknowledged"] for n in entry["decisions"]}
    assert decisions == {1, 2, 7, 12, 13, 35, 37, 42}


def test_the_seed_pages_alone_miss_every_wider_operation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *map(str, SEEDS), "--format", "json")
    assert code == 1
    missing = {d["operation"] for d in json.loads(out)["differences"]}
    assert {d["kind"] for d in json.loads(out)["differences"]} == {"operation-not-in-pages"}
    assert len(missing) == 20 and "GET /actions/reactivities" in missing


EXPECTED = {
    "new-query-parameter": ("parameter-not-in-spec", "GET /targets/{id}/events/hits/form", "limit"),
    "removed-parameter": ("parameter-not-in-pages", "GET /targets/{id}/events/hits/form", "classification"),
    "new-operation": ("operation-not-in-spec", "GET /targets/{id}/events/opens", None),
    "new-method": ("operation-not-in-spec", "DELETE /campaigns/{id}/events", None),
    "new-enum-value": ("parameter-enum", "GET /targets/events/hits", "sort"),
    "changed-type": ("parameter-type", "GET /targets/events/hits", "hash"),
    "response-sample-invalid": ("response-sample-rejected", "POST /campaigns/{id}/events", "$[0].timestamp"),
    "renamed-body-field": (
        "request-sample-rejected",
        "POST /campaigns/{id}/events",
        "$.itemsEvents[0].events[0]",
    ),
}


@pytest.mark.parametrize("change", sorted(EXPECTED))
def test_each_deliberate_change_is_the_one_difference_reported(
    capsys: pytest.CaptureFixture[str], change: str
) -> None:
    code, out, _ = run(capsys, *seeds_with(change), "--format", "json")
    report = json.loads(out)
    assert code == 1
    found = [(d["kind"], d["operation"], d["parameter"]) for d in report["differences"]]
    assert found == [EXPECTED[change]]
    # the text form says the same on one line
    code, text, _ = run(capsys, *seeds_with(change))
    (line,) = [line for line in text.splitlines() if EXPECTED[change][0] + ":" in line]
    assert EXPECTED[change][1] in line


def test_the_new_method_names_the_method_the_spec_has(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *seeds_with("new-method"), "--format", "json")
    assert "known path" in json.loads(out)["differences"][0]["detail"]
    assert "POST" in json.loads(out)["differences"][0]["detail"]


def test_crlf_pages_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert b"\r\n" in next((PAGES / "crlf").glob("*.txt")).read_bytes()
    assert run(capsys, *seeds_with("crlf"))[0] == 0


def test_a_changed_documented_value_is_reported_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decision 7 accepts `string(date-time)`; a page saying `string(date)` is a new difference."""
    text = SEEDS[2].read_text(encoding="utf-8").replace("startstring(date-time)", "startstring(date)", 1)
    page = tmp_path / SEEDS[2].name
    page.write_text(text, encoding="utf-8")
    code, out, _ = run(
        capsys, *[str(page if s.name == page.name else s) for s in SEEDS + WIDER], "--format", "json"
    )
    assert code == 1
    (difference,) = json.loads(out)["differences"]
    assert (difference["kind"], difference["parameter"], difference["documented"]) == (
        "parameter-type",
        "start",
        "string(date)",
    )


def test_markdown_lists_the_differences(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *seeds_with("new-query-parameter"), "--format", "markdown")
    assert code == 1
    assert "| parameter-not-in-spec | `GET /targets/{id}/events/hits/form` | limit |" in out


def test_every_acknowledgement_names_a_decision_that_exists() -> None:
    decisions = set(map(int, re.findall(r"^\| (\d+) \|", (ROOT / "openapi/DECISIONS.md").read_text(), re.M)))
    entries = yaml.safe_load((ROOT / "openapi/acknowledged.yaml").read_text())["acknowledged"]
    for entry in entries:
        numbers = entry["decision"] if isinstance(entry["decision"], list) else [entry["decision"]]
        assert set(numbers) <= decisions
        assert entry["documented"]


def test_without_acknowledgements_every_decided_difference_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "ack.yaml"
    empty.write_text("acknowledged: []\n")
    code, out, _ = run(capsys, *map(str, SEEDS + WIDER), "--acknowledged", str(empty), "--format", "json")
    assert code == 1
    kinds = {d["kind"] for d in json.loads(out)["differences"]}
    assert kinds == {"parameter-type", "parameter-required", "response-sample-rejected"}


# --- exploded object selectors -----------------------------------------------------------


def test_an_exploded_oneof_selector_reads_as_its_separate_parameters() -> None:
    pair = DATA / "specs" / "exploded-selectors"
    separate, exploded = (yaml.safe_load((pair / f"{n}.yaml").read_text()) for n in ("separate", "exploded"))

    def shape(spec: dict[str, Any]) -> list[tuple[str, str, bool]]:
        (operation,) = operations(spec)
        return sorted((p.name, p.location, p.required) for p in operation.parameters)

    assert shape(exploded) == shape(separate)
    assert {p.exploded_from for p in operations(exploded)[0].parameters} == {"contact", None}
    page = [read_page(SEEDS[2])]
    assert check(page, exploded) == check(page, separate)


def test_the_shipped_spec_with_exploded_selectors_checks_the_same() -> None:
    spec = load_spec()
    exploded = copy.deepcopy(spec)
    for item in exploded["paths"].values():
        for operation in item.values():
            refs = [p for p in operation.get("parameters", []) if "Query" in p.get("$ref", "")]
            if not refs:
                continue
            names = [spec["components"]["parameters"][r["$ref"].rsplit("/", 1)[1]]["name"] for r in refs]
            operation["parameters"] = [p for p in operation["parameters"] if p not in refs] + [
                {
                    "name": "contact",
                    "in": "query",
                    "style": "form",
                    "explode": True,
                    "schema": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": [n],
                                "properties": {n: {"type": "string", "minLength": 1}},
                            }
                            for n in names
                        ]
                    },
                }
            ]
    pages = [read_page(seed) for seed in SEEDS]
    assert check(pages, exploded) == check(pages, spec)


# --- hostile input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"", "nothing recognisable"),
        (b"just prose\n", "nothing recognisable"),
    ],
)
def test_an_unusable_page_exits_2_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    page = tmp_path / "odd page.txt"
    page.write_bytes(content)
    code, out, err = run(capsys, str(SEEDS[0]), str(page))
    assert (code, out) == (2, "")
    assert "odd page.txt" in err and message in err


def test_a_missing_page_or_spec_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, str(tmp_path / "nope.txt"))[0] == 2
    bad = tmp_path / "spec.yaml"
    bad.write_text("paths: [unclosed\n")
    code, _, err = run(capsys, "--spec", str(bad), str(SEEDS[0]))
    assert code == 2 and "spec.yaml" in err


SPEC = load_spec()


def check_bytes(data: bytes, tmp: Path) -> None:
    """What the command does with one page, short of printing: read, compare."""
    page = tmp / "page.txt"
    page.write_bytes(data)
    try:
        pages = [read_page(page)]
    except UnreadablePageError:
        return
    check(pages, SPEC)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    check_bytes(data, tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=300, deadline=None)
@given(seed=st.sampled_from(SEEDS), cut=st.floats(0, 1), noise=st.text(max_size=40))
def test_truncated_and_spliced_pages_never_raise(
    tmp_path_factory: pytest.TempPathFactory, seed: Path, cut: float, noise: str
) -> None:
    text = seed.read_text(encoding="utf-8")
    at = int(len(text) * cut)
    spliced = text[:at] + noise + text[at : at + int(len(text) * (1 - cut) / 2)]
    check_bytes(spliced.encode(), tmp_path_factory.mktemp("cut"))


@settings(max_examples=20, deadline=None)
@given(data=st.binary(max_size=500) | st.sampled_from(SEEDS).map(lambda s: s.read_bytes()[:777]))
def test_the_command_exits_0_1_or_2_on_anything(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    page = tmp_path_factory.mktemp("cli") / "page.txt"
    page.write_bytes(data)
    assert main(["docs", "check", "--format", "json", str(page)]) in (0, 1, 2)


def test_a_page_of_blanks_is_read_in_bounded_time(tmp_path: Path) -> None:
    """Two overlapping quantifiers once made one long blank line take minutes (26 s for 60,000)."""
    page = tmp_path / "blank.txt"
    page.write_text(" \t" * 1_000_000 + "\n", encoding="utf-8")
    from np6_maint.docs.pages import read_page

    with pytest.raises(np6.Error, match="holds nothing recognisable"):
        read_page(page)
