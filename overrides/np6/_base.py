"""What the sync and async clients share: configuration, argument checking, request building.

A call is prepared here into a :class:`StreamRequest` (URL, query and body from the
generated operation's ``_get_kwargs``, the retry policy, the key's ``httpx.Auth``);
the I/O happens in the streams.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict

import attrs
import httpx
from np6_generated.client import AuthenticatedClient
from np6_generated.models import SortOrder
from np6_generated.types import UNSET

from . import _operations
from ._auth import KeyAuth
from ._urls import absolute, check_transport, resolve_base_url
from ._version import __version__
from .campaigns import CampaignQuery, to_query_body
from .contacts import Contact
from .errors import InvalidArgumentError, Redactor
from .gate import RateGate
from .retries import RetryPolicy
from .timebounds import TimeBound, check_window, to_time_bound

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "BaseClient",
    "GeneratedClient",
    "HitOptions",
    "Options",
    "RawEvent",
    "Route",
    "Sort",
    "StreamRequest",
]

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
USER_AGENT = f"np6-python/{__version__} httpx/{httpx.__version__}"

Sort = Literal["asc", "desc"]
Route = Literal["query", "path"]
RawEvent = dict[str, Any]
"""An event as NP6 sent it (``client.raw``)."""


class Options(TypedDict, total=False):
    """Keyword options of every events method.

    ``start`` (inclusive) and ``end`` (exclusive) take a datetime, a date, an ISO 8601
    string or epoch milliseconds. ``sort`` is ``"asc"``, ``"desc"`` or absent (order
    unspecified); with ``"asc"`` a cut stream is resumed where it stopped. ``timeout``
    and ``max_retries`` override the client's settings for this call.
    """

    start: TimeBound | None
    end: TimeBound | None
    sort: Sort | None
    timeout: float | httpx.Timeout | None
    max_retries: int | None


class HitOptions(Options, total=False):
    """Options of the hit methods: ``classification`` adds the named robots' hits."""

    classification: str | Iterable[str] | None


@attrs.frozen
class StreamRequest:
    """One API call to stream: what the generated ``_get_kwargs`` built, plus how to send it."""

    kwargs: dict[str, Any]
    default_type: str | None
    resumable: bool
    raw: bool
    policy: RetryPolicy
    auth: KeyAuth = attrs.field(repr=False)
    redactor: Redactor = attrs.field(repr=False)
    timeout: httpx.Timeout | None = None
    gate: RateGate = attrs.field(factory=RateGate, repr=False, eq=False)


class GeneratedClient(AuthenticatedClient):
    """The generated client, configured like the np6 client, with the key kept out of repr."""

    def __repr__(self) -> str:
        return f"GeneratedClient(base_url={self._base_url!r}, token='***')"


def _timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


class BaseClient:
    """Configuration and request building shared by :class:`np6.Client` and :class:`np6.AsyncClient`."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        retry_policy: RetryPolicy | None,
        allow_insecure_http: bool,
        http_client: httpx.Client | httpx.AsyncClient | None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("NP6_API_KEY")
        if not key:
            raise InvalidArgumentError("no API key: pass api_key=... or set NP6_API_KEY")
        self.base_url = resolve_base_url(base_url, http_client)
        check_transport(self.base_url, allow_insecure_http)
        self.timeout = DEFAULT_TIMEOUT if timeout is None else _timeout(timeout)
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self._auth = KeyAuth(key, self.base_url)
        self._redactor = Redactor(key)
        self.gate = RateGate(max_pause=self.retry_policy.retry_after_max)
        """Shared by every request of this client: a 429 or ``X-RateLimit-Remaining: 0`` pauses them all."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key='***')"

    @property
    def generated(self) -> GeneratedClient:
        """The generated client (``np6_generated``) set up with the same server and key."""
        # the key comes from the same KeyAuth as np6's own requests, origin check included
        return GeneratedClient(
            base_url=str(self.base_url),
            token="",
            prefix="",
            auth_header_name="X-Key",
            timeout=self.timeout,
            headers={"User-Agent": USER_AGENT},
            httpx_args={"auth": self._auth},
        )

    def _httpx_options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": {"User-Agent": USER_AGENT},
            "follow_redirects": False,
        }

    def _prepare(
        self, kwargs: dict[str, Any], default_type: str | None, raw: bool, options: Options
    ) -> StreamRequest:
        policy = self.retry_policy
        max_retries = options.get("max_retries")
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        timeout = options.get("timeout")
        return StreamRequest(
            kwargs={**kwargs, "url": absolute(self.base_url, kwargs["url"])},
            default_type=default_type,
            resumable=options.get("sort") == "asc",
            raw=raw,
            policy=policy,
            auth=self._auth,
            redactor=self._redactor,
            timeout=None if timeout is None else _timeout(timeout),
            gate=self.gate,
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
        if route == "path":
            if family_name != "events" or contact.selector != "id":
                raise InvalidArgumentError(
                    f"{family_name}: route='path' (GET /targets/{{id}}/events) takes a contact id only"
                )
            target = _operations.PATH_EVENTS
        if target is None:
            allowed = " or ".join(family.routes)
            raise InvalidArgumentError(
                f"{family_name}: NP6 selects the contact by {allowed} here, not by {contact.selector}"
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
        arguments = _window(options)
        if items_only:
            if query is None:
                raise InvalidArgumentError("campaign_events(items_only=True) needs a query naming the items")
            kwargs = _operations.CAMPAIGN_ITEMS_EVENTS._get_kwargs(
                campaign_id, body=to_query_body(query), **arguments
            )
        else:
            body = UNSET if query is None else to_query_body(query)
            kwargs = _operations.CAMPAIGN_EVENTS._get_kwargs(campaign_id, body=body, **arguments)
        return self._prepare(kwargs, None, raw, options)


def _check_options(method: str, options: Mapping[str, Any], allowed: type) -> None:
    unknown = sorted(set(options) - set(allowed.__annotations__) - set(Options.__annotations__))
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")


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
    names = [value] if isinstance(value, str) else list(value)
    parts = [part.strip() for name in names for part in name.split(",")]
    if not parts or not all(part and part.replace("-", "").replace("_", "").isalnum() for part in parts):
        raise InvalidArgumentError(f"classification must be names like 'genericrobot,mpp,gsr', got {value!r}")
    return ",".join(parts)
