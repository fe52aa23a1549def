"""Merchant API for vouchers (issue 16), under ``/merchants/{token}/vouchers/…``: list a
product, pause, resume or stock it (scope ``vouchers``), read the products with their sold,
redeemed and expired counts and the daily series (``read``), and redeem a voucher at the till
(``redeem``: a cashier's key may). Writes are signed with the merchant's operator key, as the
rest of the merchant API (``merchant.py``), and logged in the operation log.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import select

from ...chain.voucher_eip712 import VoucherRedemption
from ...core.error_codes import ErrorCode
from ...indexer.models import Merchant
from ...merchant.actions import receipt
from ...merchant.keys import Scope
from ...operations.record import logged
from ...vouchers import codes
from ...vouchers.index_models import IndexedVoucherProduct
from ...vouchers.merchant import VoucherActions, listed_product_id
from ...vouchers.reads import product_names, product_out, sales_series
from ...vouchers.schemas import (
    ProductIn,
    ProductOut,
    ProductTx,
    RedeemOut,
    RedemptionIn,
    SalesSeries,
    StockIn,
)
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..schemas import code_responses, errors
from .merchant import OperatorsDep, Wait

router = APIRouter(prefix="/merchants/{token}/vouchers", tags=["merchant vouchers"])

WRITE_ERRORS = {
    **errors(400, 401, 403, 422, 503),
    **code_responses(
        codes.UNKNOWN_PRODUCT,
        codes.INVALID_TERMS,
        codes.NOT_FOUND,
        codes.NOT_ACTIVE,
        codes.HAS_EXPIRED,
        codes.NOT_HOLDER,
        codes.WRONG_MERCHANT,
        codes.REDEMPTION_EXPIRED,
        ErrorCode.MERCHANT_KEY_MISSING,
    ),
}
READ_ERRORS = errors(401, 403, 404, 422, 503)
ProductId = Annotated[int, Path(ge=1)]


@router.post(
    "/products",
    response_model=ProductTx,
    responses=WRITE_ERRORS,
    summary="List a voucher product (name and terms stay off chain; their hash goes on chain)",
)
@logged("voucher_list")
def list_product(
    body: ProductIn,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.VOUCHERS))],
    wait: Wait = 30,
) -> ProductTx:
    tx_hash = VoucherActions(services, operators, auth.token).list_product(body)
    product_id = listed_product_id(services, tx_hash, wait) if wait else None
    return ProductTx(
        tx_hash=tx_hash, status="mined" if product_id else "pending", product_id=product_id
    )


def _tx(services: ServicesDep, tx_hash: str, wait: float, product_id: int) -> ProductTx:
    outcome = receipt(services.platform, tx_hash, timeout=wait)
    return ProductTx(tx_hash=tx_hash, status=outcome.status, product_id=product_id)


@router.post(
    "/products/{product_id}/pause",
    response_model=ProductTx,
    responses=WRITE_ERRORS,
    summary="Pause sales of a product",
)
@logged("voucher_pause", target="product_id")
def pause_product(
    product_id: ProductId,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.VOUCHERS))],
    wait: Wait = 30,
) -> ProductTx:
    tx_hash = VoucherActions(services, operators, auth.token).set_paused(product_id, True)
    return _tx(services, tx_hash, wait, product_id)


@router.post(
    "/products/{product_id}/resume",
    response_model=ProductTx,
    responses=WRITE_ERRORS,
    summary="Resume sales of a paused product",
)
@logged("voucher_resume", target="product_id")
def resume_product(
    product_id: ProductId,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.VOUCHERS))],
    wait: Wait = 30,
) -> ProductTx:
    tx_hash = VoucherActions(services, operators, auth.token).set_paused(product_id, False)
    return _tx(services, tx_hash, wait, product_id)


@router.post(
    "/products/{product_id}/stock",
    response_model=ProductTx,
    responses=WRITE_ERRORS,
    summary="Add stock to a product",
)
@logged("voucher_stock", target="product_id")
def add_stock(
    product_id: ProductId,
    body: StockIn,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.VOUCHERS))],
    wait: Wait = 30,
) -> ProductTx:
    tx_hash = VoucherActions(services, operators, auth.token).add_stock(product_id, body.amount)
    return _tx(services, tx_hash, wait, product_id)


@router.get(
    "/products",
    response_model=list[ProductOut],
    responses=READ_ERRORS,
    summary="This merchant's products with sold, redeemed and expired counts",
)
def merchant_products(
    session: SessionDep, auth: Annotated[MerchantAuth, Depends(require(Scope.READ))]
) -> list[ProductOut]:
    rows = list(
        session.scalars(
            select(IndexedVoucherProduct)
            .where(IndexedVoucherProduct.token == auth.token)
            .order_by(IndexedVoucherProduct.product_id)
        )
    )
    names = product_names(session, rows)
    symbol = session.scalar(select(Merchant.symbol).where(Merchant.token == auth.token)) or ""
    return [product_out(row, names.get((row.token, row.terms_hash)), symbol) for row in rows]


@router.get(
    "/sales",
    response_model=SalesSeries,
    responses=READ_ERRORS,
    summary="Sales, redemptions and breakage per day (for charts)",
)
def voucher_sales(
    session: SessionDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.READ))],
    period: Annotated[Literal["day"], Query()] = "day",
) -> SalesSeries:
    return sales_series(session, auth.token)


@router.post(
    "/redeem",
    response_model=RedeemOut,
    responses=WRITE_ERRORS,
    summary="Redeem (核销) a voucher at the till with the holder's signed VoucherRedemption",
    description="A cashier's key may (scope `redeem`). Waits up to `wait` seconds for the "
    "receipt: `redeemed`, or `pending` with the hash.",
)
@logged("voucher_redeem", target="voucher_id")
def redeem_voucher(
    body: RedemptionIn,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.REDEEM))],
    wait: Annotated[float, Query(ge=0, le=30, description="seconds to wait for the receipt")] = 5,
) -> RedeemOut:
    fields = body.redemption
    redemption = VoucherRedemption(fields.voucher_id, fields.holder, fields.deadline)
    tx_hash = VoucherActions(services, operators, auth.token).redeem(redemption, body.signature)
    outcome = receipt(services.platform, tx_hash, timeout=wait)
    state = "redeemed" if outcome.status == "mined" else "pending"
    return RedeemOut(state=state, tx_hash=tx_hash, voucher_id=fields.voucher_id)
