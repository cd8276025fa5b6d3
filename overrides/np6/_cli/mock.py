"""``np6 mock``: serve the bundled mock NP6 server until interrupted."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import math
import sys
import time
from pathlib import Path
from typing import Any

from .. import InvalidArgumentError
from ..toolkit import read_environment
from ._common import EXIT_ERROR, positive_int, subparser

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add ``mock`` to the ``np6`` command."""
    mock = subparser(
        commands,
        "mock",
        epilog=None,
        help="run the bundled mock NP6 server",
        description="Serve every operation of the spec from a deterministic data set "
        "or your own events, until interrupted.",
    )
    mock.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    mock.add_argument(
        "--port", type=int, default=8080, help="port, 0 for any free one (default: %(default)s)"
    )
    mock.add_argument("--seed", type=int, default=6, help="data set seed (default: %(default)s)")
    mock.add_argument(
        "--anchor",
        type=_date,
        help="the date the generated data set ends at, YYYY-MM-DD: its events lie in the 92 days "
        "before (default: today, UTC); the same --seed and --anchor give the same data",
    )
    mock.add_argument("--contacts", type=int, default=50, help="contacts to generate (default: %(default)s)")
    mock.add_argument("--campaigns", type=int, default=3, help="campaigns to generate (default: %(default)s)")
    mock.add_argument("--events", type=int, default=2000, help="events to generate (default: %(default)s)")
    mock.add_argument(
        "--load",
        type=_load,
        action="append",
        metavar="[CAMPAIGN=]FILE",
        help="serve the events of this JSON Lines file instead (repeatable): what np6 events and np6 "
        'campaign-events write, or envelopes {"event", "contact", "campaign"}; CAMPAIGN= names '
        "the campaign of a campaign's export (its events carry only their items' ids)",
    )
    mock.add_argument("--db", help="SQLite file to build the data set in (default: a temporary file)")
    mock.add_argument(
        "--api-key",
        default=None,
        help="the key clients must send (default: $NP6_MOCK_API_KEY or np6-mock-key)",
    )
    mock.add_argument(
        "--fault", help="inject a fault into every answer, e.g. 'status=503,times=2' (see np6_mock.faults)"
    )
    mock.add_argument(
        "--rate-limit",
        type=positive_int,
        metavar="N",
        help="allow N requests a second per key, in windows of one whole second; beyond, answer 429 "
        "with Retry-After (an HTTP date); X-RateLimit-Limit, -Remaining and -Reset (the epoch second "
        "the window ends) on every answer",
    )
    mock.add_argument(
        "--clock-skew",
        type=_finite,
        default=0.0,
        metavar="SECONDS",
        help="date every answer (its Date header) this many seconds off this machine's clock, "
        "negative for behind, to try a client against a server whose clock differs (default: 0)",
    )
    mock.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        help="write every contact (id, unicity, hash) and campaign (id, items) served to FILE as "
        "JSON, before serving",
    )
    mock.set_defaults(handler=_mock)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2024-01-31") from None


def _load(text: str) -> tuple[str | None, Path]:
    """``FILE`` or ``CAMPAIGN=FILE`` (a file that exists by the whole name is a file)."""
    campaign, separator, name = text.partition("=")
    if not separator or Path(text).exists():
        return None, Path(text)
    if not campaign or not name:
        raise argparse.ArgumentTypeError(f"{text!r}: give FILE or CAMPAIGN=FILE")
    return campaign, Path(name)


def _mock(args: argparse.Namespace) -> int:
    try:
        from np6_mock import DEFAULT_API_KEY, Store, bind, serve, write_manifest
        from np6_mock.banner import banner_lines
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InvalidArgumentError(
            f"the mock needs the 'mock' extra: pip install 'np6[mock]' ({exc})"
        ) from None
    if args.load is not None and args.anchor is not None:
        raise InvalidArgumentError(
            "--anchor dates the generated data set; the events of --load keep their own timestamps"
        )
    key = args.api_key or read_environment().mock_api_key or DEFAULT_API_KEY
    started = time.monotonic()
    try:
        # before the data set is built: a busy port is told at once
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"np6 mock: error: {_bind_error(args.host, args.port, exc)}", file=sys.stderr)
        return EXIT_ERROR
    store = None
    try:
        if args.load is not None:
            try:
                store = Store.from_files(args.load, args.db)
            except ValueError as refused:  # a line of a file that cannot be served, named
                raise InvalidArgumentError(f"--load {refused}") from None
        else:
            store = Store.generated(
                args.db,
                seed=args.seed,
                contacts=args.contacts,
                campaigns=args.campaigns,
                events=args.events,
                anchor=args.anchor,
            )
        if args.manifest is not None:
            write_manifest(store, args.manifest)
        sock.listen(128)  # connections wait in the queue from here; none were accepted before
        host, port = sock.getsockname()[:2]
        # a key given through the environment is not echoed
        env_key = args.api_key is None and read_environment().mock_api_key
        lines = banner_lines(
            store.sample(),
            store.showcase(),
            base_url=f"http://{f'[{host}]' if ':' in host else host}:{port}",
            key_shown="from $NP6_MOCK_API_KEY" if env_key else key,
            seconds=time.monotonic() - started,
            rate_limit=args.rate_limit,
            manifest=None if args.manifest is None else str(args.manifest),
            notes=store.notes,
        )
        print("\n".join(lines), file=sys.stderr, flush=True)
        serve(
            store, sock, api_key=key, fault=args.fault, rate_limit=args.rate_limit, clock_skew=args.clock_skew
        )
    finally:
        sock.close()
        if store is not None:
            store.close()
    return 0


def _bind_error(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use: stop what listens there, "
            f"or choose another with --port (--port 0 takes any free port)"
        )
    return f"cannot listen on {host} port {port} ({error.strerror or error}): check --host and --port"


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds")
    return value
