from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expiry_rule_request import ExpiryRuleRequest
from ...models.expiry_rule_tx import ExpiryRuleTx
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    body: ExpiryRuleRequest,
    wait: float | Unset = 30.0,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/merchants/{token}/expiry-rule".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | ExpiryRuleTx | None:
    if response.status_code == 200:
        response_200 = ExpiryRuleTx.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

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
) -> Response[Error | ExpiryRuleTx]:
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
    body: ExpiryRuleRequest,
    wait: float | Unset = 30.0,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Error | ExpiryRuleTx]:
    """Set the expiry rule for points issued from now on (admin key)

     Refused with INVALID_EXPIRY_RULE (400) before anything is sent: validityMonths 0–1200,
    roundingMonths 1, 3, 6 or 12. Points already held keep their expiry.

    Args:
        token (str): the merchant's points token address
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.
        idempotency_key (None | str | Unset): the same key and request answer the first answer
            again; another request with the key is refused (409 IDEMPOTENCY_KEY_REUSED)
        body (ExpiryRuleRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpiryRuleTx]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
        wait=wait,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    body: ExpiryRuleRequest,
    wait: float | Unset = 30.0,
    idempotency_key: None | str | Unset = UNSET,
) -> Error | ExpiryRuleTx | None:
    """Set the expiry rule for points issued from now on (admin key)

     Refused with INVALID_EXPIRY_RULE (400) before anything is sent: validityMonths 0–1200,
    roundingMonths 1, 3, 6 or 12. Points already held keep their expiry.

    Args:
        token (str): the merchant's points token address
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.
        idempotency_key (None | str | Unset): the same key and request answer the first answer
            again; another request with the key is refused (409 IDEMPOTENCY_KEY_REUSED)
        body (ExpiryRuleRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpiryRuleTx
    """

    return sync_detailed(
        token=token,
        client=client,
        body=body,
        wait=wait,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    body: ExpiryRuleRequest,
    wait: float | Unset = 30.0,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Error | ExpiryRuleTx]:
    """Set the expiry rule for points issued from now on (admin key)

     Refused with INVALID_EXPIRY_RULE (400) before anything is sent: validityMonths 0–1200,
    roundingMonths 1, 3, 6 or 12. Points already held keep their expiry.

    Args:
        token (str): the merchant's points token address
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.
        idempotency_key (None | str | Unset): the same key and request answer the first answer
            again; another request with the key is refused (409 IDEMPOTENCY_KEY_REUSED)
        body (ExpiryRuleRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpiryRuleTx]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
        wait=wait,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    body: ExpiryRuleRequest,
    wait: float | Unset = 30.0,
    idempotency_key: None | str | Unset = UNSET,
) -> Error | ExpiryRuleTx | None:
    """Set the expiry rule for points issued from now on (admin key)

     Refused with INVALID_EXPIRY_RULE (400) before anything is sent: validityMonths 0–1200,
    roundingMonths 1, 3, 6 or 12. Points already held keep their expiry.

    Args:
        token (str): the merchant's points token address
        wait (float | Unset): seconds to wait for the receipt Default: 30.0.
        idempotency_key (None | str | Unset): the same key and request answer the first answer
            again; another request with the key is refused (409 IDEMPOTENCY_KEY_REUSED)
        body (ExpiryRuleRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpiryRuleTx
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
            wait=wait,
            idempotency_key=idempotency_key,
        )
    ).parsed
