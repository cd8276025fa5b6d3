"""The ``np6`` command: export events, run the mock server, check conformance."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from . import errors
from ._http import DEFAULT_BASE_URL
from ._version import __version__
from .campaigns import items_filter
from .client import Client
from .contacts import Contact
from .events import ms_to_datetime

__all__ = ["main"]

EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_STREAM, EXIT_INTERRUPTED = 1, 2, 3, 4, 5, 130
KINDS = {
    "all": "events",
    "activations": "activations",
    "bounces": "bounces",
    "hits": "hits",
    "form-hits": "form_hits",
    "stops": "stop_responses",
}
_RELATIVE = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
CSV_FIELDS = ["type", "id", "timestamp", "time", "contact", "item", "link", "client"]

EPILOG = """\
exit status: 0 success, 1 API or network error, 2 bad arguments, 3 key refused (401/403),
4 contact or campaign not found, 5 incomplete or malformed answer, 130 interrupted.
The key is read from --api-key or $NP6_API_KEY and never printed."""


def _time_bound(text: str) -> str | int | dt.datetime:
    match = _RELATIVE.match(text.strip())
    if match:
        amount, unit = match.groups()
        return dt.datetime.now(dt.UTC) - dt.timedelta(**{_UNITS[unit]: int(amount)})
    return text


def _connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url",
        default=os.environ.get("NP6_BASE_URL", DEFAULT_BASE_URL),
        help="NP6 server (default: $NP6_BASE_URL or %(default)s)",
    )
    group.add_argument("--api-key", help="API key (default: $NP6_API_KEY)")
    group.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for each read (default: 60)"
    )
    group.add_argument(
        "--max-retries", type=int, default=2, help="retries on transient failures (default: 2)"
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection and output")
    group.add_argument(
        "--start",
        type=_time_bound,
        help="events at or after: ISO date-time, epoch ms, or relative (7d, 12h, 30m)",
    )
    group.add_argument("--end", type=_time_bound, help="events before: same forms as --start")
    group.add_argument(
        "--sort",
        choices=["asc", "desc"],
        help="order by timestamp (asc also lets a cut transfer resume); default: NP6's order",
    )
    group.add_argument(
        "--format",
        choices=["jsonl", "csv", "table"],
        default="jsonl",
        help="jsonl: each event exactly as sent (default); csv: common fields; table: for people",
    )
    group.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write to this file instead of standard output (through FILE.partial, renamed when complete)",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="no progress line on standard error")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``np6`` command."""
    parser = argparse.ArgumentParser(
        prog="np6",
        description="Stream contact and campaign events out of the NP6 (Chapsvision CM) API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"np6 {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    events = commands.add_parser(
        "events",
        help="stream a contact's events",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Stream the events of one contact, chosen by exactly one of --id, --unicity, --hash. "
        "Kinds and the selectors NP6 accepts for them: all (id, unicity), activations (id), "
        "bounces (id), hits (id, unicity, hash), form-hits (id), stops (id, unicity).",
    )
    who = events.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", help="the contact's id")
    who.add_argument("--unicity", help="the contact's unicity value (usually the email address)")
    who.add_argument("--hash", help="the contact's hash")
    events.add_argument("--kind", choices=list(KINDS), default="all", help="which events (default: all)")
    events.add_argument(
        "--classification", help="hits only: also include robot hits of these classifications, e.g. mpp,gsr"
    )
    _output_options(events)
    _connection_options(events)

    campaign = commands.add_parser(
        "campaign-events",
        help="stream a campaign's events",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Stream the events of one campaign, all of them or those of chosen items.",
    )
    campaign.add_argument("campaign_id", metavar="CAMPAIGN_ID", help="the campaign's id")
    campaign.add_argument("--items", help="comma-separated item (action) ids to keep")
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
    campaign.add_argument("--body", type=Path, help="a JSON file holding the whole itemsEvents body")
    _output_options(campaign)
    _connection_options(campaign)

    mock = commands.add_parser(
        "mock",
        help="run the bundled mock NP6 server",
        description="Serve every operation of the spec from a deterministic data set "
        "or your own events, until interrupted.",
    )
    mock.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    mock.add_argument("--port", type=int, default=8080, help="port (default: %(default)s)")
    mock.add_argument("--seed", type=int, default=6, help="data set seed (default: %(default)s)")
    mock.add_argument("--contacts", type=int, default=50, help="contacts to generate (default: %(default)s)")
    mock.add_argument("--campaigns", type=int, default=3, help="campaigns to generate (default: %(default)s)")
    mock.add_argument("--events", type=int, default=2000, help="events to generate (default: %(default)s)")
    mock.add_argument("--load", type=Path, help="serve the events of this JSON Lines file instead")
    mock.add_argument("--db", help="SQLite file to build the data set in (default: a temporary file)")
    mock.add_argument(
        "--api-key",
        default=None,
        help="the key clients must send (default: $NP6_MOCK_API_KEY or np6-mock-key)",
    )
    mock.add_argument(
        "--fault", help="inject a fault into every answer, e.g. 'status=503,times=2' (see np6_mock.faults)"
    )

    conformance = commands.add_parser(
        "conformance",
        help="check a server against the spec (schemathesis)",
        description="Run the contract suite (every schemathesis check, positive and negative data) "
        "against a server, read-only. Exit 0 when it conforms, 1 when a check failed.",
    )
    conformance.add_argument(
        "--base-url",
        default=os.environ.get("NP6_BASE_URL", DEFAULT_BASE_URL),
        help="server to check (default: $NP6_BASE_URL or %(default)s)",
    )
    conformance.add_argument("--api-key", help="API key (default: $NP6_API_KEY)")
    conformance.add_argument(
        "--junit-xml",
        type=Path,
        default=Path("junit-conformance.xml"),
        help="JUnit XML report (default: %(default)s)",
    )
    conformance.add_argument(
        "--max-examples",
        type=int,
        default=20,
        help="generated cases per operation and phase (default: %(default)s)",
    )
    conformance.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    for name in ("id", "unicity", "hash"):
        conformance.add_argument(
            f"--contact-{name}",
            dest=f"contact_{name}",
            default=os.environ.get(f"NP6_CONFORMANCE_{name.upper()}"),
            help=f"a real contact {name} to ask about ($NP6_CONFORMANCE_{name.upper()})",
        )
    conformance.add_argument(
        "--campaign-id",
        default=os.environ.get("NP6_CONFORMANCE_CAMPAIGN_ID"),
        help="a real campaign id to ask about ($NP6_CONFORMANCE_CAMPAIGN_ID)",
    )
    return parser


# --- output ---------------------------------------------------------------------------


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _flat(event: dict[str, Any]) -> dict[str, Any]:
    """The common fields of an event, for CSV and tables; whatever is odd stays empty."""
    detail = _obj(_obj(event.get("source")).get("detail"))
    part = _obj(detail.get("execution") or detail.get("activation"))
    receiver = part.get("recipient") if isinstance(part.get("recipient"), dict) else part.get("receiver")
    contact = ""
    if isinstance(receiver, dict):
        value = receiver.get("value")
        if isinstance(value, dict):
            value = value.get("email") or value.get("id")
        contact = receiver.get("unicity") or receiver.get("id") or value or ""
    link, client = _obj(detail.get("link")), _obj(detail.get("client"))
    client_text = str(client.get("type", ""))
    if client.get("classification"):
        client_text += f":{client['classification']}"
    timestamp = event.get("timestamp")
    when = ""
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        try:
            when = ms_to_datetime(timestamp).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        except OverflowError:
            when = ""
    link_text = " ".join(str(link[k]) for k in ("type", "destination") if link.get(k))
    return {
        "type": event.get("type", ""),
        "id": event.get("id", ""),
        "timestamp": timestamp,
        "time": when,
        "contact": contact,
        "item": part.get("id", ""),
        "link": link_text,
        "client": client_text,
    }


class _Progress:
    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.count, self.started, self.shown = 0, time.monotonic(), 0.0

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if self.enabled and now - self.shown >= 0.2:
            self.shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        clock = time.strftime("%H:%M:%S", time.gmtime(elapsed))
        self.stream.write(f"\r{self.count:,} events · {self.count / elapsed:,.0f}/s · {clock} ")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self._show(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


def _write(events: Iterable[dict[str, Any]], fmt: str, out: IO[str], progress: _Progress) -> None:
    if fmt == "jsonl":
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            progress.tick()
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for event in events:
            writer.writerow(_flat(event))
            progress.tick()
    else:
        columns = [("time", 24), ("type", 12), ("item", 10), ("contact", 28), ("link", 40), ("client", 18)]
        out.write("  ".join(name.upper().ljust(width) for name, width in columns).rstrip() + "\n")
        for event in events:
            row = _flat(event)
            cells = [str(row[name] or "")[:width].ljust(width) for name, width in columns]
            out.write("  ".join(cells).rstrip() + "\n")
            progress.tick()
    out.flush()


# --- commands -------------------------------------------------------------------------


def _client(args: argparse.Namespace) -> Client:
    return Client(args.api_key, base_url=args.base_url, timeout=args.timeout, max_retries=args.max_retries)


def _contact_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    contact = Contact(id=args.id, unicity=args.unicity, hash=args.hash)
    if args.classification and args.kind not in ("hits", "form-hits"):
        raise errors.InvalidArgumentError("--classification applies to --kind hits or form-hits only")
    method: Callable[..., Iterator[dict[str, Any]]] = getattr(client, KINDS[args.kind])
    extra = {"classification": args.classification} if args.classification else {}
    return method(contact, start=args.start, end=args.end, sort=args.sort, raw=True, **extra)


def _campaign_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    query: Any = None
    if args.body is not None:
        if args.items or args.event_types or args.email_hits:
            raise errors.InvalidArgumentError("--body replaces --items, --event-types and --email-hits")
        try:
            query = json.loads(args.body.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise errors.InvalidArgumentError(f"--body {args.body}: {exc}") from None
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
        raise errors.InvalidArgumentError("--event-types and --email-hits need --items")
    stream: Iterator[dict[str, Any]] = client.campaign_events(
        args.campaign_id,
        query,
        items_only=query is not None,
        start=args.start,
        end=args.end,
        sort=args.sort,
        raw=True,
    )
    return stream


def _export(args: argparse.Namespace, produce: Callable[[argparse.Namespace, Client], Iterator[Any]]) -> int:
    progress = _Progress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())
    with _client(args) as client:
        events = produce(args, client)
        try:
            if args.output is None:
                _write(events, args.format, sys.stdout, progress)
            else:
                _write_file(events, args.format, args.output, progress)
        finally:
            progress.done()
    return 0


def _write_file(events: Iterable[Any], fmt: str, path: Path, progress: _Progress) -> None:
    """Write to ``path`` only once the export is complete.

    Events go to ``PATH.partial`` and are renamed at the end, so that an interrupted or
    failed export never leaves a file that looks complete (nor clobbers an older one).
    """
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            _write(events, fmt, out, progress)
    except BaseException as failure:
        if progress.count:
            failure.add_note(
                f"the {progress.count:,} events that arrived are in {partial}; {path} was not written"
            )
        else:
            partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def _mock(args: argparse.Namespace) -> int:
    try:
        from np6_mock import DEFAULT_API_KEY, Store, serve
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise errors.InvalidArgumentError(
            f"the mock needs the 'mock' extra: pip install 'np6[mock]' ({exc})"
        ) from None
    key = args.api_key or os.environ.get("NP6_MOCK_API_KEY") or DEFAULT_API_KEY
    started = time.monotonic()
    if args.load is not None:
        store = Store.from_jsonl(args.load, args.db)
    else:
        store = Store.generated(
            args.db, seed=args.seed, contacts=args.contacts, campaigns=args.campaigns, events=args.events
        )
    sample = store.sample()
    contact = sample["contact"] or {}
    # a key given through the environment is not echoed
    shown = "from $NP6_MOCK_API_KEY" if args.api_key is None and os.environ.get("NP6_MOCK_API_KEY") else key
    print(
        f"np6 mock: {sample['events']:,} events ready in {time.monotonic() - started:.1f}s; "
        f"serving http://{args.host}:{args.port} (key: X-Key {shown})",
        file=sys.stderr,
    )
    print(
        f"np6 mock: try contact id {contact.get('id')} / unicity {contact.get('unicity')}, "
        f"campaign {sample['campaign']}",
        file=sys.stderr,
        flush=True,
    )
    try:
        serve(store, host=args.host, port=args.port, api_key=key, fault=args.fault)
    finally:
        store.close()
    return 0


def _conformance(args: argparse.Namespace) -> int:
    from .conformance import ConformanceRun, run_conformance

    key = args.api_key or os.environ.get("NP6_API_KEY")
    if not key:
        print("np6 conformance: no API key: set NP6_API_KEY or pass --api-key", file=sys.stderr)
        return EXIT_USAGE
    run = ConformanceRun(
        base_url=args.base_url,
        api_key=key,
        junit_xml=args.junit_xml,
        max_examples=args.max_examples,
        seed=args.seed,
        contact_id=args.contact_id,
        unicity=args.contact_unicity,
        hash=args.contact_hash,
        campaign_id=args.campaign_id,
    )
    code = run_conformance(run)
    verdict = (
        "conforms to the spec"
        if code == 0
        else "does NOT conform to the spec"
        if code == 1
        else "could not be checked"
    )
    print(f"np6 conformance: {args.base_url} {verdict}; report: {args.junit_xml}", file=sys.stderr)
    return code


def _exit_code(error: errors.Error) -> int:
    if isinstance(error, errors.InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(error, (errors.AuthenticationError, errors.PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(error, errors.NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(error, errors.DecodeError):
        return EXIT_STREAM
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers: dict[str, Callable[[], int]] = {
        "events": lambda: _export(args, _contact_events),
        "campaign-events": lambda: _export(args, _campaign_events),
        "mock": lambda: _mock(args),
        "conformance": lambda: _conformance(args),
    }
    try:
        return handlers[args.command]()
    except errors.Error as error:
        print(f"np6 {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return _exit_code(error)
    except KeyboardInterrupt as interrupt:
        print(f"np6 {args.command}: interrupted{_notes(interrupt)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        sys.stderr.close()
        return 0
    except OSError as error:
        # a file that cannot be read or written: the OS's words are the clearest
        print(f"np6 {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR


def _notes(error: BaseException) -> str:
    return "".join(f"; {note}" for note in getattr(error, "__notes__", ()))


def _one_line(error: BaseException) -> str:
    return " ".join(f"{error}{_notes(error)}".split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
