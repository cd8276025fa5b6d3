"""``np6-maint spec diff`` output: one line per change, a Markdown changelog entry, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .rules import LEVELS, Change

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "markdown", "json")
_HEADINGS = {
    "breaking": "Breaking changes",
    "non-breaking": "Non-breaking changes",
    "informational": "Informational",
}


def render(changes: Sequence[Change], fmt: str, old: str, new: str) -> str:
    """The changes from ``old`` to ``new`` in ``fmt``, ending with a newline."""
    if fmt == "json":
        rows = [{"level": c.level, "operation": c.operation, "change": c.message} for c in changes]
        return json.dumps({"old": old, "new": new, "changes": rows}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = [f"### API changes ({old} -> {new})", ""]
        if not changes:
            lines.append("No change that affects the client's users.")
        for level in LEVELS:
            chosen = [c for c in changes if c.level == level]
            if chosen:
                lines += [f"#### {_HEADINGS[level]}", ""]
                lines += [f"- {_where(c, '`')}{c.message}" for c in chosen]
                lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = [f"{c.level}: {_where(c, '')}{c.message}" for c in changes]
    counts = ", ".join(f"{sum(c.level == level for c in changes)} {level}" for level in LEVELS)
    lines.append(f"{old} -> {new}: {counts}")
    return "\n".join(lines) + "\n"


def _where(change: Change, quote: str) -> str:
    return f"{quote}{change.operation}{quote}: " if change.operation else ""
