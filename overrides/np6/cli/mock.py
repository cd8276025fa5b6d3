"""``np6 mock``: serve the bundled mock NP6 server until interrupted."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from .. import errors
from ._common import subparser

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
    mock.set_defaults(handler=_mock)


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
