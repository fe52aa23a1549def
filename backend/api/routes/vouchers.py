"""Vouchers API for wallets (issue 16): products with a quote in the chosen program, a quote
for a holder ("¥20 more"), signed purchases and gifts in, their states and a holder's
vouchers out, and VoucherBook's EIP-712 domain and types to sign with.

Thin: intake checks are ``vouchers.intake`` and ``vouchers.requests``, answers
``vouchers.reads``; settlement happens in the relayer's loop.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from ...chain.voucher_eip712 import VOUCHER_TYPES
from ...core.error_codes import ErrorCode
from ...core.errors import NotFoundError
from ...relayer.models import RelayerRequest
from ...relayer.schemas import Reason
from ...relayer.signed_requests import find_request
from ...services import Services
from ...vouchers import codes
from ...vouchers.book import book_domain, product
from ...vouchers.intake import PurchaseIntake, find_purchase
from ...vouchers.reads import (
    holder_vouchers,
    list_products,
    product_quote,
    purchase_out,
    resolve_token,
)
from ...vouchers.requests import accept_voucher_gift
from ...vouchers.schemas import (
    GiftIn,
    GiftOut,
    ProductOut,
    PurchaseIn,
    PurchaseOut,
    QuoteOut,
    VoucherOut,
)
from ...vouchers.state import payment_of, purchase_state
from ..deps import ServicesDep, SessionDep
from ..schemas import Address, code_responses

router = APIRouter(tags=["vouchers"])

VOUCHER_CODES = (
    codes.UNKNOWN_PRODUCT,
    codes.PRODUCT_PAUSED,
    codes.SALE_ENDED,
    codes.SOLD_OUT,
    codes.LIMIT_REACHED,
    codes.INSUFFICIENT_POINTS,
    codes.CASH_ABOVE_PRICE,
    codes.REQUEST_EXPIRED,
    codes.NONCE_USED,
    codes.INVALID_SIGNER,
    codes.NOT_FOUND,
    codes.NOT_ACTIVE,
    codes.HAS_EXPIRED,
    codes.NOT_HOLDER,
    ErrorCode.INVALID_RECIPIENT,
    ErrorCode.CHAIN_UNAVAILABLE,
)
_ERRORS = code_responses(*VOUCHER_CODES)


@router.get(
    "/vouchers/eip712",
    response_model=dict[str, Any],
    summary="VoucherBook's EIP-712 domain and the types a wallet signs (Purchase, VoucherGift, "
    "VoucherRedemption)",
)
def get_voucher_domain(services: ServicesDep) -> dict[str, Any]:
    domain = book_domain(services.platform, services.chain_id)
    return {"domain": domain.as_json(), "types": VOUCHER_TYPES}


@router.get(
    "/vouchers/eip712/{kind}",
    response_model=dict[str, Any],
    summary="VoucherBook's EIP-712 domain and one primary type (ethers' signTypedData form)",
)
def get_voucher_type(
    services: ServicesDep,
    kind: Annotated[Literal["Purchase", "VoucherGift", "VoucherRedemption"], Path()],
) -> dict[str, Any]:
    domain = book_domain(services.platform, services.chain_id)
    return {"domain": domain.as_json(), "primaryType": kind, "types": {kind: VOUCHER_TYPES[kind]}}


@router.get(
    "/vouchers/products",
    response_model=list[ProductOut],
    responses=_ERRORS,
    summary="Voucher products, optionally of one merchant, with a quote in payWith's points",
)
def get_products(
    services: ServicesDep,
    session: SessionDep,
    merchant: Annotated[str | None, Query(description="symbol (SKYM) or points token")] = None,
    pay_with: Annotated[
        str | None, Query(alias="payWith", description="symbol or token paying")
    ] = None,
) -> list[ProductOut]:
    return list_products(services, session, merchant, pay_with)


@router.get(
    "/vouchers/quote",
    response_model=QuoteOut,
    responses=_ERRORS,
    summary="What a product costs in payWith's points, and the cash the owner's balance leaves",
)
def get_quote(
    services: ServicesDep,
    session: SessionDep,
    product_id: Annotated[int, Query(alias="productId", ge=1)],
    pay_with: Annotated[str, Query(alias="payWith")],
    owner: Annotated[Address | None, Query()] = None,
) -> QuoteOut:
    view = product(services.platform, product_id)  # live: the price and merchant now
    if not view.listed:
        raise NotFoundError(codes.UNKNOWN_PRODUCT.message, code=codes.UNKNOWN_PRODUCT)
    return product_quote(
        services, view.price, view.token, resolve_token(session, pay_with, services), owner
    )


def _purchase_answer(services: Services, purchase_id: str) -> PurchaseOut:
    row = find_purchase(services, purchase_id)
    if row is None:
        raise NotFoundError(codes.PURCHASE_NOT_FOUND.message, code=codes.PURCHASE_NOT_FOUND)
    out = purchase_out(row)
    if row.cash_amount:
        out.payment = payment_of(services, row.purchase_id)
    state = purchase_state(services, purchase_id)
    if state is not None:
        out.state = state.state
        out.voucher_id = state.voucher_id
    return out


@router.post(
    "/vouchers/purchases",
    response_model=PurchaseOut,
    status_code=202,
    responses={200: {"model": PurchaseOut, "description": "Already here"}, **_ERRORS},
    summary="Take in a signed Purchase: checked now, settled by the relayer in a batch",
)
def post_purchase(body: PurchaseIn, services: ServicesDep, response: Response) -> PurchaseOut:
    row, new = PurchaseIntake(services).submit(body)
    if not new:
        response.status_code = 200
    return purchase_out(row)


@router.get(
    "/vouchers/purchases/{purchase_id}",
    response_model=PurchaseOut,
    responses=code_responses(codes.PURCHASE_NOT_FOUND),
    summary="A purchase's state: received | pending_cash | settled | rejected | refunded",
)
def get_purchase(
    services: ServicesDep, purchase_id: Annotated[str, Path(pattern="^0x[0-9a-fA-F]{64}$")]
) -> PurchaseOut:
    return _purchase_answer(services, purchase_id)


@router.get(
    "/accounts/{address}/vouchers",
    response_model=list[VoucherOut],
    summary="A holder's vouchers, newest first",
)
def get_holder_vouchers(
    session: SessionDep, address: Annotated[Address, Path()]
) -> list[VoucherOut]:
    return holder_vouchers(session, address)


def gift_out(row: RelayerRequest) -> GiftOut:
    payload = json.loads(row.payload)
    reason = (
        Reason(code=row.reason_code, message=row.reason_message or "") if row.reason_code else None
    )
    return GiftOut(
        request_hash=row.request_hash,
        state=row.state,
        voucher_id=int(payload["voucherId"]),
        to=payload["to"],
        tx_hash=row.tx_hash,
        reason=reason,
    )


@router.post(
    "/vouchers/gifts",
    response_model=GiftOut,
    status_code=202,
    responses={200: {"model": GiftOut, "description": "Already here"}, **_ERRORS},
    summary="Relay a signed VoucherGift (one transaction)",
)
def post_gift(body: GiftIn, services: ServicesDep, response: Response) -> GiftOut:
    row, new = accept_voucher_gift(services, body)
    if not new:
        response.status_code = 200
    return gift_out(row)


@router.get(
    "/vouchers/gifts/{request_hash}",
    response_model=GiftOut,
    responses=code_responses(ErrorCode.NOT_FOUND),
    summary="A voucher gift's state: received | submitted | done | failed",
)
def get_gift(
    services: ServicesDep, request_hash: Annotated[str, Path(pattern="^0x[0-9a-fA-F]{64}$")]
) -> GiftOut:
    row = find_request(services, request_hash)
    if row is None or row.kind != "voucher_gift":
        raise NotFoundError("There is no such voucher gift.", code=ErrorCode.NOT_FOUND)
    return gift_out(row)
