"""The provider's notification (``POST /payments/notify``), taken as a merchant must take an
acquirer's: verified, matched to our order, and applied once.

Checks, in order, and nothing is queued or changed unless all pass:
1. the body has every field (``PAYMENT_NOTICE_INVALID``, 400);
2. the EIP-712 ``CashNotice`` signature and the header signature over the raw body
   (``Tongdui-Provider-Signature``, EIP-191: it covers ``notifyId`` and ``sentAt``, which the
   typed notice does not) recover to one address that holds ``PROVIDER_ROLE`` on the
   VoucherBook (``PAYMENT_SIGNATURE_INVALID``, 401);
3. ``sentAt`` is within the tolerance of our clock (``PAYMENT_NOTICE_STALE``, 400): a body
   copied off the wire cannot be played again later;
4. the payment is ours and the purchase and amount are the order's (``PAYMENT_NOTICE_MISMATCH``).
Then, by ``paymentId``: the first notice decides the ``outcome`` (a paid notice in time queues
``settle_cash``; a failed one queues ``settle_cash`` with ``paid = false``, which refunds the
points at once; cash after the deadline is refunded through the provider), and every later one
(the provider's retries, a replay) answers 200 with that same outcome and queues nothing.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_defunct
from sqlalchemy import select

from ..core.db import write_transaction
from .cash_notice import CashNotice, bytes32_of
from .errors import NOTICE_INVALID, NOTICE_MISMATCH, NOTICE_STALE, SIGNATURE_INVALID, NoticeRefused
from .models import CREATED, FAILED, PAID, REFUNDED, PaymentNotice, PaymentOrder
from .orders import SETTLE_CASH, queue_request
from .refunds import refund_cash
from .service import Payments
from .voucher_book import chain_now

log = logging.getLogger("tongdui.payments")

SIGNATURE_HEADER = "Tongdui-Provider-Signature"
ACCEPTED, NOT_PAID, CASH_REFUNDED = "accepted", "failed", "refunded"


@dataclass(frozen=True)
class Received:
    """A notification that passed the checks 1–3."""

    notice: CashNotice
    signature: str
    signer: str
    notify_id: str
    sent_at: float


def parse(raw: bytes) -> tuple[CashNotice, str, str, float]:
    """(notice, EIP-712 signature, notifyId, sentAt) of a body, or NoticeRefused."""
    try:
        body = json.loads(raw)
        assert isinstance(body, dict)
    except (ValueError, AssertionError):
        raise NoticeRefused(NOTICE_INVALID, field="body") from None
    try:
        notice = CashNotice(
            _hex32(body["purchaseId"]),
            _hex32(body["paymentId"]),
            _amount(body["amount"]),
            _bool(body["paid"]),
        )
        signature = str(body["signature"])
        notify_id = str(body["notifyId"])[:80]
        sent_at = float(body["sentAt"])
    except KeyError as missing:
        raise NoticeRefused(NOTICE_INVALID, field=str(missing.args[0])) from None
    except (TypeError, ValueError) as error:
        raise NoticeRefused(NOTICE_INVALID, problem=str(error)) from None
    return notice, signature, notify_id, sent_at


def verify(payments: Payments, raw: bytes, header_signature: str | None) -> Received:
    """Checks 1–3 of the module docstring."""
    notice, signature, notify_id, sent_at = parse(raw)
    try:
        signer = notice.signer(payments.domain, signature)
        body_signer = Account.recover_message(
            encode_defunct(primitive=raw),
            signature=bytes.fromhex((header_signature or "").removeprefix("0x")),
        )
    except Exception:  # any undecodable signature is the same refusal
        raise NoticeRefused(SIGNATURE_INVALID, reason="unreadable signature") from None
    if body_signer != signer:
        raise NoticeRefused(
            SIGNATURE_INVALID, reason="the body is not signed by the notice's signer"
        )
    if not payments.roles.is_provider(signer):
        raise NoticeRefused(SIGNATURE_INVALID, reason="the signer is not a provider", signer=signer)
    skew = abs(time.time() - sent_at)
    if skew > payments.settings.notice_tolerance:
        raise NoticeRefused(NOTICE_STALE, skewSeconds=round(skew))
    return Received(notice, signature, signer, notify_id, sent_at)


def take(payments: Payments, raw: bytes, header_signature: str | None) -> dict[str, Any]:
    """Verifies and applies a notification; the answer the provider gets (200)."""
    received = verify(payments, raw, header_signature)
    notice = received.notice
    now_chain = chain_now(payments.services.w3)
    refund = False
    with write_transaction(payments.services.sessions) as session:
        order = session.scalar(  # locked on PostgreSQL; SQLite's BEGIN IMMEDIATE locks all
            select(PaymentOrder)
            .where(PaymentOrder.payment_id == notice.payment_id)
            .with_for_update()
        )
        if order is None:
            raise NoticeRefused(NOTICE_MISMATCH, field="paymentId")
        if order.purchase_id != notice.purchase_id or order.amount != notice.amount:
            raise NoticeRefused(
                NOTICE_MISMATCH,
                field="purchaseId" if order.purchase_id != notice.purchase_id else "amount",
            )
        duplicate = order.outcome is not None
        if not duplicate:
            refund = _decide(session, order, received, now_chain, payments)
        elif notice.paid and order.notice_paid is False and order.refund_state is None:
            # paid after a failed notice: the purchase is refunded, the cash must go back
            order.refund_state, order.refund_reason = "requested", "paid_after_failed"
            refund = True
        session.add(
            PaymentNotice(
                payment_id=order.payment_id,
                notify_id=received.notify_id,
                signer=received.signer,
                paid=notice.paid,
                outcome=order.outcome or "",
                duplicate=duplicate,
                sent_at=received.sent_at,
                received_at=time.time(),
            )
        )
        order.updated_at = time.time()
        answer = {
            "paymentId": order.payment_id,
            "outcome": order.outcome,
            "state": order.state,
            "duplicate": duplicate,
        }
    if refund:
        answer["state"] = refund_cash(payments, order.payment_id)
    return answer


def _decide(
    session: Any, order: PaymentOrder, received: Received, now_chain: int, payments: Payments
) -> bool:
    """The first valid notice: sets the outcome, queues its request; True when the cash
    must be refunded through the provider."""
    notice = received.notice
    order.notice_paid = notice.paid
    order.notice_signer = received.signer
    order.notice_signature = received.signature
    if notice.paid and not (order.state == CREATED and now_chain <= order.expires_at):
        order.outcome, order.state = CASH_REFUNDED, REFUNDED
        order.refund_state, order.refund_reason = "requested", "late"
        return True
    order.outcome = ACCEPTED if notice.paid else NOT_PAID
    if order.request_hash is not None:  # refundExpired already queued: it refunds the points
        return False
    order.state = PAID if notice.paid else FAILED
    order.request_hash = "0x" + notice.digest(payments.domain).hex()
    queue_request(
        session,
        SETTLE_CASH,
        order.request_hash,
        order.owner or received.signer,
        {**notice.as_message(), "signature": received.signature},
    )
    return False


def _hex32(value: Any) -> str:
    text = str(value).lower()
    bytes32_of(text)
    return text


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("amount must be an integer (fen)")
    amount = int(value)
    if not 0 < amount < 2**63:
        raise ValueError("amount must be positive")
    return amount


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("paid must be true or false")
    return value
