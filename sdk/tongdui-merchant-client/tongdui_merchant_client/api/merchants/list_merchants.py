from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.merchant_list import MerchantList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    min_block: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_min_block: int | None | Unset
    if isinstance(min_block, Unset):
        json_min_block = UNSET
    else:
        json_min_block = min_block
    params["minBlock"] = json_min_block

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/merchants",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | MerchantList | None:
    if response.status_code == 200:
        response_200 = MerchantList.from_dict(response.json())

        return response_200

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | MerchantList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | MerchantList]:
    """Every merchant with its point value, status, cap, outstanding points and funds

     Read at `blockNumber`, which is at most `TONGDUI_READ_CACHE_SECONDS` behind the head; pass
    `minBlock` (the block of your write) for an answer at least that new.

    Args:
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MerchantList]
    """

    kwargs = _get_kwargs(
        min_block=min_block,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    min_block: int | None | Unset = UNSET,
) -> Error | MerchantList | None:
    """Every merchant with its point value, status, cap, outstanding points and funds

     Read at `blockNumber`, which is at most `TONGDUI_READ_CACHE_SECONDS` behind the head; pass
    `minBlock` (the block of your write) for an answer at least that new.

    Args:
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MerchantList
    """

    return sync_detailed(
        client=client,
        min_block=min_block,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | MerchantList]:
    """Every merchant with its point value, status, cap, outstanding points and funds

     Read at `blockNumber`, which is at most `TONGDUI_READ_CACHE_SECONDS` behind the head; pass
    `minBlock` (the block of your write) for an answer at least that new.

    Args:
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MerchantList]
    """

    kwargs = _get_kwargs(
        min_block=min_block,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    min_block: int | None | Unset = UNSET,
) -> Error | MerchantList | None:
    """Every merchant with its point value, status, cap, outstanding points and funds

     Read at `blockNumber`, which is at most `TONGDUI_READ_CACHE_SECONDS` behind the head; pass
    `minBlock` (the block of your write) for an answer at least that new.

    Args:
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MerchantList
    """

    return (
        await asyncio_detailed(
            client=client,
            min_block=min_block,
        )
    ).parsed
