from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.list_swaps_direction import ListSwapsDirection
from ...models.swap_page import SwapPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    direction: ListSwapsDirection | Unset = "both",
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction

    params["direction"] = json_direction

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/merchants/{token}/swaps".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | SwapPage | None:
    if response.status_code == 200:
        response_200 = SwapPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | SwapPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    direction: ListSwapsDirection | Unset = "both",
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Error | SwapPage]:
    """Swaps out of (points given up) and into (points received) this program

    Args:
        token (str): the merchant's points token address
        direction (ListSwapsDirection | Unset):  Default: 'both'.
        cursor (None | str | Unset): nextCursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SwapPage]
    """

    kwargs = _get_kwargs(
        token=token,
        direction=direction,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    direction: ListSwapsDirection | Unset = "both",
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Error | SwapPage | None:
    """Swaps out of (points given up) and into (points received) this program

    Args:
        token (str): the merchant's points token address
        direction (ListSwapsDirection | Unset):  Default: 'both'.
        cursor (None | str | Unset): nextCursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SwapPage
    """

    return sync_detailed(
        token=token,
        client=client,
        direction=direction,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    direction: ListSwapsDirection | Unset = "both",
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Error | SwapPage]:
    """Swaps out of (points given up) and into (points received) this program

    Args:
        token (str): the merchant's points token address
        direction (ListSwapsDirection | Unset):  Default: 'both'.
        cursor (None | str | Unset): nextCursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SwapPage]
    """

    kwargs = _get_kwargs(
        token=token,
        direction=direction,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    direction: ListSwapsDirection | Unset = "both",
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Error | SwapPage | None:
    """Swaps out of (points given up) and into (points received) this program

    Args:
        token (str): the merchant's points token address
        direction (ListSwapsDirection | Unset):  Default: 'both'.
        cursor (None | str | Unset): nextCursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SwapPage
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            direction=direction,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
