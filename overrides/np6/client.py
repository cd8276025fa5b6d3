"""``np6.Client`` and ``np6.AsyncClient``: one method per family of event operations.

Requests are built by the generated operation modules (their ``_get_kwargs``), so the
URL, query and body always match the spec; the answer is streamed and decoded here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Literal, Self, TypedDict, Unpack, cast, overload

import httpx
from np6_generated.client import AuthenticatedClient
from np6_generated.models import SortOrder
from np6_generated.types import UNSET, Unset

from . import _operations
from ._http import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT, RetryPolicy, check_transport
from .campaigns import CampaignQuery, to_query_body
from .contacts import Contact
from .errors import InvalidArgumentError
from .events import ActivationEvent, BounceEvent, Event, HitEvent, ReplyEvent
from .streaming import AsyncEventStream, EventStream, StreamRequest
from .timebounds import TimeBound, check_window, to_time_bound

__all__ = ["AsyncClient", "Client", "GeneratedClient", "HitOptions", "Options", "RawEvent"]

Sort = Literal["asc", "desc"]
RawEvent = dict[str, Any]
"""An event as NP6 sent it (``raw=True``)."""


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


def _check_options(method: str, options: Mapping[str, Any], allowed: type) -> None:
    unknown = sorted(set(options) - set(allowed.__annotations__) - set(Options.__annotations__))
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")


class GeneratedClient(AuthenticatedClient):
    """The generated client, configured like the np6 client, with the key kept out of repr."""

    def __repr__(self) -> str:
        return f"GeneratedClient(base_url={self._base_url!r}, token='***')"


class _Base:
    """Configuration and request building shared by the sync and async clients."""

    _http: Any

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
        self.__api_key = key
        self.base_url = _base_url(base_url, http_client)
        check_transport(self.base_url, allow_insecure_http)
        self.timeout = (
            timeout
            if isinstance(timeout, httpx.Timeout)
            else (DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout))
        )
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)

    @property
    def _api_key(self) -> str:
        return self.__api_key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key='***')"

    @property
    def generated(self) -> GeneratedClient:
        """The generated client (``np6_generated``) set up with the same server and key."""
        return GeneratedClient(
            base_url=str(self.base_url),
            token=self.__api_key,
            prefix="",
            auth_header_name="X-Key",
            timeout=self.timeout,
            headers={"User-Agent": USER_AGENT},
        )

    def _httpx_options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": {"User-Agent": USER_AGENT},
            "follow_redirects": False,
        }

    def _request(
        self,
        kwargs: dict[str, Any],
        default_type: str | None,
        sort: Sort | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
    ) -> StreamRequest:
        policy = self.retry_policy
        if max_retries is not None:
            policy = RetryPolicy(
                max_retries=max_retries,
                backoff=policy.backoff,
                backoff_max=policy.backoff_max,
                retry_after_max=policy.retry_after_max,
            )
        # an absolute URL, so that the server checked by check_transport is the one the
        # request goes to, whatever base_url a caller's own http_client carries
        path = httpx.URL(kwargs["url"]).raw_path.lstrip(b"/")
        url = self.base_url.copy_with(raw_path=self.base_url.raw_path.rstrip(b"/") + b"/" + path)
        return StreamRequest(
            kwargs={**kwargs, "url": url},
            default_type=default_type,
            resumable=sort == "asc",
            api_key=self.__api_key,
            policy=policy,
            timeout=None
            if timeout is None
            else (timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)),
        )

    @staticmethod
    def _common(start: TimeBound | None, end: TimeBound | None, sort: Sort | None) -> dict[str, Any]:
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

    def _contact_kwargs(
        self,
        family_name: str,
        contact: Contact,
        start: TimeBound | None,
        end: TimeBound | None,
        sort: Sort | None,
        classification: str | Iterable[str] | None,
        route: Literal["query", "path"] = "query",
    ) -> tuple[dict[str, Any], str | None]:
        family = _operations.CONTACT_FAMILIES[family_name]
        if not isinstance(contact, Contact):
            raise InvalidArgumentError(
                f"{family_name}: expected an np6.Contact, got {type(contact).__name__}"
            )
        target = family.routes.get(contact.selector)
        if route == "path" and contact.selector == "id" and family_name == "events":
            target = _operations.PATH_EVENTS
        if target is None:
            allowed = " or ".join(family.routes)
            raise InvalidArgumentError(
                f"{family_name}: NP6 selects the contact by {allowed} here, not by {contact.selector}"
            )
        arguments = self._common(start, end, sort)
        if classification is not None:
            if not family.classification:
                raise InvalidArgumentError(f"{family_name}: classification only applies to hits")
            arguments["classification"] = _classification(classification)
        return target.kwargs(contact.selector, contact.value, arguments), family.default_type

    def _contact_call(
        self, family: str, contact: Contact, options: Options, route: Literal["query", "path"]
    ) -> tuple[dict[str, Any], str | None]:
        hit_family = _operations.CONTACT_FAMILIES[family].classification
        _check_options(family, options, HitOptions if hit_family else Options)
        return self._contact_kwargs(
            family,
            contact,
            options.get("start"),
            options.get("end"),
            options.get("sort"),
            cast(HitOptions, options).get("classification"),
            route,
        )

    def _campaign_kwargs(
        self,
        campaign_id: str,
        query: CampaignQuery | None,
        items_only: bool,
        start: TimeBound | None,
        end: TimeBound | None,
        sort: Sort | None,
    ) -> dict[str, Any]:
        if not isinstance(campaign_id, str) or not campaign_id:
            raise InvalidArgumentError(f"campaign_id must be a non-empty string, got {campaign_id!r}")
        body = UNSET if query is None else to_query_body(query)
        arguments = self._common(start, end, sort)
        if items_only:
            if query is None:
                raise InvalidArgumentError("campaign_item_events needs a query naming the items")
            assert not isinstance(body, Unset)
            return _operations.CAMPAIGN_ITEMS_EVENTS._get_kwargs(campaign_id, body=body, **arguments)
        return _operations.CAMPAIGN_EVENTS._get_kwargs(campaign_id, body=body, **arguments)


def _base_url(given: str | None, http_client: httpx.Client | httpx.AsyncClient | None) -> httpx.URL:
    """The server to talk to: ``base_url``, else the http_client's, else $NP6_BASE_URL, else NP6's."""
    own = str(http_client.base_url).rstrip("/") if http_client is not None else ""
    url = (given or own or os.environ.get("NP6_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    if given and own and httpx.URL(url) != httpx.URL(own):
        raise InvalidArgumentError(
            f"base_url {url!r} and http_client.base_url {own!r} differ: give the server once"
        )
    return httpx.URL(url)


def _classification(value: str | Iterable[str]) -> str:
    names = [value] if isinstance(value, str) else list(value)
    parts = [part.strip() for name in names for part in name.split(",")]
    if not parts or not all(part and part.replace("-", "").replace("_", "").isalnum() for part in parts):
        raise InvalidArgumentError(f"classification must be names like 'genericrobot,mpp,gsr', got {value!r}")
    return ",".join(parts)


class Client(_Base):
    """Synchronous NP6 events client.

    >>> with np6.Client() as client:                       # key from $NP6_API_KEY
    ...     for event in client.hits(np6.Contact(unicity="a@example.com"), sort="asc"):
    ...         print(event.id, event.datetime)

    Every method returns an :class:`EventStream`: events are decoded from the body as
    it arrives, memory stays flat, and stopping early closes the connection.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key, base_url, timeout, max_retries, retry_policy, allow_insecure_http, http_client
        )
        self._owns_http = http_client is None
        self._http: httpx.Client = http_client or httpx.Client(transport=transport, **self._httpx_options())

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _open(
        self, kwargs: dict[str, Any], default_type: str | None, raw: bool, options: Options
    ) -> EventStream[Any]:
        request = self._request(
            kwargs, default_type, options.get("sort"), options.get("timeout"), options.get("max_retries")
        )
        return EventStream(self._http, request, raw)

    def _contact_stream(
        self,
        family: str,
        contact: Contact,
        raw: bool,
        options: Options,
        route: Literal["query", "path"] = "query",
    ) -> EventStream[Any]:
        kwargs, kind = self._contact_call(family, contact, options, route)
        return self._open(kwargs, kind, raw, options)

    @overload
    def events(
        self,
        contact: Contact,
        *,
        raw: Literal[False] = False,
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> EventStream[Event]: ...
    @overload
    def events(
        self,
        contact: Contact,
        *,
        raw: Literal[True],
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> EventStream[RawEvent]: ...
    def events(
        self,
        contact: Contact,
        *,
        raw: bool = False,
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> EventStream[Any]:
        """Every event of a contact, all kinds (by ``id`` or ``unicity``).

        ``route="path"`` sends a contact id as ``GET /targets/{id}/events`` instead of
        ``GET /targets/events?id=``; both answer the same."""
        return self._contact_stream("events", contact, raw, options, route)

    @overload
    def activations(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> EventStream[ActivationEvent]: ...
    @overload
    def activations(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> EventStream[RawEvent]: ...
    def activations(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]
    ) -> EventStream[Any]:
        """Activation events of a contact (by ``id``)."""
        return self._contact_stream("activations", contact, raw, options)

    @overload
    def bounces(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> EventStream[BounceEvent]: ...
    @overload
    def bounces(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> EventStream[RawEvent]: ...
    def bounces(self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]) -> EventStream[Any]:
        """Bounce events of a contact (by ``id``)."""
        return self._contact_stream("bounces", contact, raw, options)

    @overload
    def hits(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[HitOptions]
    ) -> EventStream[HitEvent]: ...
    @overload
    def hits(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[HitOptions]
    ) -> EventStream[RawEvent]: ...
    def hits(self, contact: Contact, *, raw: bool = False, **options: Unpack[HitOptions]) -> EventStream[Any]:
        """Hit events of a contact (by ``id``, ``unicity`` or ``hash``).

        Robot hits are left out unless ``classification`` names them
        (``"genericrobot,mpp,gsr"`` or a list of names)."""
        return self._contact_stream("hits", contact, raw, options)

    @overload
    def form_hits(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[HitOptions]
    ) -> EventStream[HitEvent]: ...
    @overload
    def form_hits(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[HitOptions]
    ) -> EventStream[RawEvent]: ...
    def form_hits(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[HitOptions]
    ) -> EventStream[Any]:
        """Form hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        return self._contact_stream("form_hits", contact, raw, options)

    @overload
    def stop_responses(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> EventStream[ReplyEvent]: ...
    @overload
    def stop_responses(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> EventStream[RawEvent]: ...
    def stop_responses(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]
    ) -> EventStream[Any]:
        """STOP replies of a contact (by ``id`` or ``unicity``)."""
        return self._contact_stream("stop_responses", contact, raw, options)

    @overload
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: Literal[False] = False,
        **options: Unpack[Options],
    ) -> EventStream[Event]: ...
    @overload
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: Literal[True],
        **options: Unpack[Options],
    ) -> EventStream[RawEvent]: ...
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: bool = False,
        **options: Unpack[Options],
    ) -> EventStream[Any]:
        """Events of a campaign, optionally filtered by ``query`` (see :func:`np6.items_filter`).

        ``items_only=True`` uses ``POST /campaigns/{id}/items/events``, which requires
        ``query``; otherwise ``POST /campaigns/{id}/events``, where it is optional.
        """
        _check_options("campaign_events", options, Options)
        kwargs = self._campaign_kwargs(
            campaign_id, query, items_only, options.get("start"), options.get("end"), options.get("sort")
        )
        return self._open(kwargs, None, raw, options)


class AsyncClient(_Base):
    """Asynchronous NP6 events client; the same methods as :class:`Client`, for ``async for``."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key, base_url, timeout, max_retries, retry_policy, allow_insecure_http, http_client
        )
        self._owns_http = http_client is None
        self._http: httpx.AsyncClient = http_client or httpx.AsyncClient(
            transport=transport, **self._httpx_options()
        )

    async def aclose(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def _open(
        self, kwargs: dict[str, Any], default_type: str | None, raw: bool, options: Options
    ) -> AsyncEventStream[Any]:
        request = self._request(
            kwargs, default_type, options.get("sort"), options.get("timeout"), options.get("max_retries")
        )
        return AsyncEventStream(self._http, request, raw)

    def _contact_stream(
        self,
        family: str,
        contact: Contact,
        raw: bool,
        options: Options,
        route: Literal["query", "path"] = "query",
    ) -> AsyncEventStream[Any]:
        kwargs, kind = self._contact_call(family, contact, options, route)
        return self._open(kwargs, kind, raw, options)

    @overload
    def events(
        self,
        contact: Contact,
        *,
        raw: Literal[False] = False,
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> AsyncEventStream[Event]: ...
    @overload
    def events(
        self,
        contact: Contact,
        *,
        raw: Literal[True],
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> AsyncEventStream[RawEvent]: ...
    def events(
        self,
        contact: Contact,
        *,
        raw: bool = False,
        route: Literal["query", "path"] = "query",
        **options: Unpack[Options],
    ) -> AsyncEventStream[Any]:
        """Every event of a contact, all kinds (by ``id`` or ``unicity``).

        ``route="path"`` sends a contact id as ``GET /targets/{id}/events`` instead of
        ``GET /targets/events?id=``; both answer the same."""
        return self._contact_stream("events", contact, raw, options, route)

    @overload
    def activations(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> AsyncEventStream[ActivationEvent]: ...
    @overload
    def activations(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> AsyncEventStream[RawEvent]: ...
    def activations(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]
    ) -> AsyncEventStream[Any]:
        """Activation events of a contact (by ``id``)."""
        return self._contact_stream("activations", contact, raw, options)

    @overload
    def bounces(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> AsyncEventStream[BounceEvent]: ...
    @overload
    def bounces(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> AsyncEventStream[RawEvent]: ...
    def bounces(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]
    ) -> AsyncEventStream[Any]:
        """Bounce events of a contact (by ``id``)."""
        return self._contact_stream("bounces", contact, raw, options)

    @overload
    def hits(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[HitOptions]
    ) -> AsyncEventStream[HitEvent]: ...
    @overload
    def hits(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[HitOptions]
    ) -> AsyncEventStream[RawEvent]: ...
    def hits(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[HitOptions]
    ) -> AsyncEventStream[Any]:
        """Hit events of a contact (by ``id``, ``unicity`` or ``hash``).

        Robot hits are left out unless ``classification`` names them
        (``"genericrobot,mpp,gsr"`` or a list of names)."""
        return self._contact_stream("hits", contact, raw, options)

    @overload
    def form_hits(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[HitOptions]
    ) -> AsyncEventStream[HitEvent]: ...
    @overload
    def form_hits(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[HitOptions]
    ) -> AsyncEventStream[RawEvent]: ...
    def form_hits(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[HitOptions]
    ) -> AsyncEventStream[Any]:
        """Form hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        return self._contact_stream("form_hits", contact, raw, options)

    @overload
    def stop_responses(
        self, contact: Contact, *, raw: Literal[False] = False, **options: Unpack[Options]
    ) -> AsyncEventStream[ReplyEvent]: ...
    @overload
    def stop_responses(
        self, contact: Contact, *, raw: Literal[True], **options: Unpack[Options]
    ) -> AsyncEventStream[RawEvent]: ...
    def stop_responses(
        self, contact: Contact, *, raw: bool = False, **options: Unpack[Options]
    ) -> AsyncEventStream[Any]:
        """STOP replies of a contact (by ``id`` or ``unicity``)."""
        return self._contact_stream("stop_responses", contact, raw, options)

    @overload
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: Literal[False] = False,
        **options: Unpack[Options],
    ) -> AsyncEventStream[Event]: ...
    @overload
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: Literal[True],
        **options: Unpack[Options],
    ) -> AsyncEventStream[RawEvent]: ...
    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        raw: bool = False,
        **options: Unpack[Options],
    ) -> AsyncEventStream[Any]:
        """Events of a campaign, optionally filtered by ``query`` (see :func:`np6.items_filter`).

        ``items_only=True`` uses ``POST /campaigns/{id}/items/events``, which requires
        ``query``; otherwise ``POST /campaigns/{id}/events``, where it is optional.
        """
        _check_options("campaign_events", options, Options)
        kwargs = self._campaign_kwargs(
            campaign_id, query, items_only, options.get("start"), options.get("end"), options.get("sort")
        )
        return self._open(kwargs, None, raw, options)
