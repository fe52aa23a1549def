from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.platform_stats import PlatformStats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_since: int | None | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    json_until: int | None | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    else:
        json_until = until
    params["until"] = json_until

    json_min_block: int | None | Unset
    if isinstance(min_block, Unset):
        json_min_block = UNSET
    else:
        json_min_block = min_block
    params["minBlock"] = json_min_block

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/stats",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | PlatformStats | None:
    if response.status_code == 200:
        response_200 = PlatformStats.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PlatformStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | PlatformStats]:
    """Platform totals: swaps, volume, fees by payee, users, holders, rejections

    Args:
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PlatformStats]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        min_block=min_block,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Error | PlatformStats | None:
    """Platform totals: swaps, volume, fees by payee, users, holders, rejections

    Args:
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PlatformStats
    """

    return sync_detailed(
        client=client,
        since=since,
        until=until,
        min_block=min_block,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | PlatformStats]:
    """Platform totals: swaps, volume, fees by payee, users, holders, rejections

    Args:
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PlatformStats]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        min_block=min_block,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Error | PlatformStats | None:
    """Platform totals: swaps, volume, fees by payee, users, holders, rejections

    Args:
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PlatformStats
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
            until=until,
            min_block=min_block,
        )
    ).parsed
