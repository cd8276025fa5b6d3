"""The client's namespaces, one per family of NP6's reference: ``client.contacts``,
``client.campaigns``, ``client.actions``, ``client.notifications``, ``client.display``.

Each method is one generated operation, and holds nothing of it but its name: what the
operation takes (path ids and their types, query parameters), the kind its events are
and the parameter a resumed ``sort="asc"`` stream moves are read off the generated
module (:func:`np6._operations.operation`), and every call goes through the one request
builder (:meth:`np6._base.BaseClient._operation_request`) and the one stream, so
retries, the rate gate, deadlines, resuming and the fan-out hold for each of them.

The namespaces are generic over the type each method yields: the client's decode events
into their classes, ``client.raw``'s yield the mappings exactly as NP6 sent them.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from np6_generated.api import action_reactivities, notification_reactivities
from np6_generated.api.action_events import (
    get_action_activations,
    get_action_bounces,
    get_action_cancellations,
    get_action_mirror_hits,
)
from np6_generated.api.display_events import get_display_activations, get_display_content_activations
from np6_generated.api.notification_events import (
    get_notification_activations,
    get_notification_cancellations,
    get_notification_executions,
)

from .._base import HitOptions, Options, ReactivityOptions, Route
from .._campaigns import CampaignQuery
from .._contacts import Contact
from .._errors import InvalidArgumentError
from .._fanout_loop import AsyncFanOut
from .._operations import operation, reactivity_operations
from .streaming import AsyncEventStream

if TYPE_CHECKING:
    from .client import AsyncClient

__all__ = ["AsyncActions", "AsyncCampaigns", "AsyncContacts", "AsyncDisplay", "AsyncNotifications"]

# the event classes a namespace yields (np6's views, or RawEvent for client.raw); AsyncEvents uses them too
EventT = TypeVar("EventT")
ActivationT = TypeVar("ActivationT")
BounceT = TypeVar("BounceT")
HitT = TypeVar("HitT")
ReplyT = TypeVar("ReplyT")
ExecutionT = TypeVar("ExecutionT")
CancellationT = TypeVar("CancellationT")


class _Namespace:
    """What every namespace does: turn one generated operation and its arguments into a stream."""

    _attribute = ""
    """The namespace's name on the client (``actions``), for the fan-out's twin client."""
    _placeholder: Any = "-"
    """A target of the namespace's type, to check a fan-out's options before any request."""

    def __init__(self, client: AsyncClient, raw: bool) -> None:
        self._client = client
        self._raw = raw

    def _many(
        self,
        kind: str,
        targets: Iterable[Any],
        concurrency: int,
        fail_fast: bool,
        rate_limit: float | None,
        options: Any,
    ) -> Any:
        """The fan-out of method ``kind`` over ``targets``: the algorithm of ``contacts_events``."""
        kinds = self._per_target()
        if not isinstance(kind, str) or kind not in kinds:
            raise InvalidArgumentError(f"kind must be one of {', '.join(kinds)}, got {kind!r}")
        if isinstance(targets, (str, bytes, bytearray)) or not isinstance(targets, Iterable):
            raise InvalidArgumentError(f"targets must be an iterable of ids, got {type(targets).__name__}")
        # the same options for every target: refused now, before any request (nothing is sent yet)
        getattr(self, kind)(self._placeholder, **options)
        attribute = self._attribute

        def opener(events: Any, target: Any) -> Any:
            return getattr(getattr(events, attribute), kind)(target, **options)

        return AsyncFanOut(
            self._client,
            self._raw,
            opener,
            targets,
            concurrency=concurrency,
            fail_fast=fail_fast,
            rate_limit=rate_limit,
        )

    @classmethod
    def _per_target(cls) -> list[str]:
        """The methods that read one target (an action, a notification) by its id."""
        return [
            name
            for name, value in vars(cls).items()
            if callable(value) and not name.startswith("_") and name not in ("reactivities", "many")
        ]

    def _call(self, method: str, module: ModuleType, options: Any, **path: Any) -> Any:
        request = self._client._operation_request(method, operation(module), path, self._raw, options)
        return AsyncEventStream(self._client._http, request)

    def _reactivities(
        self, method: str, package: ModuleType, kind: str | None, target: str, value: Any, options: Any
    ) -> Any:
        """The reactivity operation of ``package`` the reference has for ``kind`` and this scope."""
        operations = reactivity_operations(package)
        scoped = value is not None
        # a kind that is no string (a list is not even hashable) is refused like an unknown one
        chosen = operations.get((scoped, kind)) if kind is None or isinstance(kind, str) else None
        if chosen is None:
            one = target.removesuffix("_id")

            def listed(in_scope: bool) -> str:
                kinds = sorted(repr(k) for s, k in operations if s == in_scope and k is not None)
                every = ["None (every kind)"] if (in_scope, None) in operations else []
                return ", ".join(every + kinds) or "nothing"

            raise InvalidArgumentError(
                f"{method}: NP6's reference has no kind={kind!r} for "
                f"{f'one {one} ({target}=...)' if scoped else f'every {one}'}; kinds for every {one}: "
                f"{listed(False)}; for one {one} ({target}=...): {listed(True)}"
            )
        path = {target: value} if scoped else {}
        return self._client._operation_request(method, chosen, path, self._raw, options)


class AsyncContacts(_Namespace, Generic[EventT, ActivationT, BounceT, HitT, ReplyT]):
    """Events of one contact, chosen by an :class:`np6.Contact` (``client.contacts``)."""

    def _contact(self, family: str, contact: Contact, options: Any, route: Route = "query") -> Any:
        request = self._client._contact_request(family, contact, self._raw, options, route)
        return AsyncEventStream(self._client._http, request)

    def events(
        self, contact: Contact, *, route: Route = "query", **options: Unpack[Options]
    ) -> AsyncEventStream[EventT]:
        """Every event of a contact, all kinds (by ``id`` or ``unicity``).

        ``route="path"`` sends a contact id as ``GET /targets/{id}/events`` instead of
        ``GET /targets/events?id=``; both answer the same."""
        stream: AsyncEventStream[EventT] = self._contact("events", contact, options, route)
        return stream

    def activations(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[ActivationT]:
        """Activation events of a contact (by ``id``)."""
        stream: AsyncEventStream[ActivationT] = self._contact("activations", contact, options)
        return stream

    def bounces(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[BounceT]:
        """Bounce events of a contact (by ``id``)."""
        stream: AsyncEventStream[BounceT] = self._contact("bounces", contact, options)
        return stream

    def hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Hit events of a contact (by ``id``, ``unicity`` or ``hash``).

        Robot hits (``genericrobot``, ``mpp``, ``gsr``) are left out unless
        ``classification`` names them (``"genericrobot,mpp,gsr"`` or a list of names)."""
        stream: AsyncEventStream[HitT] = self._contact("hits", contact, options)
        return stream

    def form_hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Form hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        stream: AsyncEventStream[HitT] = self._contact("form_hits", contact, options)
        return stream

    def open_hits(self, contact: Contact, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Open hits of a contact (by ``id``); ``classification`` as for :meth:`hits`."""
        stream: AsyncEventStream[HitT] = self._contact("open_hits", contact, options)
        return stream

    def stop_responses(self, contact: Contact, **options: Unpack[Options]) -> AsyncEventStream[ReplyT]:
        """STOP replies of a contact (by ``id`` or ``unicity``)."""
        stream: AsyncEventStream[ReplyT] = self._contact("stop_responses", contact, options)
        return stream


class AsyncCampaigns(_Namespace, Generic[EventT]):
    """Events of one campaign (``client.campaigns``)."""

    def events(
        self, campaign_id: str, query: CampaignQuery | None = None, **options: Unpack[Options]
    ) -> AsyncEventStream[EventT]:
        """Events of a campaign (``POST /campaigns/{id}/events``), filtered by ``query`` if given
        (see :func:`np6.items_filter`)."""
        request = self._client._campaign_request(campaign_id, query, False, self._raw, options)
        return AsyncEventStream(self._client._http, request)

    def items_events(
        self, campaign_id: str, query: CampaignQuery, **options: Unpack[Options]
    ) -> AsyncEventStream[EventT]:
        """Events of the items of a campaign that ``query`` names (``POST /campaigns/{id}/items/events``)."""
        request = self._client._campaign_request(campaign_id, query, True, self._raw, options)
        return AsyncEventStream(self._client._http, request)


class AsyncActions(_Namespace, Generic[EventT, ActivationT, BounceT, HitT, CancellationT]):
    """Events of email and text message actions, the items of campaigns (``client.actions``)."""

    _attribute = "actions"

    def many(
        self,
        kind: str,
        action_ids: Iterable[str],
        *,
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[HitOptions],
    ) -> AsyncFanOut[str, EventT]:
        """The events of many actions, ``concurrency`` requests at a time, by method ``kind``
        (``"bounces"``, ``"mirror_hits"`` ...), as :meth:`np6.Client.contacts_events` does for
        contacts: :class:`np6.Tagged` ``(action_id, event)`` items, :class:`np6.Failed` for an
        action that failed, one rate gate."""
        fan_out: AsyncFanOut[str, EventT] = self._many(
            kind, action_ids, concurrency, fail_fast, rate_limit, options
        )
        return fan_out

    def activations(self, action_id: str, **options: Unpack[Options]) -> AsyncEventStream[ActivationT]:
        """Activation events of an action (``GET /actions/{id}/events/activations``)."""
        stream: AsyncEventStream[ActivationT] = self._call(
            "actions.activations", get_action_activations, options, action_id=action_id
        )
        return stream

    def cancellations(self, action_id: str, **options: Unpack[Options]) -> AsyncEventStream[CancellationT]:
        """Cancellation events of an action (``GET /actions/{id}/events/cancellations``)."""
        stream: AsyncEventStream[CancellationT] = self._call(
            "actions.cancellations", get_action_cancellations, options, action_id=action_id
        )
        return stream

    def bounces(self, action_id: str, **options: Unpack[Options]) -> AsyncEventStream[BounceT]:
        """Bounce events of an action (``GET /actions/{id}/events/bounces``)."""
        stream: AsyncEventStream[BounceT] = self._call(
            "actions.bounces", get_action_bounces, options, action_id=action_id
        )
        return stream

    def mirror_hits(self, action_id: str, **options: Unpack[HitOptions]) -> AsyncEventStream[HitT]:
        """Mirror-page hits of an action (``GET /actions/{id}/events/hits/mirror``); ``classification``
        adds the named robots' hits, as for :meth:`AsyncContacts.hits`."""
        stream: AsyncEventStream[HitT] = self._call(
            "actions.mirror_hits", get_action_mirror_hits, options, action_id=action_id
        )
        return stream

    def reactivities(
        self, kind: str | None = None, action_id: str | None = None, **options: Unpack[ReactivityOptions]
    ) -> AsyncEventStream[EventT]:
        """Reactions (hits, bounces, ...) to the activations of every action, or of one (``action_id``).

        ``kind`` picks the operation NP6's reference has for that scope: for every action
        ``None`` (all kinds), ``"bounces"``, ``"open_hits"``, ``"mirror_hits"``; for one
        action ``"redirection_hits"``, ``"unsubscribe_hits"``. Another is an
        :class:`np6.InvalidArgumentError` naming those. The windows and order are
        :class:`np6.ReactivityOptions`; ``sort="asc"`` resumes a cut stream on the
        reaction's own timestamp. One request answers for every contact."""
        request = self._reactivities(
            "actions.reactivities", action_reactivities, kind, "action_id", action_id, options
        )
        return AsyncEventStream(self._client._http, request)


class AsyncNotifications(_Namespace, Generic[EventT, ActivationT, ExecutionT, CancellationT]):
    """Events of push notifications, each with its integer id (``client.notifications``)."""

    _attribute = "notifications"
    _placeholder = 1

    def many(
        self,
        kind: str,
        notification_ids: Iterable[int],
        *,
        concurrency: int = 4,
        fail_fast: bool = False,
        rate_limit: float | None = None,
        **options: Unpack[Options],
    ) -> AsyncFanOut[int, EventT]:
        """The events of many notifications by method ``kind`` (``"executions"`` ...), as
        :meth:`AsyncActions.many` does for actions."""
        fan_out: AsyncFanOut[int, EventT] = self._many(
            kind, notification_ids, concurrency, fail_fast, rate_limit, options
        )
        return fan_out

    def executions(self, notification_id: int, **options: Unpack[Options]) -> AsyncEventStream[ExecutionT]:
        """Execution events of a notification (``GET /notifications/{id}/events/executions``)."""
        stream: AsyncEventStream[ExecutionT] = self._call(
            "notifications.executions", get_notification_executions, options, notification_id=notification_id
        )
        return stream

    def cancellations(
        self, notification_id: int, **options: Unpack[Options]
    ) -> AsyncEventStream[CancellationT]:
        """Cancellation events of a notification (``GET /notifications/{id}/events/cancellations``)."""
        stream: AsyncEventStream[CancellationT] = self._call(
            "notifications.cancellations",
            get_notification_cancellations,
            options,
            notification_id=notification_id,
        )
        return stream

    def activations(self, notification_id: int, **options: Unpack[Options]) -> AsyncEventStream[ActivationT]:
        """Activation events of a notification (``GET /notifications/{id}/events/activations``)."""
        stream: AsyncEventStream[ActivationT] = self._call(
            "notifications.activations",
            get_notification_activations,
            options,
            notification_id=notification_id,
        )
        return stream

    def reactivities(
        self,
        kind: str | None = None,
        notification_id: int | None = None,
        **options: Unpack[ReactivityOptions],
    ) -> AsyncEventStream[EventT]:
        """Reactions to the activations of every notification, or of one (``notification_id``).

        ``kind`` picks the operation NP6's reference has for that scope: for every
        notification ``None`` (all kinds), ``"hits"``, ``"bounces"``; for one notification
        ``"optouts"``. Otherwise as :meth:`AsyncActions.reactivities`."""
        request = self._reactivities(
            "notifications.reactivities",
            notification_reactivities,
            kind,
            "notification_id",
            notification_id,
            options,
        )
        return AsyncEventStream(self._client._http, request)


class AsyncDisplay(_Namespace, Generic[EventT]):
    """Events of display contents (``client.display``)."""

    def activations(
        self, content_id: str | None = None, **options: Unpack[Options]
    ) -> AsyncEventStream[EventT]:
        """Activation events of every display content, or of one (``content_id``)."""
        if content_id is None:
            stream: AsyncEventStream[EventT] = self._call(
                "display.activations", get_display_activations, options
            )
        else:
            stream = self._call(
                "display.activations", get_display_content_activations, options, content_id=content_id
            )
        return stream
