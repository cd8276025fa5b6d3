"""``np6 events`` and ``np6 campaign-events``: stream events to standard output or a file."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import errors
from .._sync.client import Client
from ..campaigns import items_filter
from ..contacts import Contact
from ._common import connection_options, subparser, time_bound
from .output import FORMATS, Progress, write, write_file

__all__ = ["KINDS", "register"]

KINDS = {
    "all": "events",
    "activations": "activations",
    "bounces": "bounces",
    "hits": "hits",
    "form-hits": "form_hits",
    "stops": "stop_responses",
}


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection and output")
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
        "-o",
        "--output",
        type=Path,
        help="write to this file instead of standard output (through FILE.partial, renamed when complete)",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="no progress line on standard error")


def register(commands: Any) -> None:
    """Add ``events`` and ``campaign-events`` to the ``np6`` command."""
    events = subparser(
        commands,
        "events",
        help="stream a contact's events",
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
    connection_options(events)
    events.set_defaults(handler=lambda args: _export(args, _contact_events))

    campaign = subparser(
        commands,
        "campaign-events",
        help="stream a campaign's events",
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
    key = args.api_key or os.environ.get("NP6_API_KEY")
    if not key:
        raise errors.InvalidArgumentError("no API key: pass --api-key KEY or set NP6_API_KEY")
    try:
        return Client(key, base_url=args.base_url, timeout=args.timeout, max_retries=args.max_retries)
    except errors.InsecureTransportError:
        raise errors.InvalidArgumentError(
            f"--base-url {args.base_url}: the key would travel in clear text; use https:// "
            "(plain http:// is allowed to this machine only)"
        ) from None


def _contact_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    contact = Contact(id=args.id, unicity=args.unicity, hash=args.hash)
    if args.classification and args.kind not in ("hits", "form-hits"):
        raise errors.InvalidArgumentError("--classification applies to --kind hits or form-hits only")
    method: Callable[..., Iterator[dict[str, Any]]] = getattr(client.raw, KINDS[args.kind])
    extra = {"classification": args.classification} if args.classification else {}
    return method(contact, start=args.start, end=args.end, sort=args.sort, **extra)


def _campaign_events(args: argparse.Namespace, client: Client) -> Iterator[dict[str, Any]]:
    query: Any = None
    if args.body is not None:
        if args.items or args.event_types or args.email_hits:
            raise errors.InvalidArgumentError("--body replaces --items, --event-types and --email-hits")
        try:
            query = json.loads(args.body.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise errors.InvalidArgumentError(f"--body {args.body}: {exc}") from None
        if not isinstance(query, dict) or not isinstance(query.get("itemsEvents"), list):
            raise errors.InvalidArgumentError(
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
        raise errors.InvalidArgumentError("--event-types and --email-hits need --items")
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
    with _client(args) as client:
        events = produce(args, client)
        try:
            if args.output is None:
                write(events, args.format, sys.stdout, progress)
            else:
                write_file(events, args.format, args.output, progress)
        finally:
            progress.done()
    return 0
