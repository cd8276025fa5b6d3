"""What every command shares: exit statuses, time bounds, connection flags."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from .. import (
    DEFAULT_BASE_URL,
    AuthenticationError,
    DecodeError,
    Error,
    InsecureTransportError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)
from ..toolkit import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Redactor,
    check_transport,
    describe_timeout,
    printable,
    python_spelling,
    read_environment,
    resolve_base_url,
    to_time_bound,
)

if TYPE_CHECKING:
    from .. import ClientOptions

__all__ = [
    "EPILOG",
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_STREAM",
    "EXIT_USAGE",
    "KEY_WAYS",
    "TIME_FORMS",
    "api_key",
    "base_url_help",
    "checked_base_url",
    "client_options",
    "concurrency",
    "connection_options",
    "default_base_url",
    "exit_code",
    "key_options",
    "kind_name",
    "non_negative_int",
    "notes",
    "number",
    "one_line",
    "positive_int",
    "positive_seconds",
    "read_key",
    "subparser",
    "text",
    "time_bound",
]

NumberT = TypeVar("NumberT", int, float)

EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_STREAM, EXIT_INTERRUPTED = 1, 2, 3, 4, 5, 130

EPILOG = """\
exit status: 0 success, 1 API or network error, 2 bad arguments, 3 key refused (401/403),
4 contact or campaign not found, 5 incomplete or malformed answer, 130 interrupted.
The key is read from $NP6_API_KEY or --api-key-file FILE (- for standard input), never from
the command line, and never printed."""

KEY_WAYS = "set NP6_API_KEY, or pass --api-key-file FILE (- reads it from standard input)"
KEY_FILE_MAX = 64 * 1024
"""A key file larger than this is not a key file (a key is a few dozen characters)."""


_RELATIVE = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TIME_FORMS = (
    "give an ISO 8601 date or date-time (2024-05-01, 2024-05-01T08:00:00Z), epoch milliseconds "
    "(1714550400000), or a time ago: 30s, 15m, 12h, 7d, 2w"
)


def kind_name(spelling: str) -> str:
    """The Python name of a kind written on the command line: the one place a CLI spelling is read,
    by one mechanical rule (``open-hits`` is ``open_hits``), so the Python names are the kinds."""
    return python_spelling(spelling.strip())


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
    from_env = read_environment().base_url
    if from_env:
        # argparse expands %-formats in help texts
        return f"{what} (default: $NP6_BASE_URL, here {from_env.replace('%', '%%')})"
    return f"{what} (default: {DEFAULT_BASE_URL}; $NP6_BASE_URL replaces it when set)"


def number(
    text: str, parse: Callable[[str], NumberT], valid: Callable[[NumberT], bool], wanted: str
) -> NumberT:
    """What an argparse type of numbers returns: ``text`` parsed, if ``valid``; else "give ``wanted``"."""
    try:
        value = parse(text)
        if valid(value):
            return value
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r}: give {wanted}")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    return number(text, int, lambda value: value >= 1, "a whole number of at least 1")


def concurrency(text: str) -> int:
    """An argparse type: ``--concurrency``, from 1 to :data:`np6._fanout.MAX_CONCURRENCY`."""
    from ..toolkit import MAX_CONCURRENCY

    value = positive_int(text)
    if value > MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(
            f"{text!r}: at most {MAX_CONCURRENCY} (the connection pool's size: more would only wait)"
        )
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number of at least 0."""
    return number(text, int, lambda value: value >= 0, "a whole number of at least 0")


def positive_seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds (not 0, inf or nan)."""
    return number(
        text, float, lambda value: 0 < value < math.inf, "a positive number of seconds, such as 30 or 2.5"
    )


def text(value: str) -> str:
    """An argparse type: text that can be sent; bytes that are not UTF-8 are refused, shown as bytes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            shown = repr(os.fsencode(value))
        except UnicodeEncodeError:
            shown = ascii(value)
        raise argparse.ArgumentTypeError(f"{shown} is not UTF-8 text; NP6 ids and names are UTF-8") from None
    return value


class _KeyOnTheCommandLine(argparse.Action):
    """``--api-key``, kept only to refuse it: a key in argv is readable by every local user."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: Any = None
    ) -> NoReturn:
        # the value is not quoted: it is the key
        parser.error(
            "--api-key takes no key on the command line, where every user of this machine can read it "
            f"(ps, /proc) and your shell history keeps it: {KEY_WAYS}"
        )


def key_options(group: Any) -> None:
    """``--api-key-file``, and ``--api-key`` (hidden) to refuse a key given as a value."""
    group.add_argument(
        "--api-key-file",
        metavar="FILE",
        help="read the API key from FILE, - for standard input (default: $NP6_API_KEY); "
        "never give the key itself on the command line",
    )
    group.add_argument("--api-key", nargs="?", action=_KeyOnTheCommandLine, help=argparse.SUPPRESS)


def read_key(args: argparse.Namespace, stdin_users: Sequence[str] = ()) -> str | None:
    """The key of a command that takes one: from ``--api-key-file``, else ``$NP6_API_KEY``.

    Read once (standard input can be read only once) and kept on ``args``. A file that
    cannot be read is a usage error naming the file; its content is never quoted.
    ``stdin_users`` names the other options set to ``-``, which would compete for
    standard input.
    """
    if hasattr(args, "key"):
        key: str | None = args.key
        return key
    name: str | None = getattr(args, "api_key_file", None)
    if name is None:
        key = read_environment().api_key
    else:
        if name == "-" and stdin_users:
            raise InvalidArgumentError(
                f"--api-key-file - and {stdin_users[0]} - both read standard input: give one of them a file"
            )
        key = _key_from_file(name)
    args.key = key
    return key


def _key_from_file(name: str) -> str:
    flag = f"--api-key-file {printable(name)}"
    try:
        if name == "-":
            data = sys.stdin.buffer.read(KEY_FILE_MAX + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(KEY_FILE_MAX + 1)
    except OSError as exc:
        raise InvalidArgumentError(f"{flag}: {exc.strerror or exc}") from None
    if len(data) > KEY_FILE_MAX:
        raise InvalidArgumentError(f"{flag}: over {KEY_FILE_MAX // 1024} KiB, too large to be a key file")
    try:
        key = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InvalidArgumentError(f"{flag}: not UTF-8 text (the key is not shown)") from None
    if not key:
        raise InvalidArgumentError(f"{flag}: the file is empty")
    return key


def api_key(args: argparse.Namespace) -> str:
    """The command's key (see :func:`read_key`); a usage error naming both ways when there is none."""
    key = read_key(args)
    if not key or not key.strip():
        raise InvalidArgumentError(f"no API key: {KEY_WAYS}")
    return key


def connection_options(parser: argparse.ArgumentParser) -> None:
    """``--base-url``, ``--api-key-file``, ``--timeout``, ``--max-retries``, ``--deadline``."""
    group = parser.add_argument_group("connection")
    group.add_argument("--base-url", default=default_base_url(), help=base_url_help("NP6 server"))
    key_options(group)
    # no default of the command's own: not given, the library's applies, and the help shows it
    group.add_argument(
        "--timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="seconds each network phase of an attempt may take "
        f"(default: {describe_timeout(DEFAULT_TIMEOUT)})",
    )
    group.add_argument(
        "--max-retries",
        type=non_negative_int,
        metavar="N",
        help=f"retries on transient failures (default: {DEFAULT_MAX_RETRIES})",
    )
    group.add_argument(
        "--deadline",
        type=positive_seconds,
        help="seconds a whole request may take, retries and streaming included (default: none)",
    )


def default_base_url() -> str:
    """``--base-url``'s default: ``$NP6_BASE_URL``, else NP6's."""
    return read_environment().base_url or DEFAULT_BASE_URL


def client_options(args: argparse.Namespace) -> ClientOptions:
    """The options of the command's client, from the connection flags (see :func:`connection_options`).

    A flag not given is left out, so that the library's default applies, as for a
    client built in Python.
    """
    from .. import ClientOptions  # here: `np6 --help` loads no client code

    return ClientOptions(
        api_key(args),
        base_url=checked_base_url(args),
        timeout=args.timeout,
        max_retries=args.max_retries,
        deadline=getattr(args, "deadline", None),
    )


def subparser(commands: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A command's parser, with the shared epilog and formatting."""
    kwargs.setdefault("epilog", EPILOG)
    parser: argparse.ArgumentParser = commands.add_parser(
        name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
    )
    return parser


def exit_code(error: Error) -> int:
    """The exit status that names what went wrong."""
    if isinstance(error, InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(error, DecodeError):
        return EXIT_STREAM
    return EXIT_ERROR


def notes(error: BaseException) -> str:
    """The notes added to ``error``, each after a semicolon."""
    return "".join(f"; {note}" for note in getattr(error, "__notes__", ()))


def one_line(error: BaseException, redact: Redactor | None = None, named: bool = False) -> str:
    """``error`` on one line, controls shown escaped, masked by ``redact`` (np6's own messages are masked
    already): whatever a server or a file put in it cannot act on the terminal."""
    try:
        text = f"{type(error).__name__}: {error}" if named else str(error)
        text += notes(error)
    except Exception:  # an exception whose str() fails
        text = type(error).__name__
    text = printable(" ".join(text.split()))
    return redact(text) if redact is not None else text
