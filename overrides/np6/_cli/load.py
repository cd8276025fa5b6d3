"""``np6 load``: load the events of many contacts or campaigns into a warehouse, incrementally."""

from __future__ import annotations

import argparse
import logging
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import Error, InvalidArgumentError
from ..toolkit import MAX_CONCURRENCY
from ._common import client_options, concurrency, connection_options, number, subparser, time_bound

__all__ = ["register"]

REACTIVITY_CHANNELS = ("email", "notification")
"""np6.dlt.REACTIVITY_CHANNELS' keys, for the parser, without importing dlt (a test checks they agree)."""

SETTLE_MARGIN_DEFAULT = 300.0
"""np6.dlt.DEFAULT_SETTLE_MARGIN, for the help, without importing dlt (an extra) to build the parser."""

_DESCRIPTION = """\
Load the events of the contacts listed in a file (--id-file, --unicity-file or --hash-file,
one a line, - for standard input), of the campaigns listed in --campaign-file, and/or
every reaction of the whole account (--reactivities email,notification: one request a
channel per run, whatever the number of contacts) into a database, with dlt. Each run
loads only what is new since the last one (dlt keeps the last timestamp loaded in the
destination, committed with the data): rerunning a finished run loads nothing, and a
run that failed or was cut loads again from what was committed.
A contact or campaign added to the file later gets its whole history (from --start, if
given) in its first run; one removed and put back later is refused by name, as its
events from its removal on could not be loaded without a gap or repeats. One listed
twice is asked once.

Each run asks up to NP6's own clock (the Date header of its answer) less
--settle-margin, so a clock on this machine ahead of NP6's loses nothing. A contact or
campaign NP6 answers 404 for is named on standard error and skipped, the others are
committed, and a later run in which it answers loads everything it missed, once;
--strict fails the run instead. Any other error fails the run and commits nothing.
Two runs of one pipeline at once: the second stops at once (exit 2), naming the lock
(PIPELINE.np6.lock in the pipelines folder) and the process that holds it.

--destination duckdb (the default) writes the local file --database. Any other dlt
destination (postgres, bigquery, snowflake, ...) is configured the dlt way, for example
DESTINATION__POSTGRES__CREDENTIALS=postgresql://... in the environment or
.dlt/secrets.toml. Tables: contact_events, campaign_events and reactivities, nested objects
flattened into columns named by their path (source__detail__link__destination), lists in
child tables. Needs the dlt extra: pip install 'np6[dlt]'."""


def register(commands: Any) -> None:
    """Add ``load`` to the ``np6`` command."""
    load = subparser(
        commands,
        "load",
        help="load events into a database, incrementally (dlt; DuckDB by default)",
        description=_DESCRIPTION,
    )
    who = load.add_argument_group("what to load (at least one)")
    contacts = who.add_mutually_exclusive_group()
    for selector, what in (("id", "ids"), ("unicity", "unicity values"), ("hash", "hashes")):
        contacts.add_argument(f"--{selector}-file", metavar="FILE", help=f"contacts: a file of {what}")
    who.add_argument("--campaign-file", metavar="FILE", help="campaigns: a file of campaign ids")
    who.add_argument(
        "--reactivities",
        type=_channels,
        metavar="CHANNELS",
        help="every reaction (hit, bounce, opt-out ...) of the whole account on these channels, "
        f"comma-separated: {', '.join(REACTIVITY_CHANNELS)}; one request a channel per run, into the "
        "table reactivities (the way to load a whole account; contacts and campaigns load chosen ones)",
    )
    where = load.add_argument_group("where to")
    where.add_argument("--destination", default="duckdb", help="a dlt destination (default: duckdb)")
    where.add_argument(
        "--database",
        type=Path,
        default=Path("np6.duckdb"),
        help="the DuckDB file, with --destination duckdb (default: %(default)s)",
    )
    # not "np6": DuckDB names the catalog of np6.duckdb "np6", and a schema of the same name is ambiguous
    where.add_argument(
        "--dataset", default="np6_events", help="the dataset (schema) name (default: %(default)s)"
    )
    where.add_argument(
        "--pipeline",
        default="np6",
        help="the dlt pipeline's name, which keys its state (default: %(default)s)",
    )
    where.add_argument(
        "--pipelines-dir",
        type=Path,
        help="dlt's working directory (default: DATABASE.pipelines beside the DuckDB file, else dlt's own)",
    )
    load.add_argument(
        "--start",
        type=time_bound,
        help=(
            "the first run of each contact or campaign loads its events from then on (default: all); "
            "later runs go on from the last one"
        ),
    )
    load.add_argument(
        "--concurrency",
        type=concurrency,
        default=4,
        help=f"requests at the same time, at most {MAX_CONCURRENCY} (default: %(default)s)",
    )
    load.add_argument(
        "--settle-margin",
        type=_seconds,
        metavar="SECONDS",
        help=(
            "each run loads events up to NP6's clock less this: events that reach NP6 up to that long "
            "after their timestamp are not passed over, and the newest wait for the next run "
            f"(default: {SETTLE_MARGIN_DEFAULT:g}, np6.dlt.DEFAULT_SETTLE_MARGIN)"
        ),
    )
    load.add_argument(
        "--strict",
        action="store_true",
        help="a contact or campaign NP6 answers 404 for fails the run "
        "(default: named, skipped, caught up in a later run)",
    )
    load.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    connection_options(load)
    load.set_defaults(handler=_load)


def _load(args: argparse.Namespace) -> int:
    try:
        import dlt
        from dlt.pipeline.exceptions import PipelineStepFailed
    except ImportError:
        raise InvalidArgumentError("np6 load needs the dlt extra: pip install 'np6[dlt]'") from None
    from ..dlt import np6_source, pipeline_lock

    contact_file = next(
        ((s, getattr(args, f"{s}_file")) for s in ("id", "unicity", "hash") if getattr(args, f"{s}_file")),
        None,
    )
    if contact_file is None and args.campaign_file is None and args.reactivities is None:
        raise InvalidArgumentError(
            "give the contacts (--id-file, --unicity-file or --hash-file), --campaign-file or --reactivities"
        )
    destination: Any = args.destination
    if destination == "duckdb":
        destination = dlt.destinations.duckdb(str(args.database))
    pipelines_dir = args.pipelines_dir
    if pipelines_dir is None and args.destination == "duckdb":
        # dlt's own default is one folder per machine (~/.dlt, /var/dlt as root): a pipeline
        # there remembers the last database it loaded, and another file would meet its state
        pipelines_dir = Path(args.database).with_name(Path(args.database).name + ".pipelines")
    options: dict[str, Any] = {} if pipelines_dir is None else {"pipelines_dir": str(pipelines_dir)}
    # before dlt opens the pipeline's folder: a second run must find everything as the first left it
    with pipeline_lock(args.pipeline, pipelines_dir):
        pipeline = dlt.pipeline(
            pipeline_name=args.pipeline, destination=destination, dataset_name=args.dataset, **options
        )
        return _run(args, pipeline, contact_file, np6_source, PipelineStepFailed)


def _run(
    args: argparse.Namespace,
    pipeline: Any,
    contact_file: tuple[str, str] | None,
    np6_source: Any,
    step_failed: Any,
) -> int:
    from .export import contacts_from_file

    options = client_options(args)
    source = np6_source(
        contacts=None if contact_file is None else contacts_from_file(*contact_file),
        campaigns=None if args.campaign_file is None else _campaign_ids(args.campaign_file),
        reactivities=args.reactivities,
        start=args.start,
        # given explicitly as well, so that dlt's configuration (SOURCES__NP6__...) does not replace them
        api_key=options.api_key,
        base_url=str(options.base_url),
        concurrency=args.concurrency,
        client_options=options,
        strict=args.strict,
        **({} if args.settle_margin is None else {"settle_margin": args.settle_margin}),
    )
    # DuckDB reads dlt's JSON Lines files natively: over 20x faster than its default of
    # INSERT statements for rows as wide as flattened events
    formats: dict[str, Any] = {"loader_file_format": "jsonl"} if args.destination == "duckdb" else {}
    warnings = _Warnings()
    logging.getLogger("np6.dlt").addHandler(warnings)
    try:
        pipeline.run(source, **formats)
    except step_failed as failure:
        cause = _np6_error(failure)
        if cause is None:
            raise Error(f"dlt's {failure.step} step failed: {failure.exception}") from None
        if not isinstance(cause, InvalidArgumentError):
            # a refusal (a contact back after a run without it) would meet the same refusal
            cause.add_note("nothing of this run was committed; the next run asks for the same events again")
        raise cause from None
    finally:
        logging.getLogger("np6.dlt").removeHandler(warnings)
    skipped = _skipped(pipeline, source)
    if not args.quiet:
        normalized = pipeline.last_trace.last_normalize_info if pipeline.last_trace else None
        counts = normalized.row_counts if normalized is not None else {}
        loaded = {table: n for table, n in counts.items() if not table.startswith("_dlt")}
        where = args.database if args.destination == "duckdb" else args.destination
        summary = (
            ", ".join(f"{n:,} rows into {table}" for table, n in sorted(loaded.items())) or "nothing new"
        )
        summary += "".join(
            f", {len(keys):,} {_WHAT[table]} skipped (404): {', '.join(_printable(k) for k in keys)}"
            for table, keys in skipped.items()
        )
        print(f"np6 load: {summary} ({where}, dataset {args.dataset})", file=sys.stderr)
    return 0


_WHAT = {"contact_events": "contacts", "campaign_events": "campaigns", "reactivities": "channels"}


def _skipped(pipeline: Any, source: Any) -> dict[str, list[str]]:
    """Per table, the listed targets this run skipped: those still missed once it committed.

    A listed target that answered leaves the ``missed`` list of the source state.
    """
    targets = pipeline.state.get("sources", {}).get(source.name, {}).get("targets", {})
    return {
        table: list(targets[table]["missed"])
        for table in _WHAT
        if table in targets and targets[table].get("missed")
    }


class _Warnings(logging.Handler):
    """np6.dlt's warnings (a contact skipped, no Date from NP6) on standard error, even with --quiet."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        print(f"np6 load: warning: {_printable(record.getMessage())}", file=sys.stderr)


def _printable(key: str) -> str:
    # a line of the id file goes to the terminal: control characters shown, not obeyed
    return key if key.isprintable() else ascii(key)


def _channels(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in REACTIVITY_CHANNELS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give channels among {', '.join(REACTIVITY_CHANNELS)}, comma-separated"
        )
    return names


def _seconds(text: str) -> float:
    return number(text, float, lambda value: 0 <= value < math.inf, "a number of seconds of at least 0")


def _np6_error(failure: BaseException) -> Error | None:
    """The np6 error behind dlt's, if any: its type gives the exit status."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [failure]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, Error):
            return current
        todo.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return None


def _campaign_ids(name: str) -> Iterator[str]:
    try:
        # utf-8-sig: a byte order mark some editors put first is not part of the first id
        handle = sys.stdin if name == "-" else open(name, encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise InvalidArgumentError(f"--campaign-file {name}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            value = line.removeprefix("\ufeff") if number == 1 else line
            if value.strip():
                yield value.strip()
