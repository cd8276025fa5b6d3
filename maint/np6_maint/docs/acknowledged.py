"""The differences between the pages and the spec that the project has decided on.

``openapi/acknowledged.yaml`` lists them. Each entry names the ``DECISIONS.md``
number(s) behind it and the exact value the pages document; a difference is
acknowledged only while the pages still document that value, so a page that
changes it is reported again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import np6

from .check import KINDS, Difference

__all__ = ["Acknowledgement", "AcknowledgementFileError", "load_acknowledgements"]

_KEYS = {"decision", "kind", "operations", "parameters", "documented", "note"}


class AcknowledgementFileError(np6.Error):
    """The acknowledgement file cannot be read or is not in the expected form."""


@dataclass(frozen=True)
class Acknowledgement:
    """One decided difference."""

    decisions: tuple[int, ...]
    kind: str
    operations: tuple[str, ...]
    documented: str
    parameters: tuple[str, ...] | None = None
    note: str = ""

    def accepts(self, difference: Difference) -> bool:
        """Whether this entry covers ``difference`` (same kind, operation, parameter and value)."""
        return (
            difference.kind == self.kind
            and difference.operation in self.operations
            and difference.documented == self.documented
            and (self.parameters is None or difference.parameter in self.parameters)
        )


def load_acknowledgements(path: Path) -> list[Acknowledgement]:
    """The entries of an acknowledgement file; raises :class:`AcknowledgementFileError`."""
    import yaml

    try:
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
    except OSError as error:
        raise AcknowledgementFileError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise AcknowledgementFileError(f"{path}: not YAML: {_first_line(error)}") from None
    entries = document.get("acknowledged") if isinstance(document, Mapping) else None
    if not isinstance(entries, list):
        raise AcknowledgementFileError(f"{path}: expected a top-level 'acknowledged:' list")
    return [_entry(path, number, entry) for number, entry in enumerate(entries, 1)]


def _entry(path: Path, number: int, entry: Any) -> Acknowledgement:
    where = f"{path}: entry {number}"
    if not isinstance(entry, Mapping):
        raise AcknowledgementFileError(f"{where}: not a mapping")
    unknown = set(entry) - _KEYS
    if unknown:
        raise AcknowledgementFileError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    missing = {"decision", "kind", "operations", "documented"} - set(entry)
    if missing:
        raise AcknowledgementFileError(f"{where}: missing {sorted(missing)}")
    decisions = entry["decision"] if isinstance(entry["decision"], list) else [entry["decision"]]
    if not decisions or not all(isinstance(d, int) and not isinstance(d, bool) for d in decisions):
        raise AcknowledgementFileError(f"{where}: 'decision' must be a DECISIONS.md number or a list of them")
    if entry["kind"] not in KINDS:
        raise AcknowledgementFileError(f"{where}: unknown kind {entry['kind']!r}; known: {', '.join(KINDS)}")
    operations = _strings(where, "operations", entry["operations"])
    parameters = _strings(where, "parameters", entry["parameters"]) if "parameters" in entry else None
    if not isinstance(entry["documented"], str):
        raise AcknowledgementFileError(f"{where}: 'documented' must be the exact text the pages show")
    return Acknowledgement(
        decisions=tuple(decisions),
        kind=entry["kind"],
        operations=operations,
        documented=entry["documented"],
        parameters=parameters,
        note=str(entry.get("note", "")),
    )


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise AcknowledgementFileError(f"{where}: '{key}' must be a string or a list of strings")


def _first_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]
