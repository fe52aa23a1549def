"""Payment orders: opened once per pending purchase, shown by id, and the relayer requests
that carry their outcome on chain.

``open_payment`` is idempotent by purchase (the sweeper opens one on ``PurchasePending``; the
voucher intake may call it too when a purchase reaches ``pending_cash``); ``payment_for`` is
what ``GET /vouchers/purchases/{id}`` shows as its ``payment``.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from eth_utils import keccak
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..core.db import transaction
from ..relayer.models import REQ_RECEIVED, RelayerRequest
from .kinds import REFUND_EXPIRED, SETTLE_CASH
from .models import CREATED, CURRENCY, PaymentOrder

ZERO_ADDRESS = "0x" + "00" * 20
__all__ = ["REFUND_EXPIRED", "SETTLE_CASH"]


def new_payment_id() -> str:
    """Our order number: 32 random bytes (never derived from the purchase, so it tells a
    provider nothing)."""
    return "0x" + secrets.token_bytes(32).hex()


def open_payment(
    sessions: sessionmaker[Session],
    purchase_id: str,
    amount: int,
    expires_at: int,
    owner: str | None = None,
) -> PaymentOrder:
    """The payment order of ``purchase_id``, made now if there is none."""
    purchase_id = purchase_id.lower()
    with sessions() as session:
        found = session.scalar(select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id))
        if found is not None:
            return found
    now = time.time()
    row = PaymentOrder(
        payment_id=new_payment_id(),
        purchase_id=purchase_id,
        owner=owner,
        amount=amount,
        currency=CURRENCY,
        state=CREATED,
        expires_at=expires_at,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction(sessions) as session:
            session.add(row)
    except IntegrityError:  # opened by another caller meanwhile
        with sessions() as session:
            found = session.scalar(
                select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id)
            )
            assert found is not None
            return found
    return row


def payment_view(order: PaymentOrder) -> dict[str, Any]:
    """A payment order as the API answers it (camelCase)."""
    return {
        "paymentId": order.payment_id,
        "purchaseId": order.purchase_id,
        "amount": order.amount,
        "currency": order.currency,
        "payUrl": order.pay_url,
        "state": order.state,
        "expiresAt": order.expires_at,
        "refund": order.refund_state,
        "chain": order.settled,
    }


def payment_for(session: Session, purchase_id: str) -> dict[str, Any] | None:
    """The ``payment`` of a purchase's answer, or None when it has no cash part (yet)."""
    order = session.scalar(
        select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id.lower())
    )
    return None if order is None else payment_view(order)


def queue_request(
    session: Session, kind: str, request_hash: str, owner: str, payload: dict[str, Any]
) -> None:
    """A relayer request in the caller's transaction (the order's change and its request
    commit together, or neither)."""
    now = time.time()
    session.add(
        RelayerRequest(
            request_hash=request_hash,
            kind=kind,
            owner=owner,
            payload=json.dumps(payload),
            state=REQ_RECEIVED,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
    )


def refund_expired_hash(purchase_id: str) -> str:
    """The request hash of a ``refundExpired`` (one per purchase)."""
    return "0x" + keccak(b"refundExpired" + bytes.fromhex(purchase_id[2:])).hex()
