"""Prove the contract suite has teeth: deliberate disagreements must make it fail.

Each mutant copies the project's sources to a temporary folder, changes one thing
there (the spec, the mock or the client), and runs the property tests that must
catch it with the copy first on ``PYTHONPATH``. The working tree is never touched,
so this is safe to run beside uncommitted work. Exit status 1 names every mutant
that survived; ``make mutants`` runs it and ``make test`` includes it.

The mutants are independent, so they run side by side (``--jobs``, by default one per
core): most of a mutant's time is its pytest starting, building the mock's data set and
waiting on subprocesses, which the others fill.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("overrides", "generated", "mock", "openapi", "tests", "pyproject.toml")


@dataclass(frozen=True)
class Mutant:
    """One deliberate disagreement and the tests that must fail because of it.

    A killer names a test (every parametrization of it is run) or one parametrization
    (``test[id]``: only that one is run, where the others could not catch the mutant).
    """

    name: str
    path: str
    old: str
    new: str
    killers: tuple[str, ...]


MUTANTS = (
    Mutant(
        "spec: timestamp typed as a string",
        "openapi/np6-events.yaml",
        "    Timestamp:\n      description: Publication time of the event, in milliseconds since"
        " 1970-01-01T00:00:00Z.\n      type: integer\n      format: int64\n      minimum: 0\n"
        "      maximum: 9223372036854775807\n",
        "    Timestamp:\n      description: Publication time of the event.\n      type: string\n",
        (
            "tests/test_conformance.py::test_the_mock_conforms_to_the_spec",
            "tests/test_contract.py::test_schema_valid_bodies_decode_into_their_classes_losslessly",
            "tests/test_spec.py::test_every_np6_example_validates_against_every_operation_that_can_return_it",
        ),
    ),
    Mutant(
        "mock: ignores end",
        "mock/np6_mock/app.py",
        '        clauses.append("timestamp < ?")\n        values.append(parse_time("end", query["end"]))\n',
        '        parse_time("end", query["end"])\n',
        ("tests/test_mock.py::test_bounds_and_sort_hold_for_any_window",),
    ),
    Mutant(
        "mock: ignores sort",
        "mock/np6_mock/validation.py",
        "        raise BadRequest(f\"sort: {value!r} is not 'asc' or 'desc'\")\n    return value\n",
        "        raise BadRequest(f\"sort: {value!r} is not 'asc' or 'desc'\")\n    return None\n",
        ("tests/test_mock.py::test_bounds_and_sort_hold_for_any_window",),
    ),
    Mutant(
        "mock: lets any key in",
        "mock/np6_mock/app.py",
        "    if not given or not secrets.compare_digest(given.encode(), api_key.encode()):\n",
        "    if False:\n",
        ("tests/test_conformance.py::test_the_mock_conforms_to_the_spec",),
    ),
    Mutant(
        "mock: reactivity window ignores reactivityEnd",
        "mock/np6_mock/app.py",
        '        ("reactivityEnd", "timestamp < ?"),\n',
        '        ("reactivityEnd", "(? IS NOT NULL)"),\n',
        ("tests/test_mock_wider.py::test_both_reactivity_windows_and_sort_hold_for_any_windows",),
    ),
    Mutant(
        "mock: activation window reads the reaction",
        "mock/np6_mock/app.py",
        '        ("activationStart", "activated >= ?"),\n',
        '        ("activationStart", "timestamp >= ?"),\n',
        ("tests/test_mock_wider.py::test_both_reactivity_windows_and_sort_hold_for_any_windows",),
    ),
    Mutant(
        "mock: display events drop identity",
        "mock/np6_mock/dataset.py",
        '            "timestamp": when,\n'
        '            "identity": {"type": "customer", "agency": AGENCY, "customer": CUSTOMER},\n',
        '            "timestamp": when,\n',
        ("tests/test_conformance.py::test_the_mock_conforms_to_the_spec",),
    ),
    Mutant(
        "client: drops the contact selector",
        "overrides/np6/_operations.py",
        "contact=self.contact.from_dict({selector: value})",
        "contact=self.contact.from_dict({})",
        (
            "tests/test_contract.py::test_every_request_the_client_sends_for_a_contact_is_described_by_the_spec",
        ),
    ),
    Mutant(
        "client: sends start unconverted",
        "overrides/np6/_base.py",
        '"start": UNSET if start_bound is None else start_bound,',
        '"start": UNSET if start is None else str(start),',
        (
            "tests/test_contract.py::test_every_form_of_bound_the_client_accepts_is_sent_as_the_spec_describes",
        ),
    ),
    Mutant(
        "client: decodes bounces as activations",
        "overrides/np6/_decoding.py",
        # the dispatch table itself: decode_event and the streams' inlined decoding both read it
        '"""Known event classes by their ``type`` value."""\n',
        '"""Known event classes by their ``type`` value."""\n'
        'EVENT_CLASSES = {**EVENT_CLASSES, "bounce": EVENT_CLASSES["activation"]}\n',
        ("tests/test_contract.py::test_schema_valid_bodies_decode_into_their_classes_losslessly[bounces]",),
    ),
    Mutant(
        "client: a reactivity stream resumes on start",
        "overrides/np6/_operations.py",
        'RESUMING = ("reactivity_start", "start")',
        'RESUMING = ("start",)',
        (
            "tests/test_namespaces.py::test_a_cut_reactivity_stream_resumes_on_the_reactions_own_timestamp",
            "tests/test_namespaces.py::test_a_reactivity_stream_cut_by_the_mock_resumes_with_every_reaction_once",
        ),
    ),
)


def _copy_sources(into: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".ruff_cache", ".mypy_cache", ".hypothesis")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)


def _failed_tests(junit: Path) -> set[str]:
    """Every failed test, as ``path::name`` and, when parametrized, ``path::name[id]`` too."""
    failed: set[str] = set()
    for case in ET.parse(junit).iter("testcase"):  # noqa: S314 - pytest's own report, written just now
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            name = case.get("name", "")
            failed |= {f"{module}.py::{name}", f"{module}.py::{name.split('[')[0]}"}
    return failed


def run(mutant: Mutant) -> tuple[bool, str, float]:
    """Apply ``mutant`` to a copy and run its killers: (caught, report, seconds)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="np6-mutant-") as folder:
        copy = Path(folder)
        _copy_sources(copy)
        target = copy / mutant.path
        text = target.read_text(encoding="utf-8")
        if text.count(mutant.old) != 1:
            return False, f"the mutation no longer applies to {mutant.path}: update scripts/mutants.py", 0.0
        target.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
        env = {
            **os.environ,
            # a failing property test need not be shrunk here: that it fails is the finding
            "HYPOTHESIS_PROFILE": "mutants",
            "PYTHONPATH": os.pathsep.join(str(copy / d) for d in ("overrides", "generated", "mock")),
        }
        which = subprocess.run(
            [sys.executable, "-c", "import np6, np6_mock; print(np6.__file__, np6_mock.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if which.count(folder) != 2:
            return False, f"the copy is not what gets imported: {which.strip()}", 0.0
        junit = copy / "junit.xml"
        pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--junit-xml", str(junit)]
        subprocess.run(
            [*pytest, *mutant.killers],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if not junit.exists():
            return False, "pytest wrote no report", time.monotonic() - started
        failed = _failed_tests(junit)
    survived_by = [k for k in mutant.killers if k not in failed]
    report = "; ".join(
        f"{'caught by' if k in failed else 'NOT caught by'} {k.split('::')[1]}" for k in mutant.killers
    )
    return not survived_by, report, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    """Run every mutant; print a line each as it ends; 1 if any survived."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help="mutants run at once (default: cores)"
    )
    jobs = max(parser.parse_args(argv).jobs, 1)
    survivors = []

    def one(mutant: Mutant) -> tuple[Mutant, bool]:
        caught, report, seconds = run(mutant)
        print(
            f"{'killed ' if caught else 'SURVIVED'}  {mutant.name:<42} {seconds:5.1f}s  {report}", flush=True
        )
        return mutant, caught

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for mutant, caught in pool.map(one, MUTANTS):
            if not caught:
                survivors.append(mutant.name)
    if survivors:
        print(
            f"mutants: {len(survivors)} of {len(MUTANTS)} survived: {', '.join(survivors)}", file=sys.stderr
        )
        return 1
    print(f"mutants: all {len(MUTANTS)} killed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
