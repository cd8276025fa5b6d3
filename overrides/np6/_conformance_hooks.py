"""Schemathesis hooks for ``np6 conformance``: real ids, a bounded window, a record of answers.

The spec itself says everything a generic tool needs (the exactly-one-of contact
selector included); these hooks only aim the run at a real server's data and watch it:

* positive cases ask about the contacts, campaign, action, notification and display
  content named in ``NP6_CONFORMANCE_*``
  variables, so that answers carry events whose schema is checked, instead of 404s;
* every case carries ``start`` and ``end`` (a reactivity: ``reactivityStart`` and
  ``reactivityEnd``, and its activation bounds when given) inside the window given in
  ``NP6_CONFORMANCE_START`` / ``_END`` (epoch ms), so that no request asks for a
  contact's whole history: missing bounds are added, valid ones are moved into the
  window keeping the form schemathesis chose (milliseconds, date-time or date), and
  only a bound the spec refuses (a negative case's point) is left as it is;
* every answer's status, and every request that got no answer, is appended to the
  JSON Lines file ``NP6_CONFORMANCE_RECORD``, from which the per-operation summary
  and the verdict are made.

Loaded by ``np6 conformance`` through ``SCHEMATHESIS_HOOKS=np6._conformance_hooks``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from typing import Any

import schemathesis
from schemathesis import GenerationMode

from .toolkit import read_environment

SELECTORS = ("id", "unicity", "hash")
_MAX_MS = 2**63 - 1
_WRITE_LOCK = threading.Lock()


def _env(name: str) -> str | None:
    return read_environment().conformance.get(name)


def operation_label(case: Any) -> str:
    """``GET /targets/events``: how schemathesis names the operation in its reports."""
    return f"{case.method.upper()} {case.path}"


def _positive(case: Any) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Aim positive cases at known data and keep every case inside the window."""
    query = dict(case.query or {})
    if _positive(case):
        _aim_at_known_data(case, query)
    if "/reactivities" in case.path:
        _bound(query, *_REACTIVITY_BOUNDS[0])
        _bound(query, *_REACTIVITY_BOUNDS[1], add=False)
    else:
        _bound(query)
    case.query = query


def _aim_at_known_data(case: Any, query: dict[str, Any]) -> None:
    present = [name for name in SELECTORS if name in query]
    if len(present) == 1 and not _env(present[0]):
        # every operation with a selector takes id and unicity; hash only some
        known = next((s for s in ("id", "unicity") if _env(s)), None)
        if known is not None:
            del query[present[0]]
            present = [known]
    for name in present:
        query[name] = _env(name) or query[name]
    if case.path_parameters and "id" in case.path_parameters:
        # whose id the path takes: a campaign's, an action's, a notification's (an integer),
        # a display content's, else a contact's
        owner = next((name for prefix, name in _PATH_IDS if case.path.startswith(prefix)), "id")
        known_id = _env(owner)
        if known_id:
            value: str | int = (
                int(known_id)
                if owner == "notification_id" and known_id.isascii() and known_id.isdigit()
                else known_id
            )
            case.path_parameters = {**case.path_parameters, "id": value}


_PATH_IDS = (
    ("/campaigns/", "campaign_id"),
    ("/actions/", "action_id"),
    ("/notifications/", "notification_id"),
    ("/display/", "content_id"),
)
# the bounds each operation takes: start/end, or a reactivity's two windows (the
# reaction's own bounded like start/end; the activation's, when given, moved inside too)
_REACTIVITY_BOUNDS = (("reactivityStart", "reactivityEnd"), ("activationStart", "activationEnd"))


def _bound(query: dict[str, Any], lower: str = "start", upper: str = "end", *, add: bool = True) -> None:
    """Put ``start``/``end`` (or ``lower``/``upper``) inside the window: add them when absent
    (unless ``add`` is false), move them when valid.

    A bound the spec refuses is left as it is: it is what a negative case is about. A valid
    one is moved whatever the case, so that even a server that ignored the wrong part of a
    negative case would not answer a whole history.
    """
    start, end = _env("start"), _env("end")
    if start is None or end is None:
        return
    for name, ms in ((lower, int(start)), (upper, int(end))):
        if name not in query:
            if add:
                query[name] = _as_date_time(ms)
        elif _valid_bound(query[name]):
            query[name] = _same_form(query[name], ms, round_up=name == upper)


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _valid_bound(value: Any) -> bool:
    """Whether the spec's ``TimeBound`` accepts ``value`` (as schemathesis put it in the query)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return 0 <= int(value) <= _MAX_MS
    if not isinstance(value, str) or not (_DATE.match(value) or _DATE_TIME.match(value)):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


def _as_date_time(ms: int) -> str:
    instant = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _same_form(generated: Any, ms: int, *, round_up: bool) -> Any:
    """``ms`` written the way schemathesis wrote ``generated``."""
    if isinstance(generated, int):
        return ms
    if generated.isascii() and generated.isdigit():
        return str(ms)
    if _DATE.match(generated):
        day = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
        if round_up and day.time() != dt.time(0):
            day += dt.timedelta(days=1)  # the window may only widen by the part of a day
        return day.date().isoformat()
    return _as_date_time(ms)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Record the answer's status."""
    _record({"operation": operation_label(case), "status": response.status_code})


@schemathesis.hook
def after_network_error(context: Any, case: Any, request: Any) -> None:
    """Record a request that got no answer."""
    _record({"operation": operation_label(case), "status": None})


def _record(entry: dict[str, Any]) -> None:
    path = _env("record")
    if path is None:
        return
    with _WRITE_LOCK, open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
