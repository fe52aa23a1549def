from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.operator_view import OperatorView
from ...types import Response


def _get_kwargs(
    token: str,
    operator_id: int,
    prefix: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/merchants/{token}/operators/{operator_id}/keys/{prefix}/revoke".format(
            token=quote(str(token), safe=""),
            operator_id=quote(str(operator_id), safe=""),
            prefix=quote(str(prefix), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | OperatorView | None:
    if response.status_code == 200:
        response_200 = OperatorView.from_dict(response.json())

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
) -> Response[Error | OperatorView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    operator_id: int,
    prefix: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | OperatorView]:
    """Revoke one of an operator's keys (it answers 401 from now on)

    Args:
        token (str): the merchant's points token address
        operator_id (int):
        prefix (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperatorView]
    """

    kwargs = _get_kwargs(
        token=token,
        operator_id=operator_id,
        prefix=prefix,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    operator_id: int,
    prefix: str,
    *,
    client: AuthenticatedClient,
) -> Error | OperatorView | None:
    """Revoke one of an operator's keys (it answers 401 from now on)

    Args:
        token (str): the merchant's points token address
        operator_id (int):
        prefix (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperatorView
    """

    return sync_detailed(
        token=token,
        operator_id=operator_id,
        prefix=prefix,
        client=client,
    ).parsed


async def asyncio_detailed(
    token: str,
    operator_id: int,
    prefix: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | OperatorView]:
    """Revoke one of an operator's keys (it answers 401 from now on)

    Args:
        token (str): the merchant's points token address
        operator_id (int):
        prefix (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperatorView]
    """

    kwargs = _get_kwargs(
        token=token,
        operator_id=operator_id,
        prefix=prefix,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    operator_id: int,
    prefix: str,
    *,
    client: AuthenticatedClient,
) -> Error | OperatorView | None:
    """Revoke one of an operator's keys (it answers 401 from now on)

    Args:
        token (str): the merchant's points token address
        operator_id (int):
        prefix (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperatorView
    """

    return (
        await asyncio_detailed(
            token=token,
            operator_id=operator_id,
            prefix=prefix,
            client=client,
        )
    ).parsed
