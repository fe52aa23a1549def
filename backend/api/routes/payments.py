"""Payments of points + cash purchases (issue 16): a payment order by id, and the provider's
notification callback.

``POST /payments/notify`` is called by the payment provider, not by a wallet: it answers 200
once the notice is taken (the provider stops retrying), 400/401 with a code when it is refused
(nothing is queued). See ``payments/notify.py`` for the checks.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from ...payments import errors as payment_errors
from ...payments.models import PaymentOrder
from ...payments.notify import take
from ...payments.orders import payment_view
from ...payments.service import payments_of
from ...payments.vouchers_link import install_lookup
from ..deps import ServicesDep, SessionDep
from ..schemas import code_responses

router = APIRouter(prefix="/payments", tags=["payments"])
install_lookup()  # GET /vouchers/purchases/{id} shows the purchase's payment order

PAYMENT_ID = Path(
    alias="paymentId", pattern="^0x[0-9a-fA-F]{64}$", description="our order number, bytes32 hex"
)


class PaymentOrderView(BaseModel):
    paymentId: str
    purchaseId: str
    amount: int = Field(description="fen")
    currency: str
    payUrl: str | None
    state: str = Field(description="created | paid | failed | late | refunded")
    expiresAt: int = Field(description="unix seconds: the purchase's cash deadline on chain")
    refund: str | None = Field(description="cash refund through the provider: requested | done")
    chain: str | None = Field(description="what the chain did: settled | refunded")


class PaymentNoticeAnswer(BaseModel):
    paymentId: str
    outcome: str = Field(description="accepted | failed | refunded: decided by the first notice")
    state: str
    duplicate: bool


@router.get(
    "/{paymentId}",
    response_model=PaymentOrderView,
    responses=code_responses(payment_errors.NOT_FOUND),
    summary="A payment order",
)
def get_payment(session: SessionDep, payment_id: Annotated[str, PAYMENT_ID]) -> dict[str, Any]:
    order = session.scalar(
        select(PaymentOrder).where(PaymentOrder.payment_id == payment_id.lower())
    )
    if order is None:
        raise payment_errors.PaymentNotFoundError(payment_errors.NOT_FOUND.message)
    return payment_view(order)


@router.post(
    "/notify",
    response_model=PaymentNoticeAnswer,
    responses=code_responses(
        payment_errors.NOTICE_INVALID,
        payment_errors.SIGNATURE_INVALID,
        payment_errors.NOTICE_MISMATCH,
        payment_errors.NOTICE_STALE,
        payment_errors.UNAVAILABLE,
    ),
    summary="The payment provider's signed notification (retried by it until 200)",
)
async def notify(
    request: Request,
    services: ServicesDep,
    signature: Annotated[str | None, Header(alias="Tongdui-Provider-Signature")] = None,
) -> dict[str, Any]:
    raw = await request.body()
    payments = payments_of(request.app.state, services)
    return await run_in_threadpool(take, payments, raw, signature)
