"""Schemathesis hooks for NP6's spec: contact selectors, and real ids to ask about.

OpenAPI cannot say "exactly one of id, unicity, hash"; the spec says it in
``x-np6-exactly-one-of``. These hooks read that extension so that positive cases
carry exactly one selector (negative cases keep what schemathesis made, and the
server must refuse them). Positive cases also get the contact and campaign ids from
``NP6_CONFORMANCE_*`` variables, so that answers carry real events whose schema is
checked, instead of 404s.

Loaded by ``np6 conformance`` through ``SCHEMATHESIS_HOOKS=np6.conformance_hooks``.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from schemathesis import GenerationMode

SELECTOR_EXTENSION = "x-np6-exactly-one-of"


def _known(name: str) -> str | None:
    return os.environ.get(f"NP6_CONFORMANCE_{name.upper()}") or None


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Make positive cases obey the selector rule and aim at known ids."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return case
    return _obey_selectors(case)


@schemathesis.hook
def before_add_examples(context: Any, examples: list[Any]) -> None:
    """The spec's examples name every selector at once: keep one, as for generated cases."""
    for case in examples:
        _obey_selectors(case)


def _obey_selectors(case: Any) -> Any:
    definition = case.operation.definition.raw
    selectors = definition.get(SELECTOR_EXTENSION)
    if selectors:
        query = dict(case.query or {})
        present = [name for name in selectors if name in query]
        keep = present[0] if present else next((s for s in selectors if _known(s)), selectors[0])
        for name in selectors:
            query.pop(name, None)
        query[keep] = _known(keep) or (case.query or {}).get(keep) or "unknown-contact"
        case.query = query
    if case.path_parameters and "id" in case.path_parameters:
        known = _known("campaign_id") if case.path.startswith("/campaigns") else _known("id")
        if known:
            case.path_parameters = {**case.path_parameters, "id": known}
    return case
