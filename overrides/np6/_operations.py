"""Which generated operation answers which call, and what each one accepts."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import typing
from types import ModuleType
from typing import Any, Literal

import attrs
from np6_generated.api.campaign_events import get_campaign_events, get_campaign_items_events
from np6_generated.api.contact_events import (
    get_contact_activations,
    get_contact_bounces,
    get_contact_events,
    get_contact_form_hits,
    get_contact_open_hits,
    get_target_events,
    get_target_hits,
    get_target_stop_responses,
)
from np6_generated.models import ContactByIdOrUnicity, ContactByIdUnicityOrHash

__all__ = ["CONTACT_FAMILIES", "ContactFamily", "Operation", "Route", "operation", "reactivity_operations"]


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
        ContactFamily("open_hits", {"id": _path(get_contact_open_hits)}, "hit", classification=True),
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


RESUMING = ("reactivity_start", "start")
"""The parameter a resumed request moves, first found wins: a reactivity's own timestamp
(``reactivityStart``) where the operation has one, since its ``sort`` orders by that, else ``start``."""


@attrs.frozen
class Operation:
    """What np6 needs to know of one generated operation, read off the generated module.

    Nothing here is written per operation: the path parameters and their types, the
    query parameters, the kind an event without ``type`` is taken for, and the query
    parameter a resumed ``sort=asc`` stream sets all come from the module's public
    ``request_kwargs`` and ``parse_response`` signatures, so an operation added to the
    spec is served by the same code as the others (see :func:`operation`).
    """

    module: ModuleType
    name: str
    method: str
    path: str
    """The path template, as the spec writes it (``/actions/{id}/events/bounces``)."""
    path_params: tuple[tuple[str, type], ...]
    """The path parameters in order, with the Python type the spec gives each (``str`` or ``int``)."""
    query: frozenset[str]
    """The query parameters, by their Python names (``start``, ``activation_start``, ...)."""
    default_type: str | None
    resume_param: str | None
    """The query parameter (as sent) a resumed request sets to the last timestamp yielded."""

    def kwargs(self, path_values: tuple[Any, ...], arguments: dict[str, Any]) -> dict[str, Any]:
        """What the generated ``request_kwargs`` builds for these path values and arguments."""
        built: dict[str, Any] = self.module.request_kwargs(*path_values, **arguments)
        return built


@functools.cache
def operation(module: ModuleType) -> Operation:
    """The :class:`Operation` of a generated operation module (read once, then cached)."""
    signature = inspect.signature(module.request_kwargs)
    hints = typing.get_type_hints(module.request_kwargs)
    path_params: list[tuple[str, type]] = []
    query: set[str] = set()
    for name, parameter in signature.parameters.items():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            if parameter.default is inspect.Parameter.empty:
                # a required query object (the contact selectors): served by CONTACT_FAMILIES' routes
                raise TypeError(f"{module.__name__} takes a {name} object, not path ids")
            query.add(name)
        else:
            path_params.append((name, int if hints.get(name) is int else str))
    placeholders = tuple(1 if kind is int else "-" for _, kind in path_params)
    resume = next((name for name in RESUMING if name in query), None)
    built = module.request_kwargs(*placeholders, **({} if resume is None else {resume: 0}))
    resume_param = None if resume is None else next(k for k, v in built.get("params", {}).items() if v == 0)
    # the path template: the generated code fills the placeholders in, they are put back here
    path = str(built["url"])
    for (name, _), value in zip(path_params, placeholders, strict=True):
        path = path.replace(f"/{value}/", f"/{{{name}}}/", 1) if f"/{value}/" in path else path
    return Operation(
        module=module,
        name=module.__name__.rpartition(".")[2],
        method=str(built["method"]).upper(),
        path=path,
        path_params=tuple(path_params),
        query=frozenset(query),
        default_type=_default_type(module),
        resume_param=resume_param,
    )


def _default_type(module: ModuleType) -> str | None:
    """The one kind an operation's answer holds (``"bounce"``), ``None`` when it holds several.

    Read off ``parse_response``'s return type: a list of one event model whose ``type``
    is a constant is that kind's operation.
    """
    returned = typing.get_type_hints(module.parse_response).get("return")
    for member in typing.get_args(returned):
        if typing.get_origin(member) is list:
            (item,) = typing.get_args(member)
            # the model's own annotation: its other fields name classes imported for type checkers only
            kind = getattr(item, "__annotations__", {}).get("type_")
            if isinstance(kind, str):
                constant = re.fullmatch(r"""Literal\[(['"])(\w+)\1\]""", kind)
                return None if constant is None else constant.group(2)
            if typing.get_origin(kind) is Literal:
                (value,) = typing.get_args(kind)
                return str(value)
    return None


@functools.cache
def reactivity_operations(package: ModuleType) -> dict[tuple[bool, str | None], Operation]:
    """The reactivity operations of a generated tag package, by (one target?, kind).

    The kind is read off the path after ``/reactivities``, the last segment first:
    ``/actions/reactivities/hits/open`` answers ``open_hits``, ``.../bounces``
    ``bounces``, ``/actions/reactivities`` itself every kind (``None``). So the
    operations of the family are exactly those the spec has, found where the
    generator put them: an operation added to the spec is a kind here with no code.
    """
    found: dict[tuple[bool, str | None], Operation] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if not hasattr(module, "request_kwargs"):
            continue
        op = operation(module)
        _, _, tail = op.path.partition("/reactivities")
        segments = [segment for segment in tail.split("/") if segment]
        kind = "_".join(reversed(segments)) or None
        found[(bool(op.path_params), kind)] = op
    return found
