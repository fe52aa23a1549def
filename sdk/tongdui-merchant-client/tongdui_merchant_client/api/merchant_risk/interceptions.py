from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.interception_count import InterceptionCount
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    days: int | Unset = 30,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["days"] = days

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/merchants/{token}/risk/interceptions".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[InterceptionCount] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = InterceptionCount.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[InterceptionCount]]:
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
    days: int | Unset = 30,
) -> Response[Error | list[InterceptionCount]]:
    """Interceptions touching this merchant, per UTC day, rule and outcome

    Args:
        token (str): the merchant's points token address
        days (int | Unset): how many days back, today included Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[InterceptionCount]]
    """

    kwargs = _get_kwargs(
        token=token,
        days=days,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    days: int | Unset = 30,
) -> Error | list[InterceptionCount] | None:
    """Interceptions touching this merchant, per UTC day, rule and outcome

    Args:
        token (str): the merchant's points token address
        days (int | Unset): how many days back, today included Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[InterceptionCount]
    """

    return sync_detailed(
        token=token,
        client=client,
        days=days,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    days: int | Unset = 30,
) -> Response[Error | list[InterceptionCount]]:
    """Interceptions touching this merchant, per UTC day, rule and outcome

    Args:
        token (str): the merchant's points token address
        days (int | Unset): how many days back, today included Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[InterceptionCount]]
    """

    kwargs = _get_kwargs(
        token=token,
        days=days,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    days: int | Unset = 30,
) -> Error | list[InterceptionCount] | None:
    """Interceptions touching this merchant, per UTC day, rule and outcome

    Args:
        token (str): the merchant's points token address
        days (int | Unset): how many days back, today included Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[InterceptionCount]
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            days=days,
        )
    ).parsed
