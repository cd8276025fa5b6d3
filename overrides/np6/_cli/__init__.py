"""The ``np6`` command: one module per command, each adding its parser with ``register``.

Every command's handler returns an exit status; an :class:`np6.Error` becomes one
line on standard error and the status that names its cause.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .. import Error, __version__
from ..toolkit import Redactor
from . import conformance, export, families, load, mock
from ._common import (
    EPILOG,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    exit_code,
    notes,
    one_line,
    read_key,
)

__all__ = ["build_parser", "main"]

COMMANDS = (export, families, load, mock, conformance)


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, like every other np6 error, pointing at ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``np6`` command."""
    parser = _Parser(
        prog="np6",
        description="Stream contact and campaign events out of the NP6 (Chapsvision CM) API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"np6 {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status. Never prints a traceback, nor the key."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    redact = Redactor(getattr(args, "api_key", None) if args.command == "mock" else None)
    try:
        if hasattr(args, "api_key_file"):
            # read first, once: every message after this one is masked with it
            key = read_key(args, _stdin_users(args))
            redact = Redactor(key.strip() if key else None)
        return handler(args)
    except Error as error:
        print(f"np6 {args.command}: error: {one_line(error, redact)}", file=sys.stderr)
        return exit_code(error)
    except KeyboardInterrupt as interrupt:
        print(f"np6 {args.command}: interrupted{notes(interrupt)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        sys.stderr.close()
        return 0
    except OSError as error:
        # a file that cannot be read or written: the OS's words are the clearest
        print(f"np6 {args.command}: error: {one_line(error, redact)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:
        # last resort: a bug in np6 still ends as one line (a traceback could show the key)
        print(
            f"np6 {args.command}: internal error, please report it: {one_line(error, redact, named=True)}",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _stdin_users(args: argparse.Namespace) -> list[str]:
    """The options of ``args`` that read standard input (set to ``-``)."""
    names = ("id_file", "unicity_file", "hash_file", "campaign_file")
    return [f"--{name.replace('_', '-')}" for name in names if getattr(args, name, None) == "-"]
