"""Which generated operation answers which call, and what each one accepts."""

from __future__ import annotations

from collections.abc import Callable
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
from np6_generated.models import ContactByHash, ContactById, ContactByUnicity

__all__ = ["CONTACT_FAMILIES", "ContactFamily", "Route"]


@attrs.frozen
class Route:
    """A generated operation module and how the contact selector reaches it."""

    module: ModuleType
    selector_in_path: bool

    def kwargs(self, selector: str, value: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """What the generated ``_get_kwargs`` builds for this contact and these arguments."""
        if self.selector_in_path:
            built: dict[str, Any] = self.module._get_kwargs(value, **arguments)
        else:
            built = self.module._get_kwargs(contact=_SELECTORS[selector](value), **arguments)
        return built


# The spec's exactly-one-of contact object: one generated model per selector, so a
# request can only ever carry the one it was built with.
_SELECTORS: dict[str, Callable[[str], ContactById | ContactByUnicity | ContactByHash]] = {
    "id": lambda value: ContactById(id=value),
    "unicity": lambda value: ContactByUnicity(unicity=value),
    "hash": lambda value: ContactByHash(hash_=value),
}


@attrs.frozen
class ContactFamily:
    """One family of contact operations: the routes by selector, the kind answered."""

    name: str
    routes: dict[str, Route]
    default_type: str | None
    classification: bool = False


def _query(module: ModuleType) -> Route:
    return Route(module, selector_in_path=False)


def _path(module: ModuleType) -> Route:
    return Route(module, selector_in_path=True)


CONTACT_FAMILIES: dict[str, ContactFamily] = {
    family.name: family
    for family in (
        # GET /targets/{id}/events answers the same as GET /targets/events?id=; the
        # query form is used so one operation serves both selectors.
        ContactFamily(
            "events",
            {"id": _query(get_target_events), "unicity": _query(get_target_events)},
            default_type=None,
        ),
        ContactFamily("activations", {"id": _path(get_contact_activations)}, "activation"),
        ContactFamily("bounces", {"id": _path(get_contact_bounces)}, "bounce"),
        ContactFamily(
            "hits",
            {s: _query(get_target_hits) for s in ("id", "unicity", "hash")},
            "hit",
            classification=True,
        ),
        ContactFamily("form_hits", {"id": _path(get_contact_form_hits)}, "hit", classification=True),
        ContactFamily(
            "stop_responses",
            {s: _query(get_target_stop_responses) for s in ("id", "unicity")},
            "reply",
        ),
    )
}

PATH_EVENTS = _path(get_contact_events)
"""``GET /targets/{id}/events``, used when ``events(..., route="path")`` asks for it."""

CAMPAIGN_EVENTS = get_campaign_events
CAMPAIGN_ITEMS_EVENTS = get_campaign_items_events
