from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.merchant_stats import MerchantStats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
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
        "url": "/merchants/{token}/stats".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | MerchantStats | None:
    if response.status_code == 200:
        response_200 = MerchantStats.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
) -> Response[Error | MerchantStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | MerchantStats]:
    """A merchant's swaps out and in (count, points, value), fees, users, issuance

     From the index; `since`/`until` bound swaps, issues and redemptions by block time. Values are
    settlement units (fen).

    Args:
        token (str):
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MerchantStats]
    """

    kwargs = _get_kwargs(
        token=token,
        since=since,
        until=until,
        min_block=min_block,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Error | MerchantStats | None:
    """A merchant's swaps out and in (count, points, value), fees, users, issuance

     From the index; `since`/`until` bound swaps, issues and redemptions by block time. Values are
    settlement units (fen).

    Args:
        token (str):
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MerchantStats
    """

    return sync_detailed(
        token=token,
        client=client,
        since=since,
        until=until,
        min_block=min_block,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | MerchantStats]:
    """A merchant's swaps out and in (count, points, value), fees, users, issuance

     From the index; `since`/`until` bound swaps, issues and redemptions by block time. Values are
    settlement units (fen).

    Args:
        token (str):
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MerchantStats]
    """

    kwargs = _get_kwargs(
        token=token,
        since=since,
        until=until,
        min_block=min_block,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    since: int | None | Unset = UNSET,
    until: int | None | Unset = UNSET,
    min_block: int | None | Unset = UNSET,
) -> Error | MerchantStats | None:
    """A merchant's swaps out and in (count, points, value), fees, users, issuance

     From the index; `since`/`until` bound swaps, issues and redemptions by block time. Values are
    settlement units (fen).

    Args:
        token (str):
        since (int | None | Unset): unix seconds, inclusive
        until (int | None | Unset): unix seconds, exclusive
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MerchantStats
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            since=since,
            until=until,
            min_block=min_block,
        )
    ).parsed
