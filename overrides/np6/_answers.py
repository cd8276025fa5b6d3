"""``client.generated``'s answers checked before the generated code parses them.

The generated functions parse an answer with ``response.json()`` and the models'
``from_dict``: a hostile or broken answer escapes as ``JSONDecodeError``, ``KeyError``
or ``ValueError``, with frames whose locals hold the body (and the key, when the body
echoes it). np6 gives the generated client's httpx clients a response hook that reads
the answer and runs the same generated parser first: when it fails, the call raises
np6's error instead (a typed status error, or :class:`np6.DecodeError` for a 200),
masked and without the chain or frames of the failure.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Generator
from types import ModuleType
from typing import Any

import httpx
from np6_generated.api.action_events import (
    get_action_activations,
    get_action_bounces,
    get_action_cancellations,
    get_action_mirror_hits,
)
from np6_generated.api.action_reactivities import (
    get_action_reactivities,
    get_action_reactivities_bounces,
    get_action_reactivities_mirror_hits,
    get_action_reactivities_open_hits,
    get_one_action_reactivities_redirection_hits,
    get_one_action_reactivities_unsubscribe_hits,
)
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
from np6_generated.api.display_events import get_display_activations, get_display_content_activations
from np6_generated.api.notification_events import (
    get_notification_activations,
    get_notification_cancellations,
    get_notification_executions,
)
from np6_generated.api.notification_reactivities import (
    get_notification_reactivities,
    get_notification_reactivities_bounces,
    get_notification_reactivities_hits,
    get_one_notification_reactivities_optouts,
)

from ._errors import DecodeError, Error
from ._masking import Redactor, detached
from ._retries import EXCERPT_BYTES, status_error

__all__ = ["OPERATIONS", "AnswerCheck"]

OPERATIONS: dict[str, ModuleType] = {
    "GET /targets/{id}/events": get_contact_events,
    "GET /targets/{id}/events/activations": get_contact_activations,
    "GET /targets/{id}/events/bounces": get_contact_bounces,
    "GET /targets/{id}/events/hits/form": get_contact_form_hits,
    "GET /targets/events": get_target_events,
    "GET /targets/events/hits": get_target_hits,
    "GET /targets/events/responses/stop": get_target_stop_responses,
    "POST /campaigns/{id}/events": get_campaign_events,
    "POST /campaigns/{id}/items/events": get_campaign_items_events,
    "GET /targets/{id}/events/hits/open": get_contact_open_hits,
    "GET /actions/{id}/events/activations": get_action_activations,
    "GET /actions/{id}/events/cancellations": get_action_cancellations,
    "GET /actions/{id}/events/bounces": get_action_bounces,
    "GET /actions/{id}/events/hits/mirror": get_action_mirror_hits,
    "GET /actions/reactivities": get_action_reactivities,
    "GET /actions/reactivities/bounces": get_action_reactivities_bounces,
    "GET /actions/reactivities/hits/open": get_action_reactivities_open_hits,
    "GET /actions/reactivities/hits/mirror": get_action_reactivities_mirror_hits,
    "GET /actions/{id}/reactivities/hits/redirection": get_one_action_reactivities_redirection_hits,
    "GET /actions/{id}/reactivities/hits/unsubscribe": get_one_action_reactivities_unsubscribe_hits,
    "GET /notifications/{id}/events/executions": get_notification_executions,
    "GET /notifications/{id}/events/cancellations": get_notification_cancellations,
    "GET /notifications/{id}/events/activations": get_notification_activations,
    "GET /notifications/reactivities": get_notification_reactivities,
    "GET /notifications/reactivities/hits": get_notification_reactivities_hits,
    "GET /notifications/reactivities/bounces": get_notification_reactivities_bounces,
    "GET /notifications/{id}/reactivities/optouts": get_one_notification_reactivities_optouts,
    "GET /display/events/activations": get_display_activations,
    "GET /display/content/{id}/events/activations": get_display_content_activations,
}
"""Every operation of the spec and its generated module (a test checks it against the spec)."""

_ROUTES = [
    (label.split()[0], re.compile(re.escape(label.split()[1]).replace(r"\{id\}", "[^/]+")), module)
    for label, module in OPERATIONS.items()
]


class _Done:
    """What the hook returns to a sync client: nothing to wait for."""

    def __await__(self) -> Generator[Any, None, None]:
        yield from ()


_DONE = _Done()


class AnswerCheck:
    """An httpx response hook, for the sync and the async client alike (see the module's doc)."""

    def __init__(self, redactor: Redactor, base_url: httpx.URL) -> None:
        self._redactor = redactor
        self._prefix = base_url.path.rstrip("/")

    def __repr__(self) -> str:
        return "AnswerCheck()"

    def __call__(self, response: httpx.Response) -> Awaitable[None]:
        if isinstance(response.stream, httpx.AsyncByteStream):
            return self._acheck(response)
        module = self._module(response.request)
        if module is not None:
            response.read()
            self._check(module, response)
        return _DONE

    async def _acheck(self, response: httpx.Response) -> None:
        module = self._module(response.request)
        if module is not None:
            await response.aread()
            self._check(module, response)

    def _module(self, request: httpx.Request) -> ModuleType | None:
        path = request.url.path
        if self._prefix and path.startswith(self._prefix):
            path = path[len(self._prefix) :]
        for method, pattern, module in _ROUTES:
            if request.method == method and pattern.fullmatch(path):
                return module
        return None

    def _check(self, module: ModuleType, response: httpx.Response) -> None:
        failure: Error | None = None
        try:
            module.parse_response(client=_NotRaising, response=response)
        except Exception as exc:  # whatever the generated parser raises on this answer
            failure = _generated_answer(self._redactor, exc, response)
        if failure is not None:
            # raised outside the except clause: no chain, no frame of the parser (its locals hold the body)
            raise detached(failure)


def _generated_answer(redactor: Redactor, exc: BaseException, response: httpx.Response) -> Error:
    """An answer the generated client cannot parse: its status error, or a DecodeError for a 2xx."""
    if response.status_code >= 400:
        return status_error(redactor, response, response.content[:EXCERPT_BYTES], 1)
    request = response.request
    return DecodeError(
        redactor(
            f"the answer to {request.method} {redactor.url(request.url)} (status {response.status_code}) "
            f"is not what the spec describes: {redactor.excerpt(f'{type(exc).__name__}: {exc}')}"
        ),
        offset=None,
    )


class _NotRaising:
    """What ``parse_response`` reads of its client: undocumented statuses are the caller's to judge."""

    raise_on_unexpected_status = False
