"""``np6 events`` and ``np6 campaign-events``: stream events to standard output or a file."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import Contact, InvalidArgumentError
from ..toolkit import (
    CONTACT_KINDS,
    MAX_CONCURRENCY,
    RENAMED_CLI_KINDS,
    cli_spelling,
    printable,
    python_spelling,
    unknown_kind,
)
from ._common import (
    EXIT_ERROR,
    client_options,
    concurrency,
    connection_options,
    exit_code,
    one_line,
    subparser,
    text,
    time_bound,
)
from .output import FORMATS, OutputFile, Progress, write, write_file

if TYPE_CHECKING:
    from .. import Client, Failed

__all__ = ["DEFAULT_CONCURRENCY", "contacts_from_file", "kind_argument", "register"]

DEFAULT_CONCURRENCY = 4
SHOWN_FAILURES = 20
"""Failed contacts listed one a line on standard error; the rest are counted."""


def kind_argument(word: str) -> str:
    """``--kind``: a kind in the command line's spelling (or the Python one), as its Python name.

    A word of np6 0.1 (``all``, ``stops``) is accepted with a warning naming its new name.
    """
    name = python_spelling(word)
    if name in RENAMED_CLI_KINDS:
        new = RENAMED_CLI_KINDS[name]
        print(
            f"np6 events: warning: --kind {word} is deprecated and will be refused from np6 0.2; "
            f"write --kind {cli_spelling(new)}",
            file=sys.stderr,
        )
        name = new
    if name not in CONTACT_KINDS:
        raise argparse.ArgumentTypeError(unknown_kind(word, cli=True))
    return name


def _kinds_help() -> str:
    return ", ".join(
        f"{cli_spelling(name)} ({', '.join(kind.selectors)})" for name, kind in CONTACT_KINDS.items()
    )


def _output_options(parser: argparse.ArgumentParser, window: bool = True) -> None:
    group = parser.add_argument_group("selection and output")
    if window:
        group.add_argument(
            "--start",
            type=time_bound,
            help="events at or after: ISO date or date-time, epoch ms, or a time ago (30s, 15m, 12h, 7d, 2w)",
        )
        group.add_argument("--end", type=time_bound, help="events before: same forms as --start")
    group.add_argument(
        "--sort",
        choices=["asc", "desc"],
        help="order by timestamp (asc also lets a cut transfer resume); default: NP6's order",
    )
    group.add_argument(
        "--format",
        choices=FORMATS,
        default="jsonl",
        help="jsonl: each event exactly as sent (default); csv: common fields; table: for people",
    )
    group.add_argument(
        "--csv-allow-formulas",
        action="store_true",
        help="with --format csv, write cells that start with = + - @ tab or CR exactly as sent, without "
        "the leading ' added by default: a spreadsheet opening the file may then run them as formulas, "
        "which can fetch URLs, leak other cells or start programs",
    )
    group.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output: through a new temporary file beside it, renamed "
        "over FILE once the export is complete; a new FILE is private (0600), an existing one keeps "
        "its permissions",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="no progress line on standard error")


def register(commands: Any) -> None:
    """Add ``events`` and ``campaign-events`` to the ``np6`` command."""
    events = subparser(
        commands,
        "events",
        help="stream a contact's events",
        description="Stream the events of one contact, chosen by exactly one of --id, --unicity, --hash, "
        "or of many contacts listed in a file (--id-file, --unicity-file, --hash-file), a few at a "
        "time, pausing all of them when NP6 says the key has sent too much. "
        f"Kinds and the selectors NP6 accepts for them: {_kinds_help()}. "
        'With a file, each JSON line is {"contact": {"id": ...}, "event": {...}}, the event exactly as '
        "sent; CSV and table output gain a first column, 'asked', naming the contact. "
        "Contacts that fail are listed on standard error after the others are done, "
        "and the exit status is theirs.",
    )
    who = events.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", type=text, help="the contact's id")
    who.add_argument("--unicity", type=text, help="the contact's unicity value (usually the email address)")
    who.add_argument("--hash", type=text, help="the contact's hash")
    for selector, what in (("id", "ids"), ("unicity", "unicity values"), ("hash", "hashes")):
        who.add_argument(
            f"--{selector}-file",
            metavar="FILE",
            help=f"many contacts: a file of {what}, one a line (- for standard input)",
        )
    events.add_argument(
        "--concurrency",
        type=concurrency,
        help=f"with a --*-file: contacts read at the same time, at most {MAX_CONCURRENCY} "
        f"(default: {DEFAULT_CONCURRENCY})",
    )
    events.add_argument(
        "--kind",
        type=kind_argument,
        default="events",
        metavar="{" + ",".join(map(cli_spelling, CONTACT_KINDS)) + "}",
        help="which events, named as the client's methods with dashes for underscores (default: events)",
    )
    events.add_argument(
        "--classification",
        type=text,
        help="hits only: also include the robot hits of these classifications, comma-separated: "
        "genericrobot, mpp (Apple Mail Privacy Proxy), gsr; other names go to NP6 unchecked",
    )
    _output_options(events)
    connection_options(events)
    events.set_defaults(handler=_events)

    campaign = subparser(
        commands,
        "campaign-events",
        help="stream a campaign's events",
        description="Stream the events of one campaign, all of them or those of chosen items.",
    )
    campaign.add_argument("campaign_id", metavar="CAMPAIGN_ID", type=text, help="the campaign's id")
    campaign.add_argument("--items", type=text, help="comma-separated item (action) ids to keep")
    campaign.add_argument(
        "--channel",
        choices=["email", "sms", "notification"],
        default="email",
        help="channel of --items (default: email)",
    )
    campaign.add_argument(
        "--event-types",
        help="comma-separated kinds for --items: execution, cancellation, activation, "
        "bounce, hit, reply (default: all)",
    )
    campaign.add_argument(
        "--email-hits",
        help="comma-separated hit subtypes for --items: open, redirection, form, unsubscribe, mirror",
    )
    campaign.add_argument(
        "--body",
        type=Path,
        help='a JSON file holding the whole request body, {"itemsEvents": [{"type": "email", '
        '"events": [{"type": "hit", "subtypes": ["open"]}], "items": ["ITEM_ID"]}]} (replaces --items)',
    )
    _output_options(campaign)
    connection_options(campaign)
    campaign.set_defaults(handler=lambda args: _export(args, _campaign_events))


def _client(args: argparse.Namespace) -> Client:
    # imported here: `np6 --help` and the other commands do not load the client
    from .. import Client

    return Client(options=client_options(args))


def _events(args: argparse.Namespace) -> int:
    files = {s: getattr(args, f"{s}_file") for s in ("id", "unicity", "hash")}
    chosen = [(selector, name) for selector, name in files.items() if name is not None]
    if not chosen:
        if args.concurrency is not None:
            raise InvalidArgumentError("--concurrency applies to --id-file, --unicity-file or --hash-file")
        return _export(args, _contact_events)
    selector, name = chosen[0]
    return _export_many(args, selector, name)


def _contact_options(args: argparse.Namespace) -> dict[str, Any]:
    if args.classification and not CONTACT_KINDS[args.kind].classification:
        takes = " or ".join(cli_spelling(name) for name, kind in CONTACT_KINDS.items() if kind.classification)
        raise InvalidArgumentError(f"--classification applies to --kind {takes} only")
    extra = {"classification": args.classification} if args.classification else {}
    return {"start": args.start, "end": args.end, "sort": args.sort, **extra}


def _contact_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    contact = Contact(id=args.id, unicity=args.unicity, hash=args.hash)
    options = _contact_options(args)
    method: Callable[..., Iterator[dict[str, Any]]] = getattr(client.raw.contacts, args.kind)
    return method(contact, **options)


def contacts_from_file(selector: str, name: str) -> Iterator[Contact]:
    """The contacts of a file, one selector value a line, read as they are needed."""
    flag = f"--{selector}-file {printable(name)}"
    try:
        # bytes that are not UTF-8 become lone surrogates, which Contact refuses by line; utf-8-sig:
        # a byte order mark some editors put first is not part of the first value (stdin: below)
        handle = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
            if name == "-"
            else open(name, encoding="utf-8-sig", errors="surrogateescape")  # noqa: SIM115
        )
    except OSError as exc:
        raise InvalidArgumentError(f"{flag}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            # standard input is decoded by Python's own settings, which keep the mark
            value = (line.removeprefix("\ufeff") if number == 1 else line).strip()
            if not value:
                continue
            try:
                yield Contact(**{selector: value})
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"{flag}, line {number}: {exc}") from None


class _Failures:
    """The contacts that failed: the first few kept for the summary, the rest counted."""

    def __init__(self) -> None:
        self.shown: list[Failed[Contact]] = []
        self.count = 0
        self.exit_codes: set[int] = set()

    def add(self, failure: Failed[Contact]) -> None:
        self.count += 1
        self.exit_codes.add(exit_code(failure.error))
        if len(self.shown) < SHOWN_FAILURES:
            self.shown.append(failure)

    def report(self, contacts: int, notes: list[str]) -> int:
        print(f"np6 events: {self.count:,} of {contacts:,} contacts failed:", file=sys.stderr)
        for failure in self.shown:
            value = failure.target.value
            # a line of the id file goes to the terminal: control characters shown, not obeyed
            who = f"{failure.target.selector} {printable(value)}"
            print(f"  {who}: {one_line(failure.error)}", file=sys.stderr)
        if self.count > len(self.shown):
            print(f"  ... and {self.count - len(self.shown):,} more", file=sys.stderr)
        for note in notes:
            print(f"np6 events: {note}", file=sys.stderr)
        # the status of the one kind of failure there was, else the general one
        return self.exit_codes.pop() if len(self.exit_codes) == 1 else EXIT_ERROR


class _ContactsFailedError(Exception):
    """Raised after the last event when contacts failed, so that -o leaves FILE.partial."""


def _export_many(args: argparse.Namespace, selector: str, name: str) -> int:
    options = _contact_options(args)
    failures = _Failures()
    progress = Progress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    notes: list[str] = []
    from .. import Failed

    with _target(args) as target, _client(args) as client:
        fan_out = client.raw.contacts_events(
            contacts_from_file(selector, name),
            kind=args.kind,
            concurrency=args.concurrency or DEFAULT_CONCURRENCY,
            **options,
        )

        def records() -> Iterator[dict[str, Any]]:
            with fan_out:
                for item in fan_out:
                    if isinstance(item, Failed):
                        failures.add(item)
                    else:
                        yield {"contact": {item.target.selector: item.target.value}, "event": item.event}
            if failures.count:
                raise _ContactsFailedError

        try:
            with target or contextlib.nullcontext():
                _write(records(), args, target, progress, asked=True)
        except _ContactsFailedError as incomplete:
            notes = getattr(incomplete, "__notes__", [])
        finally:
            progress.done()
    if failures.count:
        return failures.report(fan_out.finished, notes)
    return 0


def _campaign_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    from .. import items_filter

    query: Any = None
    if args.body is not None:
        if args.items or args.event_types or args.email_hits:
            raise InvalidArgumentError("--body replaces --items, --event-types and --email-hits")
        try:
            query = json.loads(args.body.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidArgumentError(f"--body {args.body}: {exc}") from None
        if not isinstance(query, dict) or not isinstance(query.get("itemsEvents"), list):
            raise InvalidArgumentError(
                f'--body {args.body}: expected a JSON object {{"itemsEvents": [...]}}, as in `np6 '
                "campaign-events --help`"
            )
    elif args.items:
        query = [
            items_filter(
                [i for i in args.items.split(",") if i],
                channel=args.channel,
                events=[e for e in (args.event_types or "").split(",") if e],
                hits=[h for h in args.email_hits.split(",") if h] if args.email_hits else None,
            )
        ]
    elif args.event_types or args.email_hits:
        raise InvalidArgumentError("--event-types and --email-hits need --items")
    return client.raw.campaign_events(
        args.campaign_id,
        query,
        items_only=query is not None,
        start=args.start,
        end=args.end,
        sort=args.sort,
    )


def _export(args: argparse.Namespace, produce: Callable[[argparse.Namespace, Client], Iterator[Any]]) -> int:
    progress = Progress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    with _target(args) as target, _client(args) as client:
        events = produce(args, client)
        try:
            _write(events, args, target, progress)
        finally:
            progress.done()
    return 0


def _target(args: argparse.Namespace) -> contextlib.AbstractContextManager[OutputFile | None]:
    """``-o FILE``, checked and its temporary file created before any request (or nothing: stdout)."""
    if args.csv_allow_formulas and args.format != "csv":
        raise InvalidArgumentError("--csv-allow-formulas applies to --format csv only")
    if args.output is None:
        return contextlib.nullcontext()
    return OutputFile(args.output)


def _write(
    events: Iterator[Any],
    args: argparse.Namespace,
    target: OutputFile | None,
    progress: Progress,
    asked: bool = False,
) -> None:
    formulas = args.csv_allow_formulas
    if target is None:
        write(events, args.format, sys.stdout, progress, asked=asked, allow_formulas=formulas)
    else:
        write_file(events, args.format, target, progress, asked=asked, allow_formulas=formulas)
