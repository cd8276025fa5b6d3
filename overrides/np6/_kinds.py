"""The kinds of contact events: one list of names, read by Python, the command line and the docs.

A kind is named after the client's method that streams it (``client.form_hits(...)``,
``contacts_events(kind="form_hits")``). The command line writes the same word with dashes
(``np6 events --kind form-hits``): :func:`cli_spelling` and :func:`python_spelling` are the
only bridge, a spelling rule, not a table of other words. This module imports nothing
heavy, so that ``np6 --help`` can list the kinds without loading the generated client;
``tests/test_kinds.py`` checks that the operations table (``_operations.CONTACT_FAMILIES``)
answers exactly these kinds, with these selectors.
"""

from __future__ import annotations

import attrs

__all__ = [
    "CONTACT_KINDS",
    "RENAMED_CLI_KINDS",
    "ContactKind",
    "cli_spelling",
    "python_spelling",
    "unknown_kind",
]


@attrs.frozen
class ContactKind:
    """A kind of contact events: the selectors NP6 accepts for it, whether it takes ``classification``."""

    selectors: tuple[str, ...]
    classification: bool = False


CONTACT_KINDS: dict[str, ContactKind] = {
    "events": ContactKind(("id", "unicity")),
    "activations": ContactKind(("id",)),
    "bounces": ContactKind(("id",)),
    "hits": ContactKind(("id", "unicity", "hash"), classification=True),
    "form_hits": ContactKind(("id",), classification=True),
    "open_hits": ContactKind(("id",), classification=True),
    "stop_responses": ContactKind(("id", "unicity")),
}
"""Every kind of contact events, in the Python spelling, in the order the docs list them."""

RENAMED_CLI_KINDS: dict[str, str] = {"all": "events", "stops": "stop_responses"}
"""``--kind`` words of np6 0.1: accepted with a warning until 0.2, then refused, naming the new word."""


def cli_spelling(kind: str) -> str:
    """The command line's spelling of a kind: ``form_hits`` is ``form-hits``."""
    return kind.replace("_", "-")


def python_spelling(word: str) -> str:
    """The Python spelling of a kind as written on the command line: ``form-hits`` is ``form_hits``."""
    return word.replace("-", "_")


def unknown_kind(given: object, *, cli: bool = False) -> str:
    """The message for a kind that is none of :data:`CONTACT_KINDS`, in the caller's spelling.

    A Python caller who wrote the command line's spelling (``"form-hits"``) or one of its
    old words (``"stops"``) is told the name it meant.
    """
    spell = cli_spelling if cli else python_spelling
    names = ", ".join(spell(kind) for kind in CONTACT_KINDS)
    meant = python_spelling(given) if isinstance(given, str) else None
    meant = RENAMED_CLI_KINDS.get(meant, meant) if meant is not None else None
    hint = f" (did you mean {spell(meant)!r}?)" if meant in CONTACT_KINDS and spell(meant) != given else ""
    return f"kind must be one of {names}, got {given!r}{hint}"
