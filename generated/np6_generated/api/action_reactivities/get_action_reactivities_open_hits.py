import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.hit_event import HitEvent
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset

OPERATION = "GET /actions/reactivities/hits/open"
"""The operation this module sends: its method and the spec's path."""


def _get_kwargs(
    *,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_activation_start: int | str | Unset
    if isinstance(activation_start, Unset):
        json_activation_start = UNSET
    elif isinstance(activation_start, datetime.datetime):
        json_activation_start = activation_start.isoformat()
    elif isinstance(activation_start, datetime.date):
        json_activation_start = activation_start.isoformat()
    else:
        json_activation_start = activation_start
    params["activationStart"] = json_activation_start

    json_activation_end: int | str | Unset
    if isinstance(activation_end, Unset):
        json_activation_end = UNSET
    elif isinstance(activation_end, datetime.datetime):
        json_activation_end = activation_end.isoformat()
    elif isinstance(activation_end, datetime.date):
        json_activation_end = activation_end.isoformat()
    else:
        json_activation_end = activation_end
    params["activationEnd"] = json_activation_end

    json_reactivity_start: int | str | Unset
    if isinstance(reactivity_start, Unset):
        json_reactivity_start = UNSET
    elif isinstance(reactivity_start, datetime.datetime):
        json_reactivity_start = reactivity_start.isoformat()
    elif isinstance(reactivity_start, datetime.date):
        json_reactivity_start = reactivity_start.isoformat()
    else:
        json_reactivity_start = reactivity_start
    params["reactivityStart"] = json_reactivity_start

    json_reactivity_end: int | str | Unset
    if isinstance(reactivity_end, Unset):
        json_reactivity_end = UNSET
    elif isinstance(reactivity_end, datetime.datetime):
        json_reactivity_end = reactivity_end.isoformat()
    elif isinstance(reactivity_end, datetime.date):
        json_reactivity_end = reactivity_end.isoformat()
    else:
        json_reactivity_end = reactivity_end
    params["reactivityEnd"] = json_reactivity_end

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/actions/reactivities/hits/open",
        "params": params,
    }

    return _kwargs


def request_kwargs(
    *,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> dict[str, Any]:
    """What ``httpx.Client.request`` needs to send this operation: method, url, params, json, headers.

    For callers that send the request themselves (np6 streams the answer)."""
    return _get_kwargs(
        activation_start=activation_start,
        activation_end=activation_end,
        reactivity_start=reactivity_start,
        reactivity_end=reactivity_end,
        sort=sort,
    )


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[HitEvent] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_hit_event_list_item_data in _response_200:
            componentsschemas_hit_event_list_item = HitEvent.from_dict(componentsschemas_hit_event_list_item_data)

            response_200.append(componentsschemas_hit_event_list_item)

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Error.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Error.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[HitEvent] | None:
    """The answer decoded as the generated models, as the generated calls decode it.

    For callers that sent the request themselves; raises what the generated decoding raises."""
    return _parse_response(client=client, response=response)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[HitEvent]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Response[Error | list[HitEvent]]:
    """Open hits of every email action

     Answers the opens of the activations of all email actions, chosen by the activation
    window and the open's own window.

    Args:
        activation_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        activation_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[HitEvent]]
    """

    kwargs = _get_kwargs(
        activation_start=activation_start,
        activation_end=activation_end,
        reactivity_start=reactivity_start,
        reactivity_end=reactivity_end,
        sort=sort,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Error | list[HitEvent] | None:
    """Open hits of every email action

     Answers the opens of the activations of all email actions, chosen by the activation
    window and the open's own window.

    Args:
        activation_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        activation_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[HitEvent]
    """

    return sync_detailed(
        client=client,
        activation_start=activation_start,
        activation_end=activation_end,
        reactivity_start=reactivity_start,
        reactivity_end=reactivity_end,
        sort=sort,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Response[Error | list[HitEvent]]:
    """Open hits of every email action

     Answers the opens of the activations of all email actions, chosen by the activation
    window and the open's own window.

    Args:
        activation_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        activation_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[HitEvent]]
    """

    kwargs = _get_kwargs(
        activation_start=activation_start,
        activation_end=activation_end,
        reactivity_start=reactivity_start,
        reactivity_end=reactivity_end,
        sort=sort,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    activation_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    activation_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_start: datetime.date | datetime.datetime | int | Unset = UNSET,
    reactivity_end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Error | list[HitEvent] | None:
    """Open hits of every email action

     Answers the opens of the activations of all email actions, chosen by the activation
    window and the open's own window.

    Args:
        activation_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        activation_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        reactivity_end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time,
            an ISO 8601 date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[HitEvent]
    """

    return (
        await asyncio_detailed(
            client=client,
            activation_start=activation_start,
            activation_end=activation_end,
            reactivity_start=reactivity_start,
            reactivity_end=reactivity_end,
            sort=sort,
        )
    ).parsed
