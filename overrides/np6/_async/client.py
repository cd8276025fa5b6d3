"""``np6.AsyncClient``: one method per family of event operations, written once.

The methods live in :class:`AsyncEvents`, generic over the type each one yields:
the client decodes events into their classes, and ``client.raw`` (the same methods)
yields the mappings exactly as NP6 sent them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Literal, Self, Unpack, overload

import httpx

from .._backends import install as install_deadline
from .._base import BaseClient, HitOptions, Options, RawEvent, Route
from .._campaigns import CampaignQuery
from .._config import ClientOptions, OptionChanges
from .._contacts import Contact
from .._errors import InvalidArgumentError
from .._events import (
    ActivationEvent,
    BounceEvent,
    CancellationEvent,
    Event,
    ExecutionEvent,
    HitEvent,
    ReplyEvent,
)
from .._fanout_loop import AsyncFanOut
from .._gate import RateGate
from .._kinds import CONTACT_KINDS, unknown_kind
from .._retries import RetryPolicy
from .closing import AsyncClosing
from .namespaces import (
    ActivationT,
    AsyncActions,
    AsyncCampaigns,
    AsyncContacts,
    AsyncDisplay,
    AsyncNotifications,
    BounceT,
    CancellationT,
    EventT,
    ExecutionT,
    HitT,
    ReplyT,
)
from .streaming import AsyncEventStream

__all__ = ["AsyncClient", "AsyncEvents"]


class AsyncEvents(Generic[EventT, ActivationT, BounceT, HitT, ReplyT, ExecutionT, CancellationT]):
    """The event operations, each streaming one API call, in a namespace per family of NP6's
    reference (``contacts``, ``campaigns``, ``actions``, ``notifications``, ``display``), plus
    the fan-outs over many contacts or campaigns.

    Every method returns a stream: events are decoded from the body as it arrives,
    memory stays flat, and stopping early closes the connection. Nothing is sent
    until the stream is first iterated, so network errors surface there. The contact
    and campaign methods here (``events``, ``hits``, ``campaign_events`` ...) are
    shortcuts to the same methods of ``contacts`` and ``campaigns``.
    """

    def __init__(self, client: AsyncClient, raw: bool) -> None:
        self._client = client
        self._raw = raw
        self.contacts: AsyncContacts[EventT, ActivationT, BounceT, HitT, ReplyT] = AsyncContacts(client, raw)
        """Events of one contact: ``events``, ``activations``, ``bounces``, ``hits``, ``form_hits``,
        ``open_hits``, ``stop_responses``."""
        self.campaigns: AsyncCampaigns[EventT] = AsyncCampaigns(client, raw)
        """Events of one campaign: ``events``, ``items_events``."""
        self.actions: AsyncActions[EventT, ActivationT, BounceT, HitT, CancellationT] = AsyncActions(
            client, raw
        )
        """Events of email and text message actions, and reactions to every action's activations."""
        self.notifications: AsyncNotifications[EventT, ActivationT, ExecutionT, CancellationT] = (
            AsyncNotifications(client, raw)
        )
        """Events of push notifications, and reactions to every notification's activations."""
        self.display: AsyncDisplay[EventT] = AsyncDisplay(client, raw)
        """Activation events of display contents."""

    def events(
        self, contact: Contact, *, route: Route = "query", **options: Unpack[Options]
    ) -> AsyncEventStream[EventT]:
        """Every event of a contact, all kinds (by ``id`` or ``unicity``).

        ``route="path"`` sends a contact id as ``GET /targets/{id}/events`` instead of
        ``GET /targets/events?id=``; both answer the same."""
        return self.contacts.events(contact, route=route, **options)

    def activations(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[ActivationT]:
        """Activation events of a contact (by ``id``)."""
        return self.contacts.activations(contact, **options)

    def bounces(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[BounceT]:
        """Bounce events of a contact (by ``id``)."""
        return self.contacts.bounces(contact, **options)

    def hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Hit events of a contact (by ``id``, ``unicity`` or ``hash``).

        Robot hits (``genericrobot``, ``mpp``, ``gsr``) are left out unless
        ``classification`` names them (``"genericrobot,mpp,gsr"`` or a list of names)."""
        return self.contacts.hits(contact, **options)

    def form_hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Form hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        return self.contacts.form_hits(contact, **options)

    def open_hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Open hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        return self.contacts.open_hits(contact, **options)

    def stop_responses(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[ReplyT]:
        """STOP replies of a contact (by ``id`` or ``unicity``)."""
        return self.contacts.stop_responses(contact, **options)

    def campaign_events(
        self,
        campaign_id: str,
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        **options: Unpack[Options],
    ) -> AsyncEventStream[EventT]:
        """Events of a campaign, optionally filtered by ``query`` (see :func:`np6.items_filter`).

        ``items_only=True`` uses ``POST /campaigns/{id}/items/events``, which requires
        ``query`` (``campaigns.items_events``); otherwise ``POST /campaigns/{id}/events``,
        where it is optional (``campaigns.events``).
        """
        if items_only is True:
            if query is None:
                raise InvalidArgumentError("campaign_events(items_only=True) needs a query naming the items")
            return self.campaigns.items_events(campaign_id, query, **options)
        if items_only is not False:
            raise InvalidArgumentError(f"items_only must be True or False, got {items_only!r}")
        return self.campaigns.events(campaign_id, query, **options)

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: Literal["events"] = ...,
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, EventT]: ...

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: Literal["activations"],
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, ActivationT]: ...

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: Literal["bounces"],
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, BounceT]: ...

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: Literal["hits", "form_hits", "open_hits"],
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, HitT]: ...

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: Literal["stop_responses"],
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, ReplyT]: ...

    @overload
    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: str,
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, EventT]: ...

    def contacts_events(
        self,
        contacts: Iterable[Contact],
        *,
        kind: str = "events",
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[Contact, Any]:
        """The events of many contacts, ``concurrency`` requests at a time.

        Yields a :class:`np6.Tagged` ``(target, event)`` per event, and a
        :class:`np6.Failed` ``(target, error)`` per contact whose events could not all
        be read (404, a stream cut beyond its retries); the other contacts go on,
        unless ``fail_fast=True``, which raises the first failure. ``kind`` names the
        method used for each contact (``"events"``, ``"hits"``, ``"form_hits"``, ...;
        ``np6 events --kind`` takes the same names, with dashes),
        with ``options`` as for it. ``contacts`` is read lazily, so it may be a
        generator over a file of any length. Every request goes through the client's
        rate gate (a 429 or ``X-RateLimit-Remaining: 0`` pauses them all);
        ``rate_limit`` (requests a second) spaces the contacts' requests evenly too,
        for servers that say nothing of their limit until they refuse."""
        if not isinstance(kind, str) or kind not in CONTACT_KINDS:
            raise InvalidArgumentError(unknown_kind(kind))
        _targets(contacts, "contacts", "np6.Contact")
        # every contact gets the same options: refused now, before any request, rather than per contact
        self._client._contact_request(kind, Contact(id="-"), self._raw, options)

        def opener(events: Any, contact: Contact) -> Any:
            return getattr(events.contacts, kind)(contact, **options)

        return AsyncFanOut(
            self._client,
            self._raw,
            opener,
            contacts,
            concurrency=concurrency,
            fail_fast=fail_fast,
            rate_limit=rate_limit,
        )

    def campaigns_events(
        self,
        campaign_ids: Iterable[str],
        query: CampaignQuery | None = None,
        *,
        items_only: bool = False,
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[Options],
    ) -> AsyncFanOut[str, EventT]:
        """The events of many campaigns, as :meth:`contacts_events` does for contacts.

        ``query`` and ``items_only`` apply to every campaign, as in :meth:`campaign_events`."""
        _targets(campaign_ids, "campaign_ids", "campaign id")
        # the same query and options for every campaign: refused now, before any request
        self._client._campaign_request("-", query, items_only, self._raw, options)

        def opener(events: Any, campaign_id: str) -> Any:
            return events.campaign_events(campaign_id, query, items_only=items_only, **options)

        return AsyncFanOut(
            self._client,
            self._raw,
            opener,
            campaign_ids,
            concurrency=concurrency,
            fail_fast=fail_fast,
            rate_limit=rate_limit,
        )


def _targets(targets: object, name: str, what: str) -> None:
    """Refuse what cannot be many targets: a string would be read one character at a time."""
    if isinstance(targets, (str, bytes, bytearray)) or not isinstance(targets, Iterable):
        raise InvalidArgumentError(f"{name} must be an iterable of {what}s, got {type(targets).__name__}")


class AsyncClient(
    BaseClient,
    AsyncClosing,
    AsyncEvents[Event, ActivationEvent, BounceEvent, HitEvent, ReplyEvent, ExecutionEvent, CancellationEvent],
):
    """Asynchronous NP6 events client.

    >>> async with np6.AsyncClient() as client:                  # key from $NP6_API_KEY
    ...     async for event in client.hits(np6.Contact(unicity="a@example.com"), sort="asc"):
    ...         print(event.id, event.datetime)

    ``client.raw`` has the same methods, yielding each event as the mapping NP6 sent.

    ``api_key`` defaults to ``$NP6_API_KEY``; whitespace around it (a key read from a
    file ends in a newline) is stripped, and any other character that cannot travel in
    a header is an :class:`np6.InvalidArgumentError`. ``timeout`` bounds each network
    phase of each attempt, with a caller's ``http_client`` too (default: connect 10 s,
    read 60, write 30, pool 10). ``deadline`` (seconds, off by default; also per call)
    bounds a whole call, retries, waits and the streaming of the body included: past it,
    :class:`np6.APITimeoutError`. np6's requests never follow redirects, whatever
    ``http_client`` is configured to do.

    The keyword arguments build an :class:`np6.ClientOptions` (``client.options``), which
    can be given whole instead (``options=``); arguments that contradict one another are
    refused there. :meth:`with_options` gives a copy with some of them changed.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        deadline: float | None = None,
        rate_gate: RateGate | None = None,
        options: ClientOptions | None = None,
    ) -> None:
        # the key is kept out of the dict: a traceback's captured locals would show it
        given: dict[str, Any] = {
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "retry_policy": retry_policy,
            "transport": transport,
            "http_client": http_client,
            "deadline": deadline,
            "rate_gate": rate_gate,
        }
        if options is None:
            options = ClientOptions(api_key, **given, allow_insecure_http=allow_insecure_http)
        elif not isinstance(options, ClientOptions):
            raise InvalidArgumentError(f"options must be an np6.ClientOptions, got {type(options).__name__}")
        else:
            mixed = sorted(name for name, value in given.items() if value is not None)
            if api_key is not None:
                mixed.append("api_key")
            if allow_insecure_http is not False:
                mixed.append("allow_insecure_http")
            if mixed:
                raise InvalidArgumentError(
                    f"options and {mixed[0]} were both given: pass options alone, changed first with "
                    f"options.replace({mixed[0]}=...) if needed"
                )
        self._setup(options, None)

    def _setup(self, options: ClientOptions, shared: httpx.AsyncClient | None) -> None:
        """Build this client from ``options``, on ``shared``'s connection pool when one is given."""
        if options.transport is not None and not isinstance(options.transport, httpx.AsyncBaseTransport):
            wanted = httpx.AsyncBaseTransport.__name__  # the sync copy names its own
            raise InvalidArgumentError(
                f"transport must be an httpx.{wanted}, got {type(options.transport).__name__}"
            )
        if options.http_client is not None and not isinstance(options.http_client, httpx.AsyncClient):
            wanted = httpx.AsyncClient.__name__
            raise InvalidArgumentError(
                f"http_client must be an httpx.{wanted}, got {type(options.http_client).__name__}"
            )
        self._configure(options)
        AsyncEvents.__init__(self, self, raw=False)
        self._owns_http = options.http_client is None and shared is None
        self._http = (
            shared
            or options.http_client
            or httpx.AsyncClient(transport=options.transport, **self._httpx_options())
        )
        # the deadline inside each socket operation too (a trickle resets httpx's timeouts)
        install_deadline(self._http)
        self.raw: AsyncEvents[RawEvent, RawEvent, RawEvent, RawEvent, RawEvent, RawEvent, RawEvent] = (
            AsyncEvents(self, raw=True)
        )

    def with_options(self, api_key: str | None = None, **changes: Unpack[OptionChanges]) -> Self:
        """A client like this one but for ``changes`` (keyword arguments of the constructor).

        >>> patient = client.with_options(timeout=120, max_retries=5)

        ``changes`` apply as :meth:`np6.ClientOptions.replace` says (``None`` restores an
        option's default, but ``api_key=None`` keeps the key; contradictions are refused);
        this client is unchanged.

        The copy **shares this client's connection pool** unless ``transport`` or
        ``http_client`` changes, or the base URL moves between https and plain http: it
        then opens its own, and closes it on :meth:`aclose`. A shared pool stays this
        client's: closing the copy leaves it open, and closing this client closes it for
        both, so keep this client open while the copy is used. The copy also **shares the
        rate gate** (a pause learnt by either holds both) unless the key, the server or
        the policy's ``retry_after_max`` changes.
        """
        options = self.options.replace(api_key, **changes)
        copy = type(self).__new__(type(self))
        copy._setup(options, self._http if self.options.shares_connections_with(options) else None)
        return copy

    async def aclose(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            await self._http.aclose()
