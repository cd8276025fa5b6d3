"""Live conformance: check any NP6 server (or the mock) against the spec, with a CI verdict.

The run has three steps. A probe request first tells an unreachable server (exit 5)
and a refused key (exit 3) apart from everything else, in one request. schemathesis'
CLI then runs every check with positive and negative data, a bounded number of
examples and a JUnit report; the hooks in :mod:`np6._conformance_hooks` aim it at real
ids, keep every request inside a time window, and record each answer's status. Last,
the records and the JUnit report make one :class:`Outcome`: per operation the cases,
the statuses seen and the failures, and the exit code. The key travels in an
environment variable read by a generated config file, never on a command line, and
every text that leaves this module is redacted.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

import attrs
import httpx

from . import ClientOptions, InsecureTransportError, InvalidArgumentError
from .spec import spec_path
from .toolkit import (
    DEFAULT_MAX_TIME,
    Bound,
    Redactor,
    bounded,
    check_transport,
    checked_key,
    install_deadline,
    may_use_proxies,
    to_epoch_ms,
)

__all__ = [
    "DEFAULT_MAX_TIME",
    "EXIT_CHECK_FAILED",
    "EXIT_CONFORMS",
    "EXIT_INCONCLUSIVE",
    "EXIT_KEY_REFUSED",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "INSTALL_HINT",
    "ConformanceRun",
    "Failure",
    "OperationSummary",
    "Outcome",
    "Window",
    "run_conformance",
]

EXIT_CONFORMS, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_KEY_REFUSED, EXIT_INCONCLUSIVE, EXIT_UNREACHABLE = range(6)
INSTALL_HINT = "pip install 'np6[conformance]'"
DEFAULT_WINDOW = dt.timedelta(days=7)
PHASES = "examples,coverage,fuzzing,stateful"
KEY_PLACEHOLDER = '"X-Key: $NP6_API_KEY"'

_CONFIG = """\
[headers]
"X-Key" = "${NP6_API_KEY}"
"""
_FILTERED_KEY = re.compile(r"""-H ['"]X-Key: \[Filtered\]['"]""", re.IGNORECASE)
_CHECK_TITLE = re.compile(r"^- (ST\d+ .+)$", re.MULTILINE)
_CURL = re.compile(r"^\s*(curl .+)$", re.MULTILINE)


def redact(text: str, secret: str) -> str:
    """``text`` with the key masked, as in every np6 message (:class:`np6.toolkit.Redactor`)."""
    return Redactor(secret)(text)


@attrs.frozen
class Window:
    """The time window every request stays in; ``default`` when the user gave none."""

    start: dt.datetime
    end: dt.datetime
    default: bool = False

    @classmethod
    def last(cls, span: dt.timedelta = DEFAULT_WINDOW, now: dt.datetime | None = None) -> Window:
        """The ``span`` before ``now`` (the default window: the last 7 days)."""
        end = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        return cls(end - span, end, default=True)

    def describe(self) -> str:
        """``2024-01-01T00:00:00Z .. 2024-01-08T00:00:00Z``, saying whether it is the default."""
        text = f"{_iso(self.start)} .. {_iso(self.end)}"
        if self.default:
            return f"{text} (the last {DEFAULT_WINDOW.days} days, the default; --start/--end to change)"
        return text


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@attrs.frozen
class ConformanceRun:
    """What to check and how hard."""

    base_url: str
    api_key: str = attrs.field(repr=False)
    window: Window = attrs.field(factory=Window.last)
    junit_xml: Path | None = None
    max_examples: int = 20
    seed: int = 1
    contact_id: str | None = None
    unicity: str | None = None
    hash: str | None = None
    campaign_id: str | None = None
    action_id: str | None = None
    notification_id: str | None = None
    content_id: str | None = None
    workers: int = 1
    phases: str = PHASES
    probe_timeout: float = 10.0
    extra_args: tuple[str, ...] = ()
    max_time: float = DEFAULT_MAX_TIME


@attrs.frozen
class Failure:
    """One failed check: which, with a curl that reproduces it (the key left out)."""

    check: str
    curl: str | None


# the operations whose path id is not a contact's: the flag naming a real one
_ITEM_IDS = (
    ("/campaigns/", "--campaign-id", "a campaign"),
    ("/actions/", "--action-id", "an email or text message action"),
    ("/notifications/", "--notification-id", "a push notification"),
    ("/display/", "--content-id", "a display content"),
)


@attrs.frozen
class OperationSummary:
    """What one operation did during the run."""

    operation: str
    statuses: dict[int, int]
    unanswered: int = 0
    failures: tuple[Failure, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def cases(self) -> int:
        """Requests sent for this operation."""
        return sum(self.statuses.values()) + self.unanswered

    @property
    def answered_2xx(self) -> bool:
        """Whether the operation answered 2xx at least once."""
        return any(200 <= status < 300 for status in self.statuses)

    def hint(self) -> str:
        """What to pass so that the operation answers 2xx."""
        seen = set(self.statuses)
        if not seen:
            return "it never answered: check the server and the network"
        if seen <= {401, 403}:
            return "it refused the key: use a key allowed to read these events"
        if 404 in seen:
            path = self.operation.split()[1]
            for prefix, flag, what in _ITEM_IDS:
                if path.startswith(prefix) and "{id}" in path:
                    return f"pass {flag} with {what} of this account"
            if "{id}" in self.operation:
                return "pass --contact-id with a contact of this account"
            return "pass --contact-id or --contact-unicity (or --contact-hash) of a contact of this account"
        if 429 in seen:
            return "it was rate limited: run again later or with --max-examples lower"
        return "no request was accepted: read its statuses and the schemathesis log"


@attrs.frozen
class Outcome:
    """The verdict: an exit code, a one-line reason, per-operation details."""

    code: int
    reason: str
    base_url: str
    window: Window | None = None
    operations: tuple[OperationSummary, ...] = ()

    @property
    def verdict(self) -> str:
        """A short phrase for the exit code."""
        return {
            EXIT_CONFORMS: "conforms to the spec",
            EXIT_CHECK_FAILED: "does NOT conform to the spec",
            EXIT_USAGE: "could not be checked (bad invocation)",
            EXIT_KEY_REFUSED: "refused the key",
            EXIT_INCONCLUSIVE: "inconclusive",
            EXIT_UNREACHABLE: "is unreachable",
        }[self.code]

    @property
    def inconclusive(self) -> tuple[OperationSummary, ...]:
        """Operations that never answered 2xx, or that schemathesis could not test."""
        return tuple(op for op in self.operations if not op.answered_2xx or op.errors)


def missing_extra() -> Outcome | None:
    """An exit-2 outcome when schemathesis (the ``conformance`` extra) is not installed."""
    try:
        import schemathesis  # noqa: F401
    except ImportError as exc:
        return Outcome(
            EXIT_USAGE,
            f"schemathesis is not installed ({exc}): install the conformance extra with {INSTALL_HINT}",
            base_url="",
        )
    return None


def command(run: ConformanceRun, config_file: Path, junit: Path) -> list[str]:
    """The schemathesis command line for ``run`` (holds no secret)."""
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config_file),
        "run",
        str(spec_path()),
        "--url",
        run.base_url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        run.phases,
        "--max-examples",
        str(run.max_examples),
        "--seed",
        str(run.seed),
        "--workers",
        str(run.workers),
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
        *run.extra_args,
    ]


def run_conformance(run: ConformanceRun, log: TextIO | None = None) -> Outcome:
    """Probe, run schemathesis, and judge. ``log`` receives schemathesis' own output, redacted."""
    # the client's own rule: whitespace around the key stripped, a key no header can carry refused
    run = attrs.evolve(run, api_key=checked_key(run.api_key))
    # everything below, the probe and schemathesis included, ends by then: a server that
    # trickles its answers would otherwise keep the run going for as long as it likes
    ends_at = time.monotonic() + run.max_time
    outcome = missing_extra() or _probe(run, ends_at)
    if outcome is not None:
        return attrs.evolve(outcome, base_url=run.base_url, window=run.window)
    with tempfile.TemporaryDirectory(prefix="np6-conformance-") as folder:
        work = Path(folder)
        config, record = work / "schemathesis.toml", work / "answers.jsonl"
        config.write_text(_CONFIG, encoding="utf-8")
        junit = Path(run.junit_xml).resolve() if run.junit_xml is not None else work / "junit.xml"
        junit.unlink(missing_ok=True)  # a report left by an earlier run must not pass for this one's
        env = {
            **_without_proxies(os.environ, run.base_url),
            "NP6_API_KEY": run.api_key,
            "SCHEMATHESIS_HOOKS": "np6._conformance_hooks",
            "NP6_CONFORMANCE_ID": run.contact_id or "",
            "NP6_CONFORMANCE_UNICITY": run.unicity or "",
            "NP6_CONFORMANCE_HASH": run.hash or "",
            "NP6_CONFORMANCE_CAMPAIGN_ID": run.campaign_id or "",
            "NP6_CONFORMANCE_ACTION_ID": run.action_id or "",
            "NP6_CONFORMANCE_NOTIFICATION_ID": run.notification_id or "",
            "NP6_CONFORMANCE_CONTENT_ID": run.content_id or "",
            "NP6_CONFORMANCE_START": str(to_epoch_ms(run.window.start)),
            "NP6_CONFORMANCE_END": str(to_epoch_ms(run.window.end)),
            "NP6_CONFORMANCE_RECORD": str(record),
        }
        # schemathesis keeps a crash cache in its working folder; each run starts afresh
        try:
            done = subprocess.run(
                command(run, config, junit),
                env=env,
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
                timeout=max(ends_at - time.monotonic(), 0.001),
            )
        except subprocess.TimeoutExpired as stopped:  # subprocess.run has killed schemathesis
            junit.unlink(missing_ok=True)  # a report cut short: the caller writes one saying why
            if log is not None:
                log.write(redact(_text(stopped.stdout) + _text(stopped.stderr), run.api_key))
            return out_of_time(run, _records(record))
        output = redact(done.stdout + done.stderr, run.api_key)
        if log is not None:
            log.write(output)
        if done.returncode not in (0, 1) or not junit.exists():
            tail = "\n".join(output.strip().splitlines()[-15:])
            return Outcome(
                EXIT_USAGE,
                f"schemathesis could not run (exit {done.returncode}):\n{tail}",
                run.base_url,
                run.window,
            )
        # a server that echoes the key would put it in the bodies schemathesis reports
        report = redact(junit.read_text(encoding="utf-8"), run.api_key)
        junit.write_text(report, encoding="utf-8")
        operations = summarise(_records(record), report, run.api_key)
    return judge(operations, run.base_url, run.window)


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


def out_of_time(run: ConformanceRun, records: list[tuple[str, int | None]]) -> Outcome:
    """The exit-4 outcome of a run stopped at ``--max-time``: every operation, with what it answered."""
    statuses, unanswered = _tally(records)
    operations = tuple(
        OperationSummary(name, dict(sorted(statuses[name].items())), unanswered[name])
        for name in spec_operations()
    )
    answered = sum(op.cases for op in operations)
    return Outcome(
        EXIT_INCONCLUSIVE,
        f"the run was stopped at --max-time ({run.max_time:g} s) after {answered} answered request(s): "
        "the checks did not all run, so nothing is concluded (a server that answers slowly or "
        "trickles its bodies; raise --max-time or lower --max-examples)",
        run.base_url,
        run.window,
        operations,
    )


def spec_operations() -> list[str]:
    """``GET /targets/events`` and the others: every operation of the spec, as the reports name them."""
    from .spec import load_spec

    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    paths: dict[str, dict[str, object]] = load_spec().get("paths", {})
    return [
        f"{method.upper()} {path}" for path, item in paths.items() for method in item if method in methods
    ]


def _without_proxies(environ: Mapping[str, str], base_url: str) -> dict[str, str]:
    """The environment of the schemathesis run, without proxy settings when they may not be used."""
    if may_use_proxies(httpx.URL(base_url)):
        return dict(environ)
    proxies = {"http_proxy", "https_proxy", "all_proxy"}
    return {name: value for name, value in environ.items() if name.lower() not in proxies}


def _probe(run: ConformanceRun, ends_at: float) -> Outcome | None:
    """One bounded request: unreachable (5) or key refused (3), else ``None``.

    Bounded as a whole (``probe_timeout``, and the run's ``ends_at``), headers trickled or not."""
    try:
        check_transport(httpx.URL(run.base_url), allow_insecure_http=False)
    except InsecureTransportError as exc:
        return Outcome(EXIT_USAGE, f"--base-url: {exc}", run.base_url)
    url = httpx.URL(run.base_url.rstrip("/") + "/targets/events")
    params = {
        "id": run.contact_id or "np6-conformance-probe",
        "start": str(to_epoch_ms(run.window.start)),
        "end": str(to_epoch_ms(run.window.end)),
    }
    bound = Bound(min(time.monotonic() + run.probe_timeout, ends_at))
    try:
        # the probe's client is configured as np6's clients are; raw httpx, because it must
        # see the first answer's status as sent, without np6's retries or decoding
        options = ClientOptions(run.api_key, base_url=run.base_url, timeout=run.probe_timeout)
        with httpx.Client(
            timeout=options.effective_timeout, trust_env=may_use_proxies(options.base_url)
        ) as client:
            install_deadline(client)
            with (
                bounded(bound),
                client.stream("GET", url, params=params, headers={"X-Key": options.api_key}) as response,
            ):
                status = response.status_code  # the body is not read: the probe asks for nothing else
    except httpx.TransportError as exc:
        if time.monotonic() >= ends_at:
            return out_of_time(run, [])
        reason = redact(f"{type(exc).__name__}: {exc}", run.api_key)
        return Outcome(EXIT_UNREACHABLE, f"no answer from {run.base_url} ({reason})", run.base_url)
    except (httpx.InvalidURL, InvalidArgumentError) as exc:  # the key was checked before: the URL
        return Outcome(EXIT_USAGE, f"--base-url: {exc}", run.base_url)
    if status in (401, 403):
        return Outcome(
            EXIT_KEY_REFUSED,
            f"the server answered {status} to the key: check NP6_API_KEY / --api-key-file "
            "(and that this key may read events)",
            run.base_url,
        )
    return None


def _tally(
    records: Iterable[tuple[str, int | None]],
) -> tuple[collections.defaultdict[str, collections.Counter[int]], collections.Counter[str]]:
    """Per operation: how often it answered each status, and how often it did not (0 if unseen)."""
    statuses: collections.defaultdict[str, collections.Counter[int]] = collections.defaultdict(
        collections.Counter
    )
    unanswered: collections.Counter[str] = collections.Counter()
    for operation, status in records:
        if status is None:
            unanswered[operation] += 1
        else:
            statuses[operation][status] += 1
    return statuses, unanswered


def _records(path: Path) -> list[tuple[str, int | None]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle if line.strip()]
    return [(entry["operation"], entry["status"]) for entry in entries]


def summarise(
    records: Iterable[tuple[str, int | None]], junit: str, api_key: str
) -> tuple[OperationSummary, ...]:
    """Per operation: statuses from the hooks' records, failures from the JUnit report."""
    statuses, unanswered = _tally(records)
    failures: dict[str, list[Failure]] = collections.defaultdict(list)
    errors: dict[str, list[str]] = collections.defaultdict(list)
    names: list[str] = []
    for case in ET.fromstring(junit).iter("testcase"):  # noqa: S314 - schemathesis' report, written just now
        name = case.get("name", "")
        if not re.match(r"^[A-Z]+ /", name):
            continue  # "Stateful tests" and the like: their failures name an operation too
        names.append(name)
        for failure in case.iter("failure"):
            failures[name].extend(_failures(redact(failure.text or "", api_key)))
        for error in case.iter("error"):
            errors[name].append(redact(error.get("message") or (error.text or "").strip()[:300], api_key))
    # the records also hold the other methods `unsupported_method` tried on each path:
    # only the spec's operations, as the report names them, are summarised
    return tuple(
        OperationSummary(
            name,
            dict(sorted(statuses[name].items())),
            unanswered[name],
            tuple(failures[name]),
            tuple(errors[name]),
        )
        for name in names
    )


def _failures(text: str) -> list[Failure]:
    """The failed checks in one JUnit failure text, each with its curl."""
    found: list[Failure] = []
    for block in re.split(r"^\d+\. Test Case ID: \S+$", text, flags=re.MULTILINE):
        checks = _CHECK_TITLE.findall(block)
        curl = _CURL.search(block)
        command = _FILTERED_KEY.sub(f"-H {KEY_PLACEHOLDER}", curl.group(1).strip()) if curl else None
        found.extend(Failure(check, command) for check in checks)
    return found


def judge(operations: tuple[OperationSummary, ...], base_url: str, window: Window) -> Outcome:
    """The exit code for what the operations did."""
    failed = [op for op in operations if op.failures]
    if failed:
        count = sum(len(op.failures) for op in failed)
        return Outcome(
            EXIT_CHECK_FAILED,
            f"{count} check failure(s) in {len(failed)} operation(s)",
            base_url,
            window,
            operations,
        )
    seen: set[int] = set().union(*(op.statuses for op in operations)) if operations else set()
    if not seen:
        return Outcome(
            EXIT_UNREACHABLE, f"no request to {base_url} was answered", base_url, window, operations
        )
    if seen <= {401, 403}:
        return Outcome(EXIT_KEY_REFUSED, "every request was refused (401/403)", base_url, window, operations)
    silent = [op for op in operations if not op.answered_2xx or op.errors]  # as Outcome.inconclusive
    if silent:
        return Outcome(
            EXIT_INCONCLUSIVE,
            f"{len(silent)} operation(s) never answered 2xx or could not be tested, so their answers "
            "were never checked",
            base_url,
            window,
            operations,
        )
    return Outcome(
        EXIT_CONFORMS,
        "every operation answered 2xx at least once and every check passed",
        base_url,
        window,
        operations,
    )
