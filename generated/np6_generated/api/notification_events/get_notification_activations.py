import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.activation_event import ActivationEvent
from ...models.error import Error
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset

OPERATION = "GET /notifications/{id}/events/activations"
"""The operation this module sends: its method and the spec's path."""


def _get_kwargs(
    id: int,
    *,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_start: int | str | Unset
    if isinstance(start, Unset):
        json_start = UNSET
    elif isinstance(start, datetime.datetime):
        json_start = start.isoformat()
    elif isinstance(start, datetime.date):
        json_start = start.isoformat()
    else:
        json_start = start
    params["start"] = json_start

    json_end: int | str | Unset
    if isinstance(end, Unset):
        json_end = UNSET
    elif isinstance(end, datetime.datetime):
        json_end = end.isoformat()
    elif isinstance(end, datetime.date):
        json_end = end.isoformat()
    else:
        json_end = end
    params["end"] = json_end

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/notifications/{id}/events/activations".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def request_kwargs(
    id: int,
    *,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> dict[str, Any]:
    """What ``httpx.Client.request`` needs to send this operation: method, url, params, json, headers.

    For callers that send the request themselves (np6 streams the answer)."""
    return _get_kwargs(
        id=id,
        start=start,
        end=end,
        sort=sort,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[ActivationEvent] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for componentsschemas_activation_event_list_item_data in _response_200:
            componentsschemas_activation_event_list_item = ActivationEvent.from_dict(
                componentsschemas_activation_event_list_item_data
            )

            response_200.append(componentsschemas_activation_event_list_item)

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


def parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[ActivationEvent] | None:
    """The answer decoded as the generated models, as the generated calls decode it.

    For callers that sent the request themselves; raises what the generated decoding raises."""
    return _parse_response(client=client, response=response)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[ActivationEvent]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Response[Error | list[ActivationEvent]]:
    """Activation events of a notification

     Answers the activation events (a push notification reached a device) of the
    notification whose id is in the path.

    Args:
        id (int):
        start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO
            8601 date (00:00 UTC that day) or epoch milliseconds.
        end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO 8601
            date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ActivationEvent]]
    """

    kwargs = _get_kwargs(
        id=id,
        start=start,
        end=end,
        sort=sort,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Error | list[ActivationEvent] | None:
    """Activation events of a notification

     Answers the activation events (a push notification reached a device) of the
    notification whose id is in the path.

    Args:
        id (int):
        start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO
            8601 date (00:00 UTC that day) or epoch milliseconds.
        end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO 8601
            date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ActivationEvent]
    """

    return sync_detailed(
        id=id,
        client=client,
        start=start,
        end=end,
        sort=sort,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Response[Error | list[ActivationEvent]]:
    """Activation events of a notification

     Answers the activation events (a push notification reached a device) of the
    notification whose id is in the path.

    Args:
        id (int):
        start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO
            8601 date (00:00 UTC that day) or epoch milliseconds.
        end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO 8601
            date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ActivationEvent]]
    """

    kwargs = _get_kwargs(
        id=id,
        start=start,
        end=end,
        sort=sort,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    start: datetime.date | datetime.datetime | int | Unset = UNSET,
    end: datetime.date | datetime.datetime | int | Unset = UNSET,
    sort: SortOrder | Unset = UNSET,
) -> Error | list[ActivationEvent] | None:
    """Activation events of a notification

     Answers the activation events (a push notification reached a device) of the
    notification whose id is in the path.

    Args:
        id (int):
        start (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO
            8601 date (00:00 UTC that day) or epoch milliseconds.
        end (datetime.date | datetime.datetime | int | Unset): An ISO 8601 date-time, an ISO 8601
            date (00:00 UTC that day) or epoch milliseconds.
        sort (SortOrder | Unset): Order of events by timestamp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ActivationEvent]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            start=start,
            end=end,
            sort=sort,
        )
    ).parsed
