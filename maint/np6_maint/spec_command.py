"""``np6-maint spec diff``: what changed between two versions of the spec, for the client's users."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._parser import subparser

__all__ = ["register"]

EXIT_CLEAN, EXIT_FAIL_ON, EXIT_UNREADABLE = 0, 1, 2

_EPILOG = """\
OLD and NEW are files, or git:REV for openapi/np6-events.yaml at a revision of the
repository you are in (git:REV:PATH for another file), e.g.
  np6-maint spec diff git:HEAD openapi/np6-events.yaml --format markdown
Levels follow oasdiff: breaking (a request that was valid is refused, or a response
can hold what the client was not built for), non-breaking, informational. A new kind
in a discriminated response union (a new event type) is informational: the client
decodes unknown kinds without loss.
A spec whose YAML aliases (*name) expand to more than 1,000,000 nodes, or refer to
themselves, is refused (exit 2): the comparison's time grows with the expanded size.
exit status: 0 done, 1 a change at or above --fail-on, 2 a spec cannot be read."""


def register(commands: Any) -> None:
    """Add ``spec diff`` to the ``np6-maint`` command."""
    spec = subparser(commands, "spec", epilog=None, help="compare versions of the spec")
    actions = spec.add_subparsers(dest="spec_command", required=True, metavar="ACTION")
    diff = subparser(
        actions,
        "diff",
        help="classify the changes between two versions of the spec",
        description="List what changed between two versions of the spec, classified as breaking, "
        "non-breaking or informational for the client's users.",
        epilog=_EPILOG,
    )
    diff.add_argument("old", metavar="OLD", help="the earlier spec: a file or git:REV")
    diff.add_argument("new", metavar="NEW", help="the later spec: a file or git:REV")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "non-breaking", "informational"),
        help="exit 1 when a change at this level or a more severe one is found",
    )
    diff.set_defaults(handler=_diff)


def _diff(args: argparse.Namespace) -> int:
    from .specdiff import LEVELS, SpecSourceError, diff, load_source
    from .specdiff.report import render

    try:
        old, new = load_source(args.old), load_source(args.new)
    except SpecSourceError as error:
        print(f"np6-maint spec diff: error: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        changes = diff(old, new)
    except Exception as error:
        print(
            f"np6-maint spec diff: error: {args.old} or {args.new} is not a well-formed OpenAPI spec "
            f"({type(error).__name__}: {error})",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    sys.stdout.write(render(changes, args.format, args.old, args.new))
    if args.fail_on is not None:
        worst = LEVELS.index(args.fail_on)
        if any(LEVELS.index(change.level) <= worst for change in changes):
            return EXIT_FAIL_ON
    return EXIT_CLEAN
