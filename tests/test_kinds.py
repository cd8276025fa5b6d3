"""One vocabulary of contact event kinds: Python, the command line, the docs and the README.

The list is ``np6._kinds.CONTACT_KINDS``; the command line spells each kind with dashes for
underscores, by a rule, and every other place reads the list or is checked against it.
"""

from __future__ import annotations

import re
from pathlib import Path

import np6
import pytest
from np6._cli import build_parser
from np6._cli.export import kind_argument
from np6._kinds import CONTACT_KINDS, RENAMED_CLI_KINDS, cli_spelling, python_spelling

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

CLI_KIND = re.compile(r"--kind[ =]`?([a-z][A-Za-z0-9_-]*)")  # `--kind K`: a placeholder
PYTHON_KIND = re.compile(r"""\bkind=["']([^"']*)["']""")
# on a line that speaks of kinds, a word alone in backticks in a list (`hits`, `form-hits` or
# `"form_hits"`) names one
BARE_KIND = re.compile(r"""(?:^\s*|[:,(]\s*|\b(?:or|and)\s+)`"?([a-z][a-z0-9_-]*)"?`""")
DEPRECATION_NOTE = "np6 0.1's"


def kind_mentions(text: str) -> list[tuple[int, str, str]]:
    """(line, spelling, word) for each kind name the text writes: ``cli``, ``python`` or ``either``."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        cli = CLI_KIND.findall(line)
        python = PYTHON_KIND.findall(line)
        found += [(number, "cli", word) for word in cli] + [(number, "python", word) for word in python]
        if cli or python or "`--kind`" in line:
            for word in BARE_KIND.findall(line):
                if word not in cli and word not in python:
                    found.append((number, "either", word))
    return found


def every_kind() -> set[str]:
    """The kinds of every family, in the Python spelling: contacts', and the other commands' ``--kind``."""
    from np6._cli.families import ACTION_KINDS, NOTIFICATION_KINDS
    from np6._operations import reactivity_operations
    from np6_generated.api import action_reactivities, notification_reactivities

    reactivities = {
        kind
        for package in (action_reactivities, notification_reactivities)
        for (_, kind) in reactivity_operations(package)
        if kind is not None
    }
    return set(CONTACT_KINDS) | set(ACTION_KINDS) | set(NOTIFICATION_KINDS) | reactivities


def unknown_mentions(text: str) -> list[str]:
    python = every_kind()
    cli = {cli_spelling(kind) for kind in python}
    known = {"cli": cli, "python": python, "either": cli | python}
    lines = text.splitlines()
    return [
        f"line {n}: {spelling} {word!r}"
        for n, spelling, word in kind_mentions(text)
        if word not in known[spelling]
        # the deprecation note names the words of the last release, as such
        and not (word in RENAMED_CLI_KINDS and DEPRECATION_NOTE in lines[n - 1])
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_the_docs_name_only_kinds_of_the_list(path: Path) -> None:
    assert unknown_mentions(path.read_text(encoding="utf-8")) == []


def test_the_docs_check_reads_every_form_a_kind_is_written_in() -> None:
    # the check has teeth: the words np6 0.1 used, and a spelling of the wrong side, are caught
    text = (
        "- `--kind`: `all`, `activations` or `stops`.\n"
        "np6 0.1's `--kind all` is deprecated\n"
        "np6 events --kind form_hits\n"
        'client.contacts_events(contacts, kind="form-hits")\n'
        '`contacts_events(kind="hits")` or `form-hits`\n'
    )
    assert unknown_mentions(text) == [
        "line 1: either 'all'",
        "line 1: either 'stops'",
        "line 3: cli 'form_hits'",
        "line 4: python 'form-hits'",
    ]
    readme = kind_mentions((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {spelling for _, spelling, _ in readme} == {"cli", "python", "either"}


def test_the_operations_table_answers_exactly_the_listed_kinds() -> None:
    from np6._operations import CONTACT_FAMILIES

    assert list(CONTACT_FAMILIES) == list(CONTACT_KINDS)
    for name, family in CONTACT_FAMILIES.items():
        assert family.name == name
        assert tuple(family.routes) == CONTACT_KINDS[name].selectors, name
        assert family.classification == CONTACT_KINDS[name].classification, name


@pytest.mark.parametrize("kind", list(CONTACT_KINDS))
def test_each_kind_is_a_method_of_every_client_and_a_word_of_the_command(kind: str) -> None:
    for client in (np6.Client, np6.AsyncClient):
        assert callable(getattr(client("k").raw, kind))
    assert python_spelling(cli_spelling(kind)) == kind
    assert kind_argument(cli_spelling(kind)) == kind
    assert kind_argument(kind) == kind  # the Python spelling is understood too


def test_the_command_help_lists_the_kinds_in_the_command_spelling() -> None:
    events = build_parser()._subparsers._group_actions[0].choices["events"]  # type: ignore[union-attr]
    text = " ".join(events.format_help().split())
    assert "--kind {" + ",".join(cli_spelling(kind) for kind in CONTACT_KINDS) + "}" in text
    for kind, about in CONTACT_KINDS.items():
        assert f"{cli_spelling(kind)} ({', '.join(about.selectors)})" in text
    assert "stops" not in text and "form_hits" not in text


@pytest.mark.parametrize(("old", "new"), list(RENAMED_CLI_KINDS.items()))
def test_a_word_of_the_last_release_is_taken_with_a_warning_naming_the_new_one(
    old: str, new: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert old not in CONTACT_KINDS and new in CONTACT_KINDS
    assert kind_argument(old) == new
    err = capsys.readouterr().err
    assert f"--kind {old} is deprecated" in err and f"write --kind {cli_spelling(new)}" in err


def test_an_unknown_word_is_refused_with_the_list_in_the_command_spelling() -> None:
    import argparse

    with pytest.raises(argparse.ArgumentTypeError) as refused:
        kind_argument("nope")
    assert str(refused.value) == (
        "kind must be one of events, activations, bounces, hits, form-hits, open-hits, stop-responses, "
        "got 'nope'"
    )


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("form-hits", " (did you mean 'form_hits'?)"),
        ("stops", " (did you mean 'stop_responses'?)"),
        ("x", ""),
    ],
)
def test_python_refuses_the_command_spelling_and_names_its_own(given: str, hint: str) -> None:
    names = ", ".join(CONTACT_KINDS)
    for client in (np6.Client("k"), np6.AsyncClient("k")):
        with pytest.raises(np6.InvalidArgumentError) as refused:
            client.contacts_events([np6.Contact(id="a")], kind=given)
        assert str(refused.value) == f"kind must be one of {names}, got {given!r}{hint}"
