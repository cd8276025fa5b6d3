"""Writing a conformance :class:`~np6._conformance.Outcome`: plain text, Markdown, JUnit.

The text goes to stdout for people and CI logs, the Markdown to a CI job summary, and
the JUnit file, when schemathesis never ran (bad invocation, refused key, unreachable
server), holds one errored test case so that CI still shows why.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._conformance import OperationSummary, Outcome

__all__ = ["render_markdown", "render_text", "write_junit_error"]


def _statuses(op: OperationSummary) -> str:
    parts = [f"{status}: {count}" for status, count in op.statuses.items()]
    if op.unanswered:
        parts.append(f"no answer: {op.unanswered}")
    return ", ".join(parts) or "-"


def render_text(outcome: Outcome) -> str:
    """The per-operation summary and the verdict, for stdout."""
    lines = [f"np6 conformance: {outcome.base_url or '(no server)'}"]
    if outcome.window is not None:
        lines.append(f"window: {outcome.window.describe()}")
    if outcome.operations:
        width = max(len(op.operation) for op in outcome.operations)
        lines.append("")
        lines.append(f"{'operation':<{width}}  {'cases':>5}  {'failures':>8}  statuses")
        for op in outcome.operations:
            lines.append(f"{op.operation:<{width}}  {op.cases:>5}  {len(op.failures):>8}  {_statuses(op)}")
    for op in outcome.operations:
        for failure in op.failures:
            lines += ["", f"FAILED {op.operation}: {failure.check}"]
            if failure.curl:
                lines.append(f"  reproduce: {failure.curl}")
    if outcome.code != 1:
        for op in outcome.inconclusive:
            lines += ["", f"NOT CHECKED {op.operation}: never answered 2xx; {op.hint()}"]
            lines += [f"  schemathesis error: {error}" for error in op.errors]
    lines += ["", f"verdict: {outcome.verdict} (exit {outcome.code}): {outcome.reason}"]
    return "\n".join(lines) + "\n"


def render_markdown(outcome: Outcome) -> str:
    """The same report as Markdown, for a CI job summary."""
    icon = {0: "✅", 1: "❌"}.get(outcome.code, "⚠️")
    lines = [
        f"## {icon} NP6 conformance: {outcome.verdict} (exit {outcome.code})",
        "",
        f"Server `{outcome.base_url}`: {outcome.reason}.",
    ]
    if outcome.window is not None:
        lines += ["", f"Window: {outcome.window.describe()}."]
    if outcome.operations:
        lines += ["", "| Operation | Cases | Statuses | Failures |", "|---|---:|---|---:|"]
        for op in outcome.operations:
            lines.append(f"| `{op.operation}` | {op.cases} | {_statuses(op)} | {len(op.failures)} |")
    failures = [(op, failure) for op in outcome.operations for failure in op.failures]
    if failures:
        lines += ["", "### Failed checks"]
        for op, failure in failures:
            lines += ["", f"- `{op.operation}`: {failure.check}"]
            if failure.curl:
                lines += ["", "  ```sh", f"  {failure.curl}", "  ```"]
    if outcome.code != 1 and outcome.inconclusive:
        lines += ["", "### Not checked"]
        lines += [f"- `{op.operation}` never answered 2xx: {op.hint()}" for op in outcome.inconclusive]
    return "\n".join(lines) + "\n"


def write_junit_error(outcome: Outcome, path: Path) -> None:
    """A JUnit file with one errored case saying why no test ran."""
    suites = ET.Element("testsuites", tests="1", errors="1", failures="0")
    suite = ET.SubElement(suites, "testsuite", name="np6 conformance", tests="1", errors="1", failures="0")
    case = ET.SubElement(suite, "testcase", name="np6 conformance", classname="np6._conformance")
    error = ET.SubElement(case, "error", message=f"{outcome.verdict} (exit {outcome.code})")
    error.text = outcome.reason
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
