"""The mock NP6 server: a Starlette application serving every operation of the spec."""

from __future__ import annotations

import email.utils
import json
import secrets
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .faults import HEADER, Fault, FaultBook, parse_fault
from .ratelimit import RateLimiter
from .store import REACTIONS, Store
from .validation import (
    SPEC,
    BadRequest,
    body_validator,
    parse_classification,
    parse_sort,
    parse_time,
    selector_rules,
)

__all__ = ["DEFAULT_API_KEY", "create_app"]

DEFAULT_API_KEY = "np6-mock-key"
CHUNK_BYTES = 64 * 1024
HOLD_TIMEOUT_S = 30.0

_Handler = Callable[[Request, Fault | None], Awaitable[Response]]
_RULES = selector_rules(SPEC)
_BODY = body_validator(SPEC)


class _Answer(Exception):  # noqa: N818 - carries a response, not an error of ours
    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """An RFC 9457 problem answer, the error shape the spec assumes."""
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def _among(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


class _Kind:
    """Which events an operation answers, as an SQL condition."""

    ALL = ("1 = 1", ())
    EXECUTIONS = ("type = 'execution'", ())
    CANCELLATIONS = ("type = 'cancellation'", ())
    ACTIVATIONS = ("type = 'activation'", ())
    BOUNCES = ("type = 'bounce'", ())
    HITS = ("type = 'hit'", ())
    FORM_HITS = ("type = 'hit' AND subtype = 'form'", ())
    OPEN_HITS = ("type = 'hit' AND subtype = 'open'", ())
    MIRROR_HITS = ("type = 'hit' AND subtype = 'mirror'", ())
    REDIRECTION_HITS = ("type = 'hit' AND subtype = 'redirection'", ())
    UNSUBSCRIBE_HITS = ("type = 'hit' AND subtype = 'unsubscribe'", ())
    STOPS = ("type = 'reply' AND keyword = 'STOP'", ())
    REACTIONS = (f"type IN ({_among(REACTIONS)})", ())
    OPTOUTS = ("type = 'optout'", ())


# what each family's id names: an action is an email or text message campaign item, a
# notification a push campaign item (an int32 id), a display content its own thing
ACTIONS = ("email", "sms")
NOTIFICATIONS = ("notification",)
DISPLAY = ("display",)
INT32_MAX = 2**31 - 1


def create_app(
    store: Store,
    *,
    api_key: str = DEFAULT_API_KEY,
    fault: str | None = None,
    rate_limit: int | None = None,
    clock_skew: float = 0.0,
) -> Starlette:
    """The mock server over ``store``.

    ``fault`` applies to every request (see :mod:`np6_mock.faults`); ``rate_limit``
    allows that many requests per second per key (see :mod:`np6_mock.ratelimit`).
    Every answer carries a ``Date`` of this machine's clock plus ``clock_skew``
    seconds, as a server whose clock differs from its clients' would send.
    """
    server_fault = parse_fault(fault) if fault else None
    book = FaultBook()
    limiter = RateLimiter(rate_limit) if rate_limit is not None else None

    def operation(path: str, method: str, handler: _Handler) -> Route:
        # what every operation does before and after its own work: faults, the key,
        # the rate limit, and the rate headers on whatever the answer turns out to be
        async def endpoint(request: Request) -> Response:
            limits: dict[str, str] = {}
            try:
                fault_now = _fault_for(request, server_fault, book)
                _before(request, api_key, fault_now)
                if limiter is not None:
                    admission = limiter.admit(request.headers["x-key"])
                    limits = admission.headers
                    if not admission.allowed:
                        raise _Answer(
                            problem(429, "Too Many Requests", f"more than {limiter.limit} requests a second")
                        )
                response = await handler(request, fault_now)
            except _Answer as answer:
                response = answer.response
            except BadRequest as exc:
                response = problem(400, "Bad Request", str(exc))
            response.headers.update(limits)
            response.headers["date"] = _http_date(clock_skew)
            return response

        return Route(path, endpoint, methods=[method])

    def contact_route(
        path: str, kind: tuple[str, tuple[Any, ...]], *, in_path: bool, classification: bool
    ) -> Route:
        async def handler(request: Request, fault_now: Fault | None) -> Response:
            query = _single_values(request)
            if in_path:
                selector, value = "id", request.path_params["id"]
            else:
                selector, value = _selector(query, _RULES[("GET", path)])
            where, params = _bounds(query)
            sort = parse_sort(query.get("sort"))
            robots = parse_classification(query.get("classification")) if classification else None
            db = store.connect()
            contact_id = store.contact_id(db, selector, value)
            if contact_id is None:
                db.close()
                raise _Answer(problem(404, "Not Found", f"no contact with {selector} {value!r}"))
            clauses = [f"contact_id = ? AND {kind[0]}", *where]
            values: list[Any] = [contact_id, *kind[1], *params]
            if robots is not None:
                clauses.append(_robot_clause(robots))
                values.extend(robots)
            return _stream(store, db, " AND ".join(clauses), values, sort, fault_now, book)

        return operation(path, "GET", handler)

    def campaign_route(path: str, *, body_required: bool) -> Route:
        async def handler(request: Request, fault_now: Fault | None) -> Response:
            query = _single_values(request)
            where, params = _bounds(query)
            sort = parse_sort(query.get("sort"))
            body = await _json_body(request, required=body_required)
            campaign_id = request.path_params["id"]
            db = store.connect()
            if not store.campaign_exists(db, campaign_id):
                db.close()
                raise _Answer(problem(404, "Not Found", f"no campaign with id {campaign_id!r}"))
            clauses = ["campaign_id = ?", *where]
            values: list[Any] = [campaign_id, *params]
            if body is not None:
                condition, condition_values = _items_clause(body)
                clauses.append(condition)
                values.extend(condition_values)
            return _stream(store, db, " AND ".join(clauses), values, sort, fault_now, book)

        return operation(path, "POST", handler)

    def item_route(
        path: str,
        channels: tuple[str, ...],
        kind: tuple[str, tuple[Any, ...]],
        *,
        classification: bool = False,
        reactivities: bool = False,
    ) -> Route:
        # the events of one action, notification or display content (the id in the path),
        # or of all of them; reactivities filter on two windows instead of start and end
        async def handler(request: Request, fault_now: Fault | None) -> Response:
            query = _single_values(request)
            where, params = _windows(query) if reactivities else _bounds(query)
            sort = parse_sort(query.get("sort"))
            robots = parse_classification(query.get("classification")) if classification else None
            item_id = _item_id(request.path_params.get("id"), channels)
            clauses = [f"channel IN ({_among(channels)})", kind[0], *where]
            values: list[Any] = [*kind[1], *params]
            if reactivities:
                clauses.insert(0, "activated IS NOT NULL")
            if robots is not None:
                clauses.append(_robot_clause(robots))
                values.extend(robots)
            db = store.connect()
            if item_id is not None:
                if not store.item_exists(db, item_id, channels):
                    db.close()
                    what = {ACTIONS: "action", NOTIFICATIONS: "notification", DISPLAY: "display content"}
                    raise _Answer(problem(404, "Not Found", f"no {what[channels]} with id {item_id!r}"))
                clauses.insert(0, "item_id = ?")
                values.insert(0, item_id)
            return _stream(store, db, " AND ".join(clauses), values, sort, fault_now, book, "every_event")

        return operation(path, "GET", handler)

    routes = [
        contact_route("/targets/{id}/events/hits/open", _Kind.OPEN_HITS, in_path=True, classification=True),
        item_route("/actions/{id}/events/activations", ACTIONS, _Kind.ACTIVATIONS),
        item_route("/actions/{id}/events/cancellations", ACTIONS, _Kind.CANCELLATIONS),
        item_route("/actions/{id}/events/bounces", ACTIONS, _Kind.BOUNCES),
        item_route("/actions/{id}/events/hits/mirror", ACTIONS, _Kind.MIRROR_HITS, classification=True),
        item_route("/actions/reactivities", ACTIONS, _Kind.REACTIONS, reactivities=True),
        item_route("/actions/reactivities/bounces", ACTIONS, _Kind.BOUNCES, reactivities=True),
        item_route("/actions/reactivities/hits/open", ACTIONS, _Kind.OPEN_HITS, reactivities=True),
        item_route("/actions/reactivities/hits/mirror", ACTIONS, _Kind.MIRROR_HITS, reactivities=True),
        item_route(
            "/actions/{id}/reactivities/hits/redirection", ACTIONS, _Kind.REDIRECTION_HITS, reactivities=True
        ),
        item_route(
            "/actions/{id}/reactivities/hits/unsubscribe", ACTIONS, _Kind.UNSUBSCRIBE_HITS, reactivities=True
        ),
        item_route("/notifications/{id}/events/executions", NOTIFICATIONS, _Kind.EXECUTIONS),
        item_route("/notifications/{id}/events/cancellations", NOTIFICATIONS, _Kind.CANCELLATIONS),
        item_route("/notifications/{id}/events/activations", NOTIFICATIONS, _Kind.ACTIVATIONS),
        item_route("/notifications/reactivities", NOTIFICATIONS, _Kind.REACTIONS, reactivities=True),
        item_route("/notifications/reactivities/hits", NOTIFICATIONS, _Kind.HITS, reactivities=True),
        item_route("/notifications/reactivities/bounces", NOTIFICATIONS, _Kind.BOUNCES, reactivities=True),
        item_route(
            "/notifications/{id}/reactivities/optouts", NOTIFICATIONS, _Kind.OPTOUTS, reactivities=True
        ),
        item_route("/display/events/activations", DISPLAY, _Kind.ACTIVATIONS),
        item_route("/display/content/{id}/events/activations", DISPLAY, _Kind.ACTIVATIONS),
        contact_route("/targets/{id}/events", _Kind.ALL, in_path=True, classification=False),
        contact_route(
            "/targets/{id}/events/activations", _Kind.ACTIVATIONS, in_path=True, classification=False
        ),
        contact_route("/targets/{id}/events/bounces", _Kind.BOUNCES, in_path=True, classification=False),
        contact_route("/targets/{id}/events/hits/form", _Kind.FORM_HITS, in_path=True, classification=True),
        contact_route("/targets/events", _Kind.ALL, in_path=False, classification=False),
        contact_route("/targets/events/hits", _Kind.HITS, in_path=False, classification=True),
        contact_route("/targets/events/responses/stop", _Kind.STOPS, in_path=False, classification=False),
        campaign_route("/campaigns/{id}/events", body_required=False),
        campaign_route("/campaigns/{id}/items/events", body_required=True),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return problem(
            404, "Not Found", f"no operation at {request.url.path}", {"date": _http_date(clock_skew)}
        )

    app = Starlette(routes=routes, exception_handlers={404: not_found})
    app.state.store = store
    app.state.faults = book
    app.state.api_key = api_key
    app.state.limiter = limiter
    return app


def _http_date(skew: float) -> str:
    return email.utils.formatdate(time.time() + skew, usegmt=True)


def _fault_for(request: Request, server_fault: Fault | None, book: FaultBook) -> Fault | None:
    header = request.headers.get(HEADER)
    try:
        fault = parse_fault(header) if header else server_fault
    except ValueError as exc:
        raise _Answer(problem(400, "Bad Request", f"{HEADER}: {exc}")) from None
    if fault is None or not book.applies(fault):
        return None
    return fault


def _before(request: Request, api_key: str, fault: Fault | None) -> None:
    if fault is not None and fault.html is not None:
        page = (
            f"<html><head><title>{fault.html} Bad Gateway</title></head><body><center><h1>"
            f"{fault.html} Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
        )
        raise _Answer(HTMLResponse(page, status_code=fault.html))
    if fault is not None and fault.status is not None:
        headers = {}
        if fault.status in (429, 503):
            headers["Retry-After"] = fault.retry_after or "1"
        if fault.status == 429:
            # the window resets when Retry-After says, so the two headers tell one story
            reset = fault.retry_after or "1"
            headers |= {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
        raise _Answer(problem(fault.status, "Injected fault", f"status {fault.status} injected", headers))
    given = request.headers.get("x-key")
    if not given or not secrets.compare_digest(given.encode(), api_key.encode()):
        raise _Answer(problem(401, "Unauthorized", "the X-Key header is missing or not a valid key"))


def _single_values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in values:
            raise BadRequest(f"{name}: given more than once")
        values[name] = value
    return values


def _selector(query: dict[str, str], allowed: list[str]) -> tuple[str, str]:
    given = [name for name in allowed if name in query]
    if len(given) != 1:
        got = ", ".join(given) or "none"
        raise BadRequest(f"give exactly one of {', '.join(allowed)} to choose the contact; got {got}")
    value = query[given[0]]
    if not value:
        raise BadRequest(f"{given[0]}: must not be empty")
    return given[0], value


def _bounds(query: dict[str, str]) -> tuple[list[str], list[Any]]:
    clauses, values = [], []
    if "start" in query:
        clauses.append("timestamp >= ?")
        values.append(parse_time("start", query["start"]))
    if "end" in query:
        clauses.append("timestamp < ?")
        values.append(parse_time("end", query["end"]))
    return clauses, values


def _windows(query: dict[str, str]) -> tuple[list[str], list[Any]]:
    # the activation window bounds the activation reacted to, the reactivity window the
    # reaction itself (DECISIONS #38, #39)
    clauses, values = [], []
    for name, clause in (
        ("activationStart", "activated >= ?"),
        ("activationEnd", "activated < ?"),
        ("reactivityStart", "timestamp >= ?"),
        ("reactivityEnd", "timestamp < ?"),
    ):
        if name in query:
            clauses.append(clause)
            values.append(parse_time(name, query[name]))
    return clauses, values


def _item_id(raw: str | None, channels: tuple[str, ...]) -> str | None:
    """The path's id as the store keeps it; a notification id must be an int32."""
    if raw is None:
        return None
    if channels == NOTIFICATIONS:
        if not raw.isascii() or not raw.isdigit() or int(raw) > INT32_MAX:
            raise BadRequest(f"id: {raw!r} is not a notification id (an integer from 0 to {INT32_MAX})")
        return str(int(raw))
    if not raw:
        raise BadRequest("id: must not be empty")
    return raw


def _robot_clause(robots: list[str]) -> str:
    if not robots:
        return "robot IS NULL"
    return f"(robot IS NULL OR robot IN ({', '.join('?' for _ in robots)}))"


async def _json_body(request: Request, *, required: bool) -> Any:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise BadRequest("this operation needs an itemsEvents body")
        return None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise BadRequest(f"the body must be application/json, got {media or 'no content type'}")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    error = next(iter(_BODY.iter_errors(body)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "body"
        raise BadRequest(f"itemsEvents body, at {where}: {error.message}")
    return body


def _items_clause(body: dict[str, Any]) -> tuple[str, list[Any]]:
    alternatives, values = [], []
    for entry in body["itemsEvents"]:
        kinds, kind_values = [], []
        for wanted in entry["events"]:
            subtypes = wanted.get("subtypes") if wanted["type"] == "hit" else None
            if subtypes:
                kinds.append(f"(type = 'hit' AND subtype IN ({', '.join('?' for _ in subtypes)}))")
                kind_values.extend(subtypes)
            else:
                kinds.append("type = ?")
                kind_values.append(wanted["type"])
        items = entry["items"]
        alternatives.append(
            f"(channel = ? AND item_id IN ({', '.join('?' for _ in items)}) AND ({' OR '.join(kinds)}))"
        )
        values.extend([entry["type"], *items, *kind_values])
    return f"({' OR '.join(alternatives)})", values


def _stream(
    store: Store,
    db: sqlite3.Connection,
    where: str,
    values: list[Any],
    sort: str | None,
    fault: Fault | None,
    book: FaultBook,
    table: str = "events",
) -> Response:
    chunk_size = fault.drip if fault is not None and fault.drip else CHUNK_BYTES

    def body() -> Iterator[bytes]:
        try:
            yield from _chunks(
                _json_array(store.select(db, where, values, sort, table), fault, book), chunk_size, fault
            )
        finally:
            db.close()

    return StreamingResponse(body(), media_type="application/json")


def _json_array(rows: Iterator[str], fault: Fault | None, book: FaultBook) -> Iterator[bytes]:
    yield b"["
    for count, row in enumerate(rows):
        if fault is not None:
            if fault.cut_after is not None and count >= fault.cut_after:
                yield b""  # flush what was sent so far, then drop the connection
                raise ConnectionAbortedError("injected cut")
            if fault.malformed_after is not None and count >= fault.malformed_after:
                yield b',{"type": "hit", "id": \x00garbage'
                return
            if fault.hold_after is not None and count == fault.hold_after:
                yield b""  # flush what was sent so far
                if not book.gate(fault.gate).wait(HOLD_TIMEOUT_S):
                    raise ConnectionAbortedError("gate never opened")
        yield (b"," if count else b"") + row.encode()
    if fault is not None and fault.cut_after is not None:
        yield b""
        raise ConnectionAbortedError("injected cut")
    yield b"]"


def _chunks(parts: Iterator[bytes], size: int, fault: Fault | None) -> Iterator[bytes]:
    delay = (fault.delay_ms / 1000) if fault is not None else 0.0
    buffer = bytearray()
    for part in parts:
        if not part:  # an empty part asks to flush
            if buffer:
                yield bytes(buffer)
                buffer.clear()
            continue
        buffer += part
        while len(buffer) >= size:
            if delay:
                time.sleep(delay)
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        if delay:
            time.sleep(delay)
        yield bytes(buffer)
