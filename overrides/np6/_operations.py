"""Which generated operation answers which call, and what each one accepts."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import attrs
from np6_generated.api.campaign_events import get_campaign_events, get_campaign_items_events
from np6_generated.api.contact_events import (
    get_contact_activations,
    get_contact_bounces,
    get_contact_events,
    get_contact_form_hits,
    get_target_events,
    get_target_hits,
    get_target_stop_responses,
)
from np6_generated.models import ContactByIdOrUnicity, ContactByIdUnicityOrHash

__all__ = ["CONTACT_FAMILIES", "ContactFamily", "Route"]


@attrs.frozen
class Route:
    """A generated operation module and how the contact selector reaches it.

    ``contact`` is the generated model of the spec's exactly-one-of contact object for
    query routes (``None`` when the id is in the path): it is built holding the one
    selector asked for, which the generated code explodes into ``?id=...``.
    """

    module: ModuleType
    contact: type[ContactByIdOrUnicity] | type[ContactByIdUnicityOrHash] | None = None

    def kwargs(self, selector: str, value: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """What the generated ``request_kwargs`` builds for this contact and these arguments."""
        if self.contact is None:
            built: dict[str, Any] = self.module.request_kwargs(value, **arguments)
        else:
            built = self.module.request_kwargs(contact=self.contact.from_dict({selector: value}), **arguments)
        return built


@attrs.frozen
class ContactFamily:
    """One family of contact operations: the routes by selector, the kind answered."""

    name: str
    routes: dict[str, Route]
    default_type: str | None
    classification: bool = False


def _query(module: ModuleType, contact: type[ContactByIdOrUnicity] | type[ContactByIdUnicityOrHash]) -> Route:
    return Route(module, contact)


def _path(module: ModuleType) -> Route:
    return Route(module)


CONTACT_FAMILIES: dict[str, ContactFamily] = {
    family.name: family
    for family in (
        # GET /targets/{id}/events answers the same as GET /targets/events?id=; the
        # query form is used so one operation serves both selectors.
        ContactFamily(
            "events",
            {s: _query(get_target_events, ContactByIdOrUnicity) for s in ("id", "unicity")},
            default_type=None,
        ),
        ContactFamily("activations", {"id": _path(get_contact_activations)}, "activation"),
        ContactFamily("bounces", {"id": _path(get_contact_bounces)}, "bounce"),
        ContactFamily(
            "hits",
            {s: _query(get_target_hits, ContactByIdUnicityOrHash) for s in ("id", "unicity", "hash")},
            "hit",
            classification=True,
        ),
        ContactFamily("form_hits", {"id": _path(get_contact_form_hits)}, "hit", classification=True),
        ContactFamily(
            "stop_responses",
            {s: _query(get_target_stop_responses, ContactByIdOrUnicity) for s in ("id", "unicity")},
            "reply",
        ),
    )
}

PATH_EVENTS = _path(get_contact_events)
"""``GET /targets/{id}/events``, used when ``events(..., route="path")`` asks for it."""

CAMPAIGN_EVENTS = get_campaign_events
CAMPAIGN_ITEMS_EVENTS = get_campaign_items_events
