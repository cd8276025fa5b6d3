"""``np6-maint spec diff``: one spec pair per rule, the levels, the formats, ``git:REV`` and ``--fail-on``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import NP6_MAINT
from np6_maint.cli import main
from np6_maint.specdiff import diff, load_source

PAIRS = Path(__file__).parent / "data" / "specs" / "diff"
BASE = PAIRS / "base.yaml"
ROOT = Path(__file__).resolve().parents[1]

# rule -> (level, words of the change), checked against base.yaml -> <rule>.yaml
RULES = {
    "operation-removed": ("breaking", "POST /things/query", "operation removed"),
    "operation-added": ("non-breaking", "DELETE /things", "operation added"),
    "parameter-removed": ("breaking", "GET /things", "query parameter 'limit' removed"),
    "required-parameter-added": ("breaking", "GET /things", "required query parameter 'owner' added"),
    "optional-parameter-added": ("non-breaking", "GET /things", "optional query parameter 'owner' added"),
    "parameter-now-required": ("breaking", "GET /things", "'limit' is now required"),
    "request-enum-value-removed": ("breaking", "GET /things", "value 'desc' removed"),
    "request-enum-value-added": ("non-breaking", "GET /things", "value 'relevance' added"),
    "parameter-type-narrowed": ("breaking", "GET /things", "type integer -> integer(int32)"),
    "parameter-type-widened": ("non-breaking", "GET /things", "type integer -> integer | string"),
    "request-bound-tightened": ("breaking", "GET /things", "maximum 100 -> 10"),
    "required-request-property-added": ("breaking", "POST /things/query", "channel: now required"),
    "request-body-now-optional": ("non-breaking", "POST /things/query", "request body is now optional"),
    "response-property-removed": ("breaking", "GET /things", "property 'link' removed"),
    "response-property-now-optional": ("breaking", "GET /things", ".id: now optional"),
    "response-enum-value-added": ("breaking", "GET /things", "value 'scanner' added"),
    "response-event-kind-added": ("informational", "GET /things", "new kind 'reply' in a response union"),
    "response-event-kind-removed": ("non-breaking", "GET /things", "alternative kind 'bounce' removed"),
    "success-status-removed": ("breaking", "GET /things", "response 200 removed"),
    "error-status-removed": ("informational", "GET /things", "response 404 removed"),
    "version-changed": ("informational", None, "API version 1.0.0 -> 1.1.0"),
}


def test_every_pair_has_a_rule() -> None:
    assert {p.stem for p in PAIRS.glob("*.yaml")} - {"base"} == set(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_gives_its_level(rule: str) -> None:
    level, operation, words = RULES[rule]
    changes = diff(load_source(str(BASE)), load_source(str(PAIRS / f"{rule}.yaml")))
    matching = [c for c in changes if words in c.message and c.operation == operation]
    assert matching, changes
    assert {c.level for c in matching} == {level}
    # one change, nothing else reported at a more severe level
    assert all(c.level == level or "response 201 added" in c.message for c in changes)


def test_a_spec_against_itself_has_no_change() -> None:
    spec = load_source(str(ROOT / "openapi" / "np6-events.yaml"))
    assert diff(spec, spec) == []


def test_fail_on_breaking_exits_1_only_for_breaking(capsys: pytest.CaptureFixture[str]) -> None:
    breaking = str(PAIRS / "parameter-removed.yaml")
    informational = str(PAIRS / "response-event-kind-added.yaml")
    assert main(["spec", "diff", str(BASE), breaking, "--fail-on", "breaking"]) == 1
    assert main(["spec", "diff", str(BASE), informational, "--fail-on", "breaking"]) == 0
    assert main(["spec", "diff", str(BASE), informational, "--fail-on", "informational"]) == 1
    assert main(["spec", "diff", str(BASE), breaking]) == 0
    capsys.readouterr()


def test_markdown_is_a_changelog_entry(capsys: pytest.CaptureFixture[str]) -> None:
    main(["spec", "diff", str(BASE), str(PAIRS / "response-event-kind-added.yaml"), "--format", "markdown"])
    out = capsys.readouterr().out
    assert out.startswith("### API changes")
    assert "#### Informational" in out and "#### Breaking changes" not in out
    assert "- `GET /things`: response 200[]: new kind 'reply'" in out


def test_json_lists_levels(capsys: pytest.CaptureFixture[str]) -> None:
    main(["spec", "diff", str(BASE), str(PAIRS / "operation-removed.yaml"), "--format", "json"])
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert changes == [
        {"level": "breaking", "operation": "POST /things/query", "change": "operation removed"}
    ]


def test_git_revision_reads_the_spec_at_that_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    spec = tmp_path / "openapi" / "np6-events.yaml"
    spec.parent.mkdir()
    spec.write_bytes(BASE.read_bytes())
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    spec.write_bytes((PAIRS / "operation-removed.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["spec", "diff", "git:HEAD", str(spec), "--fail-on", "breaking"]) == 1
    assert "operation removed" in capsys.readouterr().out
    assert main(["spec", "diff", "git:no-such-rev", str(spec)]) == 2
    assert "git:no-such-rev" in capsys.readouterr().err


def test_an_unreadable_spec_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("- a list, not a spec\n")
    assert main(["spec", "diff", str(BASE), str(tmp_path / "bad.yaml")]) == 2
    assert main(["spec", "diff", str(BASE), str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "missing.yaml" in err


@pytest.mark.parametrize(
    ("path", "value", "commands"),
    [
        (["components", "schemas", "SmsSource", "required", 0], {"type": 5}, ("spec", "docs")),
        (["components", "schemas", "Ipv4", "properties"], "{", ("spec", "docs")),
        # spec diff reads these as a real change (a kind gone); only docs check has to walk them
        (["components", "schemas", "Source", "oneOf", 2, "$ref"], {"a": 1}, ("docs",)),
        (["components", "schemas", "OpenLink", "properties", "source", "type"], {"$ref": 3}, ("docs",)),
    ],
)
def test_a_malformed_spec_is_exit_2_naming_it_never_a_diff_or_a_crash(
    tmp_path: Path, path: list[Any], value: Any, commands: tuple[str, ...]
) -> None:
    import yaml
    from np6.spec import load_spec

    spec = load_spec()
    node: Any = spec
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(spec), encoding="utf-8")
    pages = sorted((Path(__file__).parent / "data" / "pages" / "seeds").glob("*.txt"))
    runs = {
        "spec": ["spec", "diff", str(broken), "openapi/np6-events.yaml"],
        "docs": ["docs", "check", "--spec", str(broken), *map(str, pages)],
    }
    for args in (runs[command] for command in commands):
        result = subprocess.run(
            [NP6_MAINT, *args], capture_output=True, text=True, check=False, cwd=ROOT, timeout=120
        )
        assert result.returncode == 2, (args[:2], result.stdout[-500:], result.stderr)
        assert "not a well-formed OpenAPI spec" in result.stderr or "broken.yaml" in result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
