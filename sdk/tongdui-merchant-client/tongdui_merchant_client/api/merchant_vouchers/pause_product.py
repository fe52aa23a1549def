from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.product_tx import ProductTx
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    product_id: int,
    *,
    wait: float | Unset = 30.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/merchants/{token}/vouchers/products/{product_id}/pause".format(
            token=quote(str(token), safe=""),
            product_id=quote(str(product_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ProductTx | None:
    if response.status_code == 200:
        response_200 = ProductTx.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | ProductTx]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    product_id: int,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 30.0,
) -> Response[Error | ProductTx]:
    """Pause sales of a product

    Args:
        token (str): the merchant's points token address
        product_id (int):
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ProductTx]
    """

    kwargs = _get_kwargs(
        token=token,
        product_id=product_id,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    product_id: int,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 30.0,
) -> Error | ProductTx | None:
    """Pause sales of a product

    Args:
        token (str): the merchant's points token address
        product_id (int):
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ProductTx
    """

    return sync_detailed(
        token=token,
        product_id=product_id,
        client=client,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    token: str,
    product_id: int,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 30.0,
) -> Response[Error | ProductTx]:
    """Pause sales of a product

    Args:
        token (str): the merchant's points token address
        product_id (int):
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ProductTx]
    """

    kwargs = _get_kwargs(
        token=token,
        product_id=product_id,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    product_id: int,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 30.0,
) -> Error | ProductTx | None:
    """Pause sales of a product

    Args:
        token (str): the merchant's points token address
        product_id (int):
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ProductTx
    """

    return (
        await asyncio_detailed(
            token=token,
            product_id=product_id,
            client=client,
            wait=wait,
        )
    ).parsed
