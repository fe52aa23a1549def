"""The relayer's request and response bodies (pydantic), camelCase on the wire.

Amounts and nonces arrive as JSON integers, decimal strings or 0x-hex strings (a wallet in
JavaScript cannot hold a 64-bit nonce in a number, and libraries sign hex strings as numbers);
answers give amounts as integers and nonces as strings.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.alias_generators import to_camel

UINT256_MAX = 2**256 - 1


DECIMAL = re.compile(r"[0-9]+", re.ASCII)
HEX = re.compile(r"0[xX][0-9a-fA-F]+", re.ASCII)
UINT_PATTERN = "^([0-9]+|0[xX][0-9a-fA-F]+)$"


def _to_uint(value: Any) -> int:
    """A JSON integer, a decimal string or a 0x-hex string, exactly as the schema says.

    Hex because wallet libraries (ethers, eth-sig-util) sign ``"0x3e8"`` as 1000 and a request
    built from the same values must be taken as signed. Nothing else: ``" 50"``, ``"50\\n"``
    and fullwidth ``"０５０"`` used to pass ``str.strip().isdigit()`` although the OpenAPI
    pattern refuses them, so a generated client and the server disagreed on what is valid."""
    if isinstance(value, bool):
        raise ValueError("expected an integer or a decimal string, not a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DECIMAL.fullmatch(value):
        number = int(value)
    elif isinstance(value, str) and HEX.fullmatch(value):
        number = int(value, 16)
    else:
        raise ValueError(
            'expected a non-negative integer, a decimal string such as "1000" '
            'or a hex string such as "0x3e8"'
        )
    if not 0 <= number <= UINT256_MAX:
        raise ValueError("must be between 0 and 2^256-1")
    return number


Uint = Annotated[
    int,
    BeforeValidator(_to_uint),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": UINT_PATTERN}]}
    ),
]
Address = Annotated[str, Field(pattern="^0x[0-9a-fA-F]{40}$", examples=["0x" + "ab" * 20])]
Signature = Annotated[
    str, Field(pattern="^0x[0-9a-fA-F]{130}$", description="65-byte r‖s‖v signature, 0x-hex")
]
Bytes32 = Annotated[str, Field(pattern="^0x[0-9a-fA-F]{64}$")]


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class SwapOrderIn(Camel):
    """A signed ``SwapOrder`` (EIP-712, domain from ``GET /orders/domain``).

    ``chainId`` and ``verifyingContract`` are optional: sent, they must match this relayer's
    chain and exchange (else WRONG_CHAIN / WRONG_DOMAIN), which catches a wallet that signed
    for another network before the signature check would only say INVALID_SIGNER.
    """

    owner: Address = Field(description="the address whose points are swapped; the signer")
    from_token: Address = Field(description="points token given (merchant A)")
    to_token: Address = Field(description="points token received (merchant B)")
    amount_in: Uint = Field(description="whole points of fromToken to swap")
    min_amount_out: Uint = Field(description="fewest points of toToken accepted")
    nonce: Uint = Field(description="any unused number: bit nonce & 255 of word nonce >> 8")
    deadline: Uint = Field(description="unix time after which the order is void")
    counter: Uint = Field(0, description="the owner's cancel-all counter when signing")
    signature: Signature
    chain_id: Uint | None = Field(None, description="optional: the chain id the owner signed for")
    verifying_contract: Address | None = Field(
        None, description="optional: the exchange address the owner signed for"
    )


class Reason(Camel):
    code: str = Field(description="stable code, e.g. ORDER_EXPIRED, INSUFFICIENT_OUTPUT")
    message: str


class OrderOut(Camel):
    """An order's current state: received → submitted → settled | rejected; an order a risk
    rule holds is ``held`` (its reason says which rule) until a reviewer releases it
    (→ received) or refuses it (→ rejected with the rule's code).

    ``rejected`` is final, here and on chain: an order refused at intake never reaches the
    chain, and one the exchange rejects after verifying its signature has its nonce consumed
    (``OrderRejected.nonceConsumed``), so no relayer can settle it later. Sign a new order.
    """

    order_hash: str = Field(description="the EIP-712 digest, equal to Swapped.orderHash")
    state: str
    owner: str
    from_token: str
    to_token: str
    amount_in: int
    min_amount_out: int
    nonce: str
    deadline: int
    counter: int
    tx_hash: str | None = None
    block_number: int | None = None
    amount_out: int | None = Field(None, description="points of toToken received (settled)")
    fee: int | None = Field(None, description="settlement units charged, dust included")
    gross_value: int | None = None
    reason: Reason | None = Field(
        None, description="why the order was rejected (final: the order never executes)"
    )
    created_at: float
    updated_at: float


class OrderList(Camel):
    orders: list[OrderOut]


MAX_BULK_ORDERS = 500


class BulkOrdersIn(Camel):
    """Up to 500 signed orders in one request (``POST /orders/bulk``).

    Each item is a ``SwapOrderIn``, but the list is taken as raw JSON and every item validated
    on its own (``SwapOrderIn.model_validate``), so that one malformed item is one
    ``MALFORMED_ORDER`` result, not a refusal of the other 499.
    """

    orders: Annotated[
        list[Any],
        WithJsonSchema(
            {
                "type": "array",
                "items": {"$ref": "#/components/schemas/SwapOrderIn"},
                "minItems": 1,
                "maxItems": MAX_BULK_ORDERS,
            }
        ),
    ] = Field(
        min_length=1,
        description=f"1 to {MAX_BULK_ORDERS} signed orders (more: 413 TOO_MANY_ORDERS)",
    )


class BulkOrderError(Camel):
    """Why one order of a bulk was refused: the code and sentence ``POST /orders`` would have
    answered for it alone, with its details (for ``MALFORMED_ORDER``, every field problem)."""

    code: str = Field(description="stable code, e.g. INVALID_SIGNER, ORDER_EXPIRED")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class BulkOrderResult(Camel):
    """One order of a bulk: stored (``order``) or refused (``error``)."""

    index: int = Field(description="the order's position in the request's orders, from 0")
    status: int = Field(
        description="what POST /orders would answer for it alone: 202 stored now, 200 already "
        "stored (the same order posted before or earlier in this bulk), 4xx refused"
    )
    # always present (null when it does not apply): each result has the same keys
    order_hash: str | None = Field(
        description="the EIP-712 digest; null if refused before it was computed"
    )
    order: OrderOut | None = Field(description="the stored order (202 or 200), else null")
    error: BulkOrderError | None = Field(description="why it was refused (4xx), else null")


class BulkOrdersOut(Camel):
    """One result per order, in the request's order, and how many were accepted or refused."""

    results: list[BulkOrderResult]
    accepted: int = Field(description="orders stored: status 202 or 200")
    refused: int = Field(description="orders refused: status 4xx")


class GiftIn(Camel):
    """An EIP-3009 ``TransferWithAuthorization`` signed by ``from`` under the points token's
    EIP-712 domain (name = the token's name, version "1", this chain, the token address)."""

    token: Address = Field(description="the points token to transfer")
    from_: Address = Field(alias="from", description="the giver; the signer")
    to: Address
    value: Uint = Field(description="whole points")
    valid_after: Uint = Field(0, description="unix time after which it may execute")
    valid_before: Uint = Field(description="unix time before which it must execute")
    nonce: Bytes32 = Field(description="32 random bytes chosen by the giver, 0x-hex")
    signature: Signature


class CancelIn(Camel):
    """A signed ``CancelNonces`` under the exchange's domain: voids the nonces whose bits are
    set in ``mask`` of bitmap word ``word`` (nonce n is bit n & 255 of word n >> 8)."""

    owner: Address
    word: Uint
    mask: Uint
    deadline: Uint
    signature: Signature


class CancelAllIn(Camel):
    """A signed ``IncrementCounter`` under the exchange's domain: voids every order the owner
    signed under counter ``counter`` (its current one), which must be the owner's counter."""

    owner: Address
    counter: Uint
    deadline: Uint
    signature: Signature


class RequestOut(Camel):
    """A relayed gift or cancellation: received → submitted → done | failed (a gift a risk
    rule holds is ``held`` until reviewed: → received, or → failed with the rule's code)."""

    request_hash: str = Field(description="the request's EIP-712 digest")
    kind: str = Field(description="gift | cancel | cancel_all")
    state: str
    owner: str
    request: dict[str, Any]
    tx_hash: str | None = None
    block_number: int | None = None
    reason: Reason | None = None
    cancelled_orders: list[str] = Field(
        default_factory=list, description="pending orders this cancellation voided"
    )
    created_at: float
    updated_at: float


class DomainOut(Camel):
    """Everything a wallet needs to sign without hard-coding addresses."""

    chain_id: int
    exchange: str
    domain: dict[str, Any] = Field(description="the exchange's domain (chainId a string)")
    types: dict[str, list[dict[str, str]]] = Field(description="SwapOrder, and only it")
    primary_type: str = "SwapOrder"
    cancel_types: dict[str, list[dict[str, str]]] = Field(
        description="CancelNonces, and only it; signed under the exchange's domain"
    )
    cancel_all_types: dict[str, list[dict[str, str]]] = Field(
        description="IncrementCounter (a signed cancel-all), and only it; signed under the "
        "exchange's domain"
    )
    gift_types: dict[str, list[dict[str, str]]] = Field(
        description="EIP-3009 TransferWithAuthorization, and only it; the domain is each "
        "token's (GET /gifts/domain: its name, version 1)"
    )
    domain_types: dict[str, list[dict[str, str]]] = Field(
        description="EIP712Domain, for eth_signTypedData_v4 documents (not for ethers)"
    )
