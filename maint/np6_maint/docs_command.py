"""``np6-maint docs check``: compare saved NP6 reference pages with the spec."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._parser import subparser

__all__ = ["register"]

EXIT_CLEAN, EXIT_DIFFERENCES, EXIT_UNREADABLE = 0, 1, 2

_EPILOG = """\
exit status: 0 every difference is acknowledged, 1 an unacknowledged difference,
2 a page, the spec or the acknowledgement file cannot be read (or a page holds nothing
recognisable). Save the pages with the browser's "save as text"; NP6's layouts (parameter
tables, compact pages with server lines and curl samples, their "dash" rendering, and a
page's .md rendering) are read."""


def register(commands: Any) -> None:
    """Add ``docs check`` to the ``np6-maint`` command."""
    docs = subparser(commands, "docs", epilog=None, help="check NP6's reference pages against the spec")
    actions = docs.add_subparsers(dest="docs_command", required=True, metavar="ACTION")
    check = subparser(
        actions,
        "check",
        help="report every difference between saved reference pages and the spec",
        description="Read NP6 API reference pages saved as text, extract each operation, its parameters "
        "and samples, and report every difference from the spec that is not acknowledged in the "
        "acknowledgement file next to it.",
        epilog=_EPILOG,
    )
    check.add_argument("pages", nargs="+", type=Path, metavar="PAGE", help="a reference page saved as text")
    check.add_argument("--spec", type=Path, help="the spec (default: the one this package ships)")
    check.add_argument(
        "--acknowledged",
        type=Path,
        help="acknowledged differences (default: acknowledged.yaml next to the spec, if there)",
    )
    check.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    import np6
    import yaml
    from np6.spec import spec_path

    from .docs.acknowledged import load_acknowledgements
    from .docs.check import check
    from .docs.pages import read_page
    from .docs.report import reconcile, render

    try:
        spec_file = args.spec or spec_path()
        spec = _load_spec(spec_file, yaml)
        ack_file = args.acknowledged or spec_file.with_name("acknowledged.yaml")
        acknowledgements = load_acknowledgements(ack_file) if args.acknowledged or ack_file.is_file() else []
        pages = [read_page(path) for path in args.pages]
    except (np6.Error, OSError) as error:
        return _fail(str(error))
    try:
        report = reconcile(check(pages, spec), acknowledgements)
    except Exception as error:
        return _fail(f"{spec_file}: not a well-formed OpenAPI spec ({type(error).__name__}: {error})")
    sys.stdout.write(render(report, args.format))
    return EXIT_DIFFERENCES if report.exit_code else EXIT_CLEAN


def _load_spec(path: Path, yaml: Any) -> dict[str, Any]:
    import np6

    try:
        with path.open(encoding="utf-8") as handle:
            loaded = yaml.safe_load(handle)
    except OSError as error:
        raise np6.InvalidArgumentError(f"spec {path}: cannot be read: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise np6.InvalidArgumentError(
            f"spec {path}: not YAML: {' '.join(str(error).split())[:200]}"
        ) from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("paths"), dict):
        raise np6.InvalidArgumentError(f"spec {path}: not an OpenAPI document (no 'paths')")
    return loaded


def _fail(message: str) -> int:
    print(f"np6-maint docs check: error: {message}", file=sys.stderr)
    return EXIT_UNREADABLE
