"""What the sync and async clients share: argument checking, request building.

A call is prepared here into a :class:`StreamRequest` (URL, query and body from the
generated operation's ``request_kwargs``, the retry policy, the key's ``httpx.Auth``);
the I/O happens in the streams. The client's configuration is an
:class:`np6.ClientOptions` (``np6._config``), built and checked there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict

import attrs
import httpx
from np6_generated.client import AuthenticatedClient
from np6_generated.models import SortOrder
from np6_generated.types import UNSET

from . import _masking, _operations
from ._answers import AnswerCheck
from ._auth import KeyAuth
from ._campaigns import CampaignQuery, to_query_body
from ._config import ClientOptions, checked_deadline, checked_max_retries, checked_timeout
from ._contacts import Contact
from ._errors import InsecureTransportError, InvalidArgumentError, UnexpectedArgumentError
from ._gate import RateGate
from ._limits import DEFAULT_TIMEOUT
from ._masking import Redactor
from ._operations import Operation
from ._retries import RetryPolicy
from ._text import sendable
from ._timebounds import TimeBound, check_window, to_time_bound
from ._urls import absolute, may_use_proxies
from ._version import __version__

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "BaseClient",
    "GeneratedClient",
    "HitOptions",
    "Options",
    "RawEvent",
    "ReactivityOptions",
    "Route",
    "Sort",
    "StreamRequest",
]

USER_AGENT = f"np6-python/{__version__} httpx/{httpx.__version__}"

Sort = Literal["asc", "desc"]
Route = Literal["query", "path"]
RawEvent = dict[str, Any]
"""An event as NP6 sent it (``client.raw``)."""


class Options(TypedDict, total=False):
    """Keyword options of every events method.

    ``start`` (inclusive) and ``end`` (exclusive) take a datetime, a date, an ISO 8601
    string or epoch milliseconds. ``sort`` is ``"asc"``, ``"desc"`` or absent (order
    unspecified); with ``"asc"`` a cut stream is resumed where it stopped. ``timeout``,
    ``max_retries`` and ``deadline`` override the client's settings for this call.
    """

    start: TimeBound | None
    end: TimeBound | None
    sort: Sort | None
    timeout: float | httpx.Timeout | None
    max_retries: int | None
    deadline: float | None


class HitOptions(Options, total=False):
    """Options of the hit methods: ``classification`` adds the named robots' hits."""

    classification: str | Iterable[str] | None


class CallOptions(TypedDict, total=False):
    """The options of every call, whatever its operation: ``timeout``, ``max_retries``, ``deadline``."""

    timeout: float | httpx.Timeout | None
    max_retries: int | None
    deadline: float | None


class ReactivityOptions(CallOptions, total=False):
    """Keyword options of the reactivity methods: two windows and an order.

    ``activation_start`` / ``activation_end`` keep reactions whose activation (the send)
    falls in that window, ``reactivity_start`` / ``reactivity_end`` those whose own
    timestamp does (start inclusive, end exclusive, each in any form ``start`` takes).
    ``sort`` orders by the reaction's timestamp; with ``"asc"`` a cut stream resumes
    from the last reaction yielded (``reactivityStart``).
    """

    activation_start: TimeBound | None
    activation_end: TimeBound | None
    reactivity_start: TimeBound | None
    reactivity_end: TimeBound | None
    sort: Sort | None


_CALL_OPTIONS = frozenset(CallOptions.__annotations__)
_WINDOWS = (("start", "end"), ("activation_start", "activation_end"), ("reactivity_start", "reactivity_end"))


@attrs.frozen
class StreamRequest:
    """One API call to stream: what the generated ``request_kwargs`` built, plus how to send it."""

    kwargs: dict[str, Any]
    default_type: str | None
    resumable: bool
    raw: bool
    policy: RetryPolicy
    auth: KeyAuth = attrs.field(repr=False)
    redactor: Redactor = attrs.field(repr=False)
    timeout: httpx.Timeout | None = None
    gate: RateGate = attrs.field(factory=RateGate, repr=False, eq=False)
    deadline: float | None = None
    resume_param: str = "start"
    """The query parameter a resumed request sets (see :class:`np6._resume.ResumeLedger`)."""


class GeneratedClient(AuthenticatedClient):
    """The generated client, configured like the np6 client, with the key kept out of repr."""

    def __repr__(self) -> str:
        return f"GeneratedClient(base_url={self._base_url!r}, token='***')"


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, got {value!r}")
    return value


def _check_route(http_client: httpx.Client | httpx.AsyncClient, base_url: httpx.URL) -> None:
    """Refuse a caller's client that would send np6's plain-HTTP requests through a proxy or mount."""
    if may_use_proxies(base_url):
        return
    # httpx has no public way to ask which transport a URL takes; its private routing is
    # read here only, and when a later httpx renames it the check fails closed, refusing
    # the client, instead of silently letting the key through
    route = getattr(http_client, "_transport_for_url", None)
    default = getattr(http_client, "_transport", None)
    if route is None or default is None:
        raise InsecureTransportError(
            f"cannot tell whether this httpx version's http_client sends requests for "
            f"http://{base_url.host} through a proxy: pass no http_client (np6 builds its own), or use https"
        )
    if route(base_url) is not default:
        raise InsecureTransportError(
            f"the http_client sends requests for http://{base_url.host} through a proxy or another "
            "mounted transport: the API key would leave this machine in clear text. Build it with "
            "trust_env=False (or without that mount), or use https"
        )


class BaseClient:
    """Configuration and request building shared by :class:`np6.Client` and :class:`np6.AsyncClient`."""

    options: ClientOptions
    """Everything this client was built from (see :class:`np6.ClientOptions`)."""

    def _configure(self, options: ClientOptions) -> None:
        # the key lives only in names error trackers scrub (api_key) and in objects whose repr hides it
        if options.http_client is not None:
            _check_route(options.http_client, options.base_url)
        self.options = options
        self._redactor = Redactor(options.api_key)
        _masking.watch(self._redactor)
        self._auth = KeyAuth(options.api_key, options.base_url)

    def __repr__(self) -> str:
        # safe on a client whose __init__ failed (a traceback's captured locals repr it)
        options = getattr(self, "options", None)
        base_url = "" if options is None else str(options.base_url)
        return f"{type(self).__name__}(base_url={base_url!r}, api_key='***')"

    @property
    def base_url(self) -> httpx.URL:
        """The server np6's requests go to."""
        return self.options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout of each network phase of each attempt (unless a call gives its own)."""
        return self.options.effective_timeout

    @property
    def deadline(self) -> float | None:
        """Seconds a whole call may take (unless a call gives its own); ``None``: no bound."""
        return self.options.deadline

    @property
    def retry_policy(self) -> RetryPolicy:
        """How failed requests are retried."""
        return self.options.retry_policy

    @property
    def gate(self) -> RateGate:
        """Shared by every request of this client: a 429 or ``X-RateLimit-Remaining: 0`` pauses them all."""
        return self.options.rate_gate

    @property
    def generated(self) -> GeneratedClient:
        """The generated client (``np6_generated``) set up with the same server, key, timeout and
        ``transport``. Its calls are single requests: no retry, rate gate or deadline, and a
        custom ``http_client`` is not used (it carries no key)."""
        # the key comes from the same KeyAuth as np6's own requests, origin check included
        transport = {} if self.options.transport is None else {"transport": self.options.transport}
        return GeneratedClient(
            base_url=str(self.base_url),
            token="",
            prefix="",
            auth_header_name="X-Key",
            timeout=self.timeout,
            headers={"User-Agent": USER_AGENT},
            httpx_args={
                "auth": self._auth,
                "trust_env": may_use_proxies(self.base_url),
                # np6's errors for answers the generated parser cannot read (see np6._answers)
                "event_hooks": {"response": [AnswerCheck(self._redactor, self.base_url)]},
                **transport,
            },
        )

    def _httpx_options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": {"User-Agent": USER_AGENT},
            "follow_redirects": False,
            "trust_env": may_use_proxies(self.base_url),
        }

    def _prepare(
        self,
        kwargs: dict[str, Any],
        default_type: str | None,
        raw: bool,
        options: Mapping[str, Any],
        resume_param: str | None = "start",
    ) -> StreamRequest:
        policy = self.retry_policy
        max_retries = options.get("max_retries")
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=checked_max_retries(max_retries))
        timeout = options.get("timeout")
        deadline = options.get("deadline")
        return StreamRequest(
            kwargs={**kwargs, "url": absolute(self.base_url, kwargs["url"])},
            default_type=default_type,
            resumable=options.get("sort") == "asc" and resume_param is not None,
            raw=raw,
            policy=policy,
            auth=self._auth,
            redactor=self._redactor,
            gate=self.gate,
            # the client's timeout goes with each request: a caller's http_client honours it too, and a
            # pool shared with a copy (with_options) serves each client with its own
            timeout=checked_timeout(timeout)
            if timeout is not None
            else self.options.timeout
            if self.options.timeout is not None or self.options.http_client is not None
            else DEFAULT_TIMEOUT,
            deadline=self.deadline if deadline is None else checked_deadline(deadline),
            resume_param=resume_param or "start",
        )

    def _contact_request(
        self, family_name: str, contact: Contact, raw: bool, options: Options, route: Route = "query"
    ) -> StreamRequest:
        family = _operations.CONTACT_FAMILIES[family_name]
        _check_options(family_name, options, HitOptions if family.classification else Options)
        if not isinstance(contact, Contact):
            raise InvalidArgumentError(
                f"{family_name}: expected an np6.Contact, got {type(contact).__name__}"
            )
        target = family.routes.get(contact.selector)
        if route not in ("query", "path"):
            raise InvalidArgumentError(f"{family_name}: route must be 'query' or 'path', got {route!r}")
        if route == "path":
            if family_name != "events" or contact.selector != "id":
                raise InvalidArgumentError(
                    f"{family_name}: route='path' (GET /targets/{{id}}/events) takes a contact id only"
                )
            target = _operations.PATH_EVENTS
        if target is None:
            allowed = " or ".join(family.routes)
            elsewhere = [
                f.name for f in _operations.CONTACT_FAMILIES.values() if contact.selector in f.routes
            ]
            raise InvalidArgumentError(
                f"{family_name}: NP6 selects the contact by {allowed} here, not by {contact.selector} "
                f"(a {contact.selector} selects contacts for {', '.join(elsewhere)})"
            )
        arguments = _window(options)
        classification = options.get("classification")
        if classification is not None:
            if not family.classification:
                raise InvalidArgumentError(f"{family_name}: classification only applies to hits")
            arguments["classification"] = _classification(classification)  # type: ignore[arg-type]
        kwargs = target.kwargs(contact.selector, contact.value, arguments)
        return self._prepare(kwargs, family.default_type, raw, options)

    def _campaign_request(
        self, campaign_id: str, query: CampaignQuery | None, items_only: bool, raw: bool, options: Options
    ) -> StreamRequest:
        _check_options("campaign_events", options, Options)
        if not isinstance(campaign_id, str) or not campaign_id:
            raise InvalidArgumentError(f"campaign_id must be a non-empty string, got {campaign_id!r}")
        sendable(campaign_id, "campaign_id")
        _flag(items_only, "items_only")
        arguments = _window(options)
        if items_only:
            if query is None:
                raise InvalidArgumentError("campaign_events(items_only=True) needs a query naming the items")
            kwargs = _operations.CAMPAIGN_ITEMS_EVENTS.request_kwargs(
                campaign_id, body=to_query_body(query), **arguments
            )
        else:
            body = UNSET if query is None else to_query_body(query)
            kwargs = _operations.CAMPAIGN_EVENTS.request_kwargs(campaign_id, body=body, **arguments)
        return self._prepare(kwargs, None, raw, options)

    def _operation_request(
        self,
        method: str,
        operation: Operation,
        path: Mapping[str, Any],
        raw: bool,
        options: Mapping[str, Any],
    ) -> StreamRequest:
        """The request of any generated operation: path values checked against their types, options
        against the operation's query parameters, time bounds normalised and each window checked."""
        unknown = sorted(set(options) - operation.query - _CALL_OPTIONS)
        if unknown:
            raise UnexpectedArgumentError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
        values = tuple(
            _path_value(method, name, value, kind)
            for (name, value), (_, kind) in zip(path.items(), operation.path_params, strict=True)
        )
        arguments: dict[str, Any] = {}
        for name in operation.query:
            value = options.get(name)
            if value is None:
                continue
            if name == "sort":
                if value not in ("asc", "desc"):
                    raise InvalidArgumentError(f"{method}: sort must be 'asc' or 'desc', got {value!r}")
                value = SortOrder(value)
            elif name == "classification":
                value = _classification(value)
            elif name.endswith(("start", "end")):
                value = to_time_bound(value, name)
            arguments[name] = value
        for low, high in _WINDOWS:
            check_window(arguments.get(low), arguments.get(high), (low, high))
        kwargs = operation.kwargs(values, arguments)
        return self._prepare(kwargs, operation.default_type, raw, options, operation.resume_param)


def _path_value(method: str, name: str, value: object, kind: type) -> str | int:
    """A path parameter checked against the type the spec gives it (an id NP6 could not match is refused)."""
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
            raise InvalidArgumentError(f"{method}: {name} must be a whole number (int32), got {value!r}")
        return value
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(f"{method}: {name} must be a non-empty string, got {value!r}")
    sendable(value, name)
    return value


def _check_options(method: str, options: Mapping[str, Any], allowed: type) -> None:
    unknown = sorted(set(options) - set(allowed.__annotations__) - set(Options.__annotations__))
    if unknown:
        raise UnexpectedArgumentError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")


def _window(options: Options) -> dict[str, Any]:
    start, end, sort = options.get("start"), options.get("end"), options.get("sort")
    if sort is not None and sort not in ("asc", "desc"):
        raise InvalidArgumentError(f"sort must be 'asc' or 'desc', got {sort!r}")
    start_bound = None if start is None else to_time_bound(start, "start")
    end_bound = None if end is None else to_time_bound(end, "end")
    check_window(start_bound, end_bound)
    return {
        "start": UNSET if start_bound is None else start_bound,
        "end": UNSET if end_bound is None else end_bound,
        "sort": UNSET if sort is None else SortOrder(sort),
    }


def _classification(value: str | Iterable[str]) -> str:
    names: list[object]
    if isinstance(value, str):
        names = [value]
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray, Mapping)):
        names = list(value)
    else:
        names = [None]  # refused below, by the same message
    if not all(isinstance(name, str) for name in names):
        raise InvalidArgumentError(
            f"classification must be names like 'genericrobot,mpp,gsr' or a list of them, got {value!r}"
        )
    parts = [part.strip() for name in names if isinstance(name, str) for part in name.split(",")]
    if not parts or not all(part and part.replace("-", "").replace("_", "").isalnum() for part in parts):
        raise InvalidArgumentError(f"classification must be names like 'genericrobot,mpp,gsr', got {value!r}")
    return ",".join(parts)
