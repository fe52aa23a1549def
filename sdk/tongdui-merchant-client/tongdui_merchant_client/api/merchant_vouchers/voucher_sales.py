from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.sales_series import SalesSeries
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    period: Literal["day"] | Unset = "day",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["period"] = period

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/merchants/{token}/vouchers/sales".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | SalesSeries | None:
    if response.status_code == 200:
        response_200 = SalesSeries.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | SalesSeries]:
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
    period: Literal["day"] | Unset = "day",
) -> Response[Error | SalesSeries]:
    """Sales, redemptions and breakage per day (for charts)

    Args:
        token (str): the merchant's points token address
        period (Literal['day'] | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SalesSeries]
    """

    kwargs = _get_kwargs(
        token=token,
        period=period,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    period: Literal["day"] | Unset = "day",
) -> Error | SalesSeries | None:
    """Sales, redemptions and breakage per day (for charts)

    Args:
        token (str): the merchant's points token address
        period (Literal['day'] | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SalesSeries
    """

    return sync_detailed(
        token=token,
        client=client,
        period=period,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    period: Literal["day"] | Unset = "day",
) -> Response[Error | SalesSeries]:
    """Sales, redemptions and breakage per day (for charts)

    Args:
        token (str): the merchant's points token address
        period (Literal['day'] | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SalesSeries]
    """

    kwargs = _get_kwargs(
        token=token,
        period=period,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    period: Literal["day"] | Unset = "day",
) -> Error | SalesSeries | None:
    """Sales, redemptions and breakage per day (for charts)

    Args:
        token (str): the merchant's points token address
        period (Literal['day'] | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SalesSeries
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            period=period,
        )
    ).parsed
