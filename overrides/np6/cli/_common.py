"""What every command shares: exit statuses, time bounds, connection flags."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from typing import Any

from .._urls import DEFAULT_BASE_URL, check_transport, resolve_base_url
from ..errors import InsecureTransportError, InvalidArgumentError
from ..timebounds import to_time_bound

__all__ = [
    "EPILOG",
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_STREAM",
    "EXIT_USAGE",
    "TIME_FORMS",
    "base_url_help",
    "checked_base_url",
    "concurrency",
    "connection_options",
    "positive_int",
    "subparser",
    "time_bound",
]

EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_STREAM, EXIT_INTERRUPTED = 1, 2, 3, 4, 5, 130

EPILOG = """\
exit status: 0 success, 1 API or network error, 2 bad arguments, 3 key refused (401/403),
4 contact or campaign not found, 5 incomplete or malformed answer, 130 interrupted.
The key is read from --api-key or $NP6_API_KEY and never printed."""


_RELATIVE = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TIME_FORMS = (
    "give an ISO 8601 date or date-time (2024-05-01, 2024-05-01T08:00:00Z), epoch milliseconds "
    "(1714550400000), or a time ago: 30s, 15m, 12h, 7d, 2w"
)


def time_bound(text: str) -> str | int | dt.datetime:
    """A ``--start``/``--end`` value: ``7d``-style ago, or what the client accepts, checked now.

    A bad value is an argparse error, which names the flag.
    """
    match = _RELATIVE.match(text.strip())
    if match:
        amount, unit = match.groups()
        return dt.datetime.now(dt.UTC) - dt.timedelta(**{_UNITS[unit]: int(amount)})
    try:
        to_time_bound(text, "bound")
    except InvalidArgumentError as refused:
        detail = str(refused).removeprefix("bound: ") if "epoch seconds" in str(refused) else TIME_FORMS
        raise argparse.ArgumentTypeError(f"{text!r}: {detail}") from None
    return text


def checked_base_url(args: argparse.Namespace) -> str:
    """``--base-url``, refused in the CLI's words if the key would travel in clear text."""
    try:
        check_transport(resolve_base_url(args.base_url, None), allow_insecure_http=False)
    except InsecureTransportError:
        raise InvalidArgumentError(
            f"--base-url (or $NP6_BASE_URL) {args.base_url}: the key would travel in clear text; use "
            "https:// (plain http:// is allowed to this machine only)"
        ) from None
    except InvalidArgumentError as refused:
        detail = str(refused).removeprefix("base_url ")
        raise InvalidArgumentError(f"--base-url (or $NP6_BASE_URL): {detail}") from None
    return str(args.base_url)


def base_url_help(what: str) -> str:
    """The help of a ``--base-url``: the default it really has, with $NP6_BASE_URL set or not."""
    from_env = os.environ.get("NP6_BASE_URL")
    if from_env:
        # argparse expands %-formats in help texts
        return f"{what} (default: $NP6_BASE_URL, here {from_env.replace('%', '%%')})"
    return f"{what} (default: {DEFAULT_BASE_URL}; $NP6_BASE_URL replaces it when set)"


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of at least 1")
    return value


def concurrency(text: str) -> int:
    """An argparse type: ``--concurrency``, from 1 to :data:`np6.fanout.MAX_CONCURRENCY`."""
    from .._limits import MAX_CONCURRENCY

    value = positive_int(text)
    if value > MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(
            f"{text!r}: at most {MAX_CONCURRENCY} (the connection pool's size: more would only wait)"
        )
    return value


def connection_options(parser: argparse.ArgumentParser) -> None:
    """``--base-url``, ``--api-key``, ``--timeout``, ``--max-retries``."""
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--base-url",
        default=os.environ.get("NP6_BASE_URL", DEFAULT_BASE_URL),
        help=base_url_help("NP6 server"),
    )
    group.add_argument("--api-key", help="API key (default: $NP6_API_KEY)")
    group.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for each read (default: 60)"
    )
    group.add_argument(
        "--max-retries", type=int, default=2, help="retries on transient failures (default: 2)"
    )
    group.add_argument(
        "--deadline",
        type=float,
        help="seconds a whole request may take, retries and streaming included (default: none)",
    )


def subparser(commands: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A command's parser, with the shared epilog and formatting."""
    kwargs.setdefault("epilog", EPILOG)
    parser: argparse.ArgumentParser = commands.add_parser(
        name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
    )
    return parser
