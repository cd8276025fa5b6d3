"""``np6 conformance``: check a server against the spec with schemathesis."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .._urls import DEFAULT_BASE_URL
from ._common import EXIT_USAGE, subparser

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add ``conformance`` to the ``np6`` command."""
    conformance = subparser(
        commands,
        "conformance",
        epilog=None,
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
    conformance.set_defaults(handler=_conformance)


def _conformance(args: argparse.Namespace) -> int:
    from ..conformance import ConformanceRun, run_conformance

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
