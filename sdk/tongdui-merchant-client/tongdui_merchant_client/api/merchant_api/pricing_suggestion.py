from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.pricing_suggestion import PricingSuggestion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    window_days: int | Unset = 7,
    series_days: int | Unset = 30,
    min_block: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["windowDays"] = window_days

    params["seriesDays"] = series_days

    json_min_block: int | None | Unset
    if isinstance(min_block, Unset):
        json_min_block = UNSET
    else:
        json_min_block = min_block
    params["minBlock"] = json_min_block

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/merchants/{token}/pricing/suggestion".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PricingSuggestion | None:
    if response.status_code == 200:
        response_200 = PricingSuggestion.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PricingSuggestion]:
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
    window_days: int | Unset = 7,
    series_days: int | Unset = 30,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | PricingSuggestion]:
    """A suggested point value from the chain's flows and cover, within governance's bounds

     Accept it with PUT point-value (one signed change); the chain's bounds decide. The bounds are read
    at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` (the block of your last change)
    asks for them at least that new.

    Args:
        token (str): the merchant's points token address
        window_days (int | Unset): days the policy weighs Default: 7.
        series_days (int | Unset): days of the chart Default: 30.
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PricingSuggestion]
    """

    kwargs = _get_kwargs(
        token=token,
        window_days=window_days,
        series_days=series_days,
        min_block=min_block,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    window_days: int | Unset = 7,
    series_days: int | Unset = 30,
    min_block: int | None | Unset = UNSET,
) -> Error | PricingSuggestion | None:
    """A suggested point value from the chain's flows and cover, within governance's bounds

     Accept it with PUT point-value (one signed change); the chain's bounds decide. The bounds are read
    at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` (the block of your last change)
    asks for them at least that new.

    Args:
        token (str): the merchant's points token address
        window_days (int | Unset): days the policy weighs Default: 7.
        series_days (int | Unset): days of the chart Default: 30.
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PricingSuggestion
    """

    return sync_detailed(
        token=token,
        client=client,
        window_days=window_days,
        series_days=series_days,
        min_block=min_block,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    window_days: int | Unset = 7,
    series_days: int | Unset = 30,
    min_block: int | None | Unset = UNSET,
) -> Response[Error | PricingSuggestion]:
    """A suggested point value from the chain's flows and cover, within governance's bounds

     Accept it with PUT point-value (one signed change); the chain's bounds decide. The bounds are read
    at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` (the block of your last change)
    asks for them at least that new.

    Args:
        token (str): the merchant's points token address
        window_days (int | Unset): days the policy weighs Default: 7.
        series_days (int | Unset): days of the chart Default: 30.
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PricingSuggestion]
    """

    kwargs = _get_kwargs(
        token=token,
        window_days=window_days,
        series_days=series_days,
        min_block=min_block,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    window_days: int | Unset = 7,
    series_days: int | Unset = 30,
    min_block: int | None | Unset = UNSET,
) -> Error | PricingSuggestion | None:
    """A suggested point value from the chain's flows and cover, within governance's bounds

     Accept it with PUT point-value (one signed change); the chain's bounds decide. The bounds are read
    at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` (the block of your last change)
    asks for them at least that new.

    Args:
        token (str): the merchant's points token address
        window_days (int | Unset): days the policy weighs Default: 7.
        series_days (int | Unset): days of the chart Default: 30.
        min_block (int | None | Unset): read your own write: no kept answer older than this block
            is served (pass the block your transaction settled in). The index may not have reached it
            yet: compare asOfBlock and ask again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PricingSuggestion
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            window_days=window_days,
            series_days=series_days,
            min_block=min_block,
        )
    ).parsed
