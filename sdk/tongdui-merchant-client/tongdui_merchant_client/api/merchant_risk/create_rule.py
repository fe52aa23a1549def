from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.rule_out import RuleOut
from ...models.rule_request import RuleRequest
from ...types import Response


def _get_kwargs(
    token: str,
    *,
    body: RuleRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/merchants/{token}/risk/rules".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | RuleOut | None:
    if response.status_code == 200:
        response_200 = RuleOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | RuleOut]:
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
    body: RuleRequest,
) -> Response[Error | RuleOut]:
    """Add a rule for this merchant's orders and gifts

    Args:
        token (str): the merchant's points token address
        body (RuleRequest): A rule for this merchant's requests (orders that spend or receive its
            points, gifts of
            them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
            amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RuleOut]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    body: RuleRequest,
) -> Error | RuleOut | None:
    """Add a rule for this merchant's orders and gifts

    Args:
        token (str): the merchant's points token address
        body (RuleRequest): A rule for this merchant's requests (orders that spend or receive its
            points, gifts of
            them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
            amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RuleOut
    """

    return sync_detailed(
        token=token,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    body: RuleRequest,
) -> Response[Error | RuleOut]:
    """Add a rule for this merchant's orders and gifts

    Args:
        token (str): the merchant's points token address
        body (RuleRequest): A rule for this merchant's requests (orders that spend or receive its
            points, gifts of
            them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
            amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RuleOut]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    body: RuleRequest,
) -> Error | RuleOut | None:
    """Add a rule for this merchant's orders and gifts

    Args:
        token (str): the merchant's points token address
        body (RuleRequest): A rule for this merchant's requests (orders that spend or receive its
            points, gifts of
            them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
            amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RuleOut
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
        )
    ).parsed
