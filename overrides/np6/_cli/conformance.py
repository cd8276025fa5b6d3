"""``np6 conformance``: check a server against the spec with schemathesis, with a CI verdict."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import attrs

from .. import InvalidArgumentError
from ..toolkit import DEFAULT_MAX_TIME, printable, read_environment, to_time_bound
from ._common import (
    KEY_WAYS,
    base_url_help,
    default_base_url,
    key_options,
    positive_seconds,
    read_key,
    subparser,
    time_bound,
)

__all__ = ["register"]

EPILOG = """\
exit status (for CI):
  0  conforms: every operation answered 2xx at least once and every check passed
  1  a check failed: the report names the operation, the check and a curl reproducing it
  2  bad invocation: no key, a bad option, or the conformance extra is missing
     (pip install 'np6[conformance]')
  3  the key was refused (401/403)
  4  inconclusive: some operations never answered 2xx, so their answers were never
     checked; the report names them and what to pass (--contact-id, --campaign-id, --action-id, ...);
     or the run passed --max-time, and the summary shows what ran until then
  5  the server is unreachable
Against a live server every request stays inside a time window: the last 7 days unless
--start/--end say otherwise. The key is read from $NP6_API_KEY or --api-key-file FILE (- for
standard input), never from the command line, and never printed; reproducing curls read it
from $NP6_API_KEY."""


def register(commands: Any) -> None:
    """Add ``conformance`` to the ``np6`` command."""
    conformance = subparser(
        commands,
        "conformance",
        epilog=EPILOG,
        help="check a server against the spec (schemathesis)",
        description="Run the contract suite (every schemathesis check, positive and negative data) "
        "against a server, read-only, and print a summary per operation.",
    )
    conformance.add_argument(
        "--base-url",
        default=default_base_url(),
        help=base_url_help("server to check"),
    )
    key_options(conformance)
    conformance.add_argument(
        "--junit-xml",
        type=Path,
        default=Path("junit-conformance.xml"),
        help="JUnit XML report (default: %(default)s)",
    )
    conformance.add_argument(
        "--markdown", type=Path, metavar="FILE", help="also write the report as Markdown (CI job summaries)"
    )
    conformance.add_argument(
        "--start",
        type=time_bound,
        help="window start: ISO date-time, date, epoch ms or relative (7d) (default: 7 days before --end)",
    )
    conformance.add_argument("--end", type=time_bound, help="window end, same forms (default: now)")
    conformance.add_argument(
        "--max-examples",
        type=int,
        default=20,
        help="generated cases per operation and phase (default: %(default)s)",
    )
    conformance.add_argument(
        "--max-time",
        type=positive_seconds,
        default=DEFAULT_MAX_TIME,
        metavar="SECONDS",
        help="stop the whole run after this long (a server that trickles its answers would keep it "
        "going), print what ran and exit 4 (default: %(default)g)",
    )
    conformance.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    conformance.add_argument(
        "--phases",
        default="examples,coverage,fuzzing,stateful",
        help="schemathesis phases to run, comma-separated (default: %(default)s)",
    )
    for name in ("id", "unicity", "hash"):
        conformance.add_argument(
            f"--contact-{name}",
            dest=f"contact_{name}",
            default=read_environment().conformance.get(name),
            help=f"a real contact {name} to ask about ($NP6_CONFORMANCE_{name.upper()})",
        )
    conformance.add_argument(
        "--campaign-id",
        default=read_environment().conformance.get("campaign_id"),
        help="a real campaign id to ask about ($NP6_CONFORMANCE_CAMPAIGN_ID)",
    )
    for name, what in (
        ("action", "email or text message action"),
        ("notification", "push notification"),
        ("content", "display content"),
    ):
        conformance.add_argument(
            f"--{name}-id",
            default=read_environment().conformance.get(f"{name}_id"),
            help=f"a real {what} id to ask about ($NP6_CONFORMANCE_{name.upper()}_ID)",
        )
    conformance.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="write schemathesis' own output there (redacted) instead of stderr",
    )
    conformance.set_defaults(handler=_conformance)


def _writable(path: Path, flag: str) -> None:
    """Refuse, before the run, a report path that could not be written after it.

    Missing folders are made (as for --junit-xml until now); a folder, or a path under
    a file or an unwritable folder, is a bad invocation, said with the path as typed.
    """
    if path.is_dir():
        raise InvalidArgumentError(f"{flag} {path}: is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidArgumentError(f"{flag} {path}: cannot make its folder ({exc.strerror or exc})") from None
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise InvalidArgumentError(f"{flag} {path}: not writable")


def _window(args: argparse.Namespace) -> Any:
    from .._conformance import DEFAULT_WINDOW, Window

    if args.start is None and args.end is None:
        return Window.last()
    end = (
        _instant(args.end, "--end")
        if args.end is not None
        else dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    start = _instant(args.start, "--start") if args.start is not None else end - DEFAULT_WINDOW
    if start >= end:
        raise InvalidArgumentError("--start must be before --end")
    return Window(start, end)


def _instant(value: Any, name: str) -> dt.datetime:
    bound = to_time_bound(value, name)
    if isinstance(bound, int):
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=bound)
    return bound


def _conformance(args: argparse.Namespace) -> int:
    from .._conformance import EXIT_USAGE, ConformanceRun, Outcome, missing_extra, run_conformance
    from .._conformance_report import render_markdown, render_text, write_junit_error

    outcome: Outcome | None = missing_extra()
    if outcome is not None:
        outcome = attrs.evolve(outcome, base_url=args.base_url)
    key = read_key(args)
    if outcome is None and not (key and key.strip()):
        outcome = Outcome(EXIT_USAGE, f"no API key: {KEY_WAYS}", args.base_url)
    if outcome is None:
        try:
            window = _window(args)
            for flag, path in (
                ("--junit-xml", args.junit_xml),
                ("--markdown", args.markdown),
                ("--log", args.log),
            ):
                if path is not None:
                    _writable(path, flag)
        except InvalidArgumentError as exc:
            outcome = Outcome(EXIT_USAGE, str(exc), args.base_url)
            # the reports' paths are what is wrong: none is written, the verdict goes to the terminal
            args.junit_xml = args.markdown = None
    if outcome is None:
        run = ConformanceRun(
            base_url=args.base_url,
            api_key=key or "",
            window=window,
            junit_xml=args.junit_xml,
            max_examples=args.max_examples,
            seed=args.seed,
            contact_id=args.contact_id,
            unicity=args.contact_unicity,
            hash=args.contact_hash,
            campaign_id=args.campaign_id,
            action_id=args.action_id,
            notification_id=args.notification_id,
            content_id=args.content_id,
            phases=args.phases,
            max_time=args.max_time,
        )
        if args.log is None:
            outcome = run_conformance(run, log=sys.stderr)
        else:
            with args.log.open("w", encoding="utf-8") as log:
                outcome = run_conformance(run, log=log)
    if args.junit_xml is not None and (not outcome.operations or not args.junit_xml.exists()):
        # no run, or one stopped at --max-time before schemathesis wrote its report
        write_junit_error(outcome, args.junit_xml)
    if args.markdown is not None:
        args.markdown.write_text(render_markdown(outcome), encoding="utf-8")
    # server answers and schemathesis' words reach the terminal: shown, never obeyed
    sys.stdout.write("".join(printable(line) + "\n" for line in render_text(outcome).splitlines()))
    reports = " and ".join(str(p) for p in (args.junit_xml, args.markdown) if p is not None) or "none"
    print(f"np6 conformance: {outcome.base_url} {outcome.verdict}; reports: {reports}", file=sys.stderr)
    return outcome.code
