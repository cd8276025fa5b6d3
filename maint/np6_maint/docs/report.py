"""Sorting differences into acknowledged and not, and writing them as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from .acknowledged import Acknowledgement
from .check import Difference

__all__ = ["FORMATS", "Report", "reconcile", "render"]

FORMATS = ("text", "json", "markdown")


@dataclass
class Report:
    """The outcome of a check."""

    differences: list[Difference] = field(default_factory=list)
    """Differences no acknowledgement covers."""
    acknowledged: list[tuple[Difference, Acknowledgement]] = field(default_factory=list)
    unused: list[Acknowledgement] = field(default_factory=list)
    """Acknowledgements that matched nothing (the pages no longer show what they accept)."""

    @property
    def exit_code(self) -> int:
        """0 when every difference is acknowledged, 1 otherwise."""
        return 1 if self.differences else 0


def reconcile(differences: Iterable[Difference], acknowledgements: Iterable[Acknowledgement]) -> Report:
    """Split ``differences`` by whether an acknowledgement accepts them."""
    entries = list(acknowledgements)
    used: set[int] = set()
    report = Report()
    for difference in differences:
        match = next((i for i, entry in enumerate(entries) if entry.accepts(difference)), None)
        if match is None:
            report.differences.append(difference)
        else:
            used.add(match)
            report.acknowledged.append((difference, entries[match]))
    report.unused = [entry for i, entry in enumerate(entries) if i not in used]
    return report


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    if fmt == "json":
        return _json(report)
    if fmt == "markdown":
        return _markdown(report)
    return _text(report)


def _json(report: Report) -> str:
    document = {
        "differences": [d.as_json() for d in report.differences],
        "acknowledged": [{**d.as_json(), "decisions": list(a.decisions)} for d, a in report.acknowledged],
        "unused_acknowledgements": [
            {"decisions": list(a.decisions), "kind": a.kind, "documented": a.documented}
            for a in report.unused
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _line(difference: Difference) -> str:
    where = f"{difference.page}: " if difference.page else ""
    parameter = f" [{difference.parameter}]" if difference.parameter else ""
    return f"{where}{difference.kind}: {difference.operation}{parameter}: {difference.detail}"


def _text(report: Report) -> str:
    lines = [_line(d) for d in report.differences]
    decisions = sorted({n for _, a in report.acknowledged for n in a.decisions})
    lines.append(
        f"{len(report.differences)} unacknowledged difference(s), {len(report.acknowledged)} acknowledged"
        + (f" (DECISIONS.md {', '.join(f'#{n}' for n in decisions)})" if decisions else "")
    )
    lines += [
        f"note: acknowledgement of {a.kind} {a.documented!r} (DECISIONS.md "
        f"{', '.join(f'#{n}' for n in a.decisions)}) matched nothing"
        for a in report.unused
    ]
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report) -> str:
    lines = ["## NP6 reference pages against the spec", ""]
    if report.differences:
        lines += ["| kind | operation | parameter | detail | page |", "|---|---|---|---|---|"]
        lines += [
            f"| {_cell(d.kind)} | `{_cell(d.operation)}` | {_cell(d.parameter)} | {_cell(d.detail)} "
            f"| {_cell(d.page)} |"
            for d in report.differences
        ]
    else:
        lines.append("No unacknowledged difference.")
    if report.acknowledged:
        lines += ["", f"{len(report.acknowledged)} acknowledged:", ""]
        lines += [
            f"- `{_cell(d.operation)}` {_cell(d.parameter)}: {d.kind} "
            f"(DECISIONS.md {', '.join(f'#{n}' for n in a.decisions)})"
            for d, a in report.acknowledged
        ]
    return "\n".join(lines) + "\n"
