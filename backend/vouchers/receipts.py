"""What a mined transaction says about purchases: VoucherBook's ``Purchased``,
``PurchasePending``, ``PurchaseRejected`` and ``PurchaseRefunded`` logs, by purchase id.

Called by the relayer's ``Reconciler`` for every transaction of its log it learns the fate of
(a ``purchaseBatch``, and the ``settleCash``/``refundExpired`` requests the payments side
queues), inside the same DB transaction as the log row's state; and for a dropped transaction,
to put its purchases back in the queue (VoucherBook's nonce bitmap makes a resubmitted
purchase execute at most once). A purchase that reaches ``pending_cash`` is announced through
``state.announce_pending`` after the commit.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..chain.errors import code_for_selector, decode_error
from ..chain.logs import event_specs, topic_in
from ..core.error_codes import ErrorCode
from ..relayer.receipts import Receipt
from ..services import Services
from .book import book
from .codes import CHAIN_ALIASES
from .models import (
    P_PENDING_CASH,
    P_RECEIVED,
    P_REFUNDED,
    P_REJECTED,
    P_SETTLED,
    P_SUBMITTED,
    VoucherPurchaseRequest,
)

MAX_ATTEMPTS = 3
EVENTS = ("Purchased", "PurchasePending", "PurchaseRejected", "PurchaseRefunded")


class PurchaseEvents:
    """The purchase logs of a receipt: {event name: {purchase id: args}}."""

    def __init__(self, services: Services) -> None:
        contract = book(services.platform)
        self.address = str(contract.address).lower()
        self.topics = {topic_in(contract.abi, name): name for name in EVENTS}

    def of(self, receipt: Receipt) -> dict[str, dict[str, dict[str, Any]]]:
        found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in EVENTS}
        specs = event_specs()
        for log in receipt.logs:
            topics = log.get("topics") or []
            if not topics or str(log.get("address", "")).lower() != self.address:
                continue
            name = self.topics.get(topics[0])
            if name is not None:
                args = specs[topics[0]].values(topics, log["data"])
                found[name][str(args["purchaseId"]).lower()] = args  # indexed: raw word
        return found


def _reason(selector: bytes) -> tuple[str, str]:
    code = code_for_selector(selector)
    if code in CHAIN_ALIASES:
        return CHAIN_ALIASES[code].value, CHAIN_ALIASES[code].message
    if code == ErrorCode.UNKNOWN_ERROR:
        return code.value, "The purchase failed on chain for an unknown reason; sign again."
    return code.value, decode_error(selector).message


def apply_receipt(
    session: Session, events: PurchaseEvents, tx_id: int, receipt: Receipt
) -> list[str]:
    """Applies a receipt to the purchases it carries or names; returns the ids that became
    ``pending_cash`` (the caller announces them after its commit)."""
    ok, block, now = receipt.status == 1, receipt.block_number, time.time()
    found = events.of(receipt) if ok else {name: {} for name in EVENTS}
    pending: list[str] = []
    for row in session.scalars(
        select(VoucherPurchaseRequest).where(
            VoucherPurchaseRequest.tx_id == tx_id, VoucherPurchaseRequest.state == P_SUBMITTED
        )
    ):
        row.updated_at, row.block_number = now, block
        if row.purchase_id in found["Purchased"]:
            row.state = P_SETTLED
            row.voucher_id = int(found["Purchased"][row.purchase_id]["voucherId"])
        elif row.purchase_id in found["PurchasePending"]:
            row.state = P_PENDING_CASH
            row.cash_deadline = int(found["PurchasePending"][row.purchase_id]["cashDeadline"])
            pending.append(row.purchase_id)
        elif row.purchase_id in found["PurchaseRejected"]:
            reason = bytes(found["PurchaseRejected"][row.purchase_id]["reason"])
            row.state = P_REJECTED
            row.reason_code, row.reason_message = _reason(reason)
        else:  # the whole transaction failed: try again, a little
            row.attempts += 1
            if row.attempts >= MAX_ATTEMPTS:
                row.state, row.reason_code = P_REJECTED, ErrorCode.SETTLEMENT_FAILED.value
                row.reason_message = (
                    f"The purchase transaction failed {row.attempts} times; sign again later."
                )
            else:
                row.state, row.tx_id, row.tx_hash = P_RECEIVED, None, None
    # second steps (settleCash, refundExpired), whichever transaction carried them
    second = {**found["Purchased"], **found["PurchaseRefunded"]}
    if second:
        for row in session.scalars(
            select(VoucherPurchaseRequest).where(
                VoucherPurchaseRequest.purchase_id.in_(list(second)),
                VoucherPurchaseRequest.state == P_PENDING_CASH,
            )
        ):
            row.updated_at = now
            if row.purchase_id in found["Purchased"]:
                row.state = P_SETTLED
                row.voucher_id = int(found["Purchased"][row.purchase_id]["voucherId"])
            else:
                row.state = P_REFUNDED
                reason = bytes(found["PurchaseRefunded"][row.purchase_id]["reason"])
                row.reason_code, row.reason_message = _reason(reason)
    return pending


def requeue_dropped(session: Session, tx_id: int) -> None:
    """Another transaction took this one's nonce: its purchases are queued again."""
    session.execute(
        update(VoucherPurchaseRequest)
        .where(VoucherPurchaseRequest.tx_id == tx_id, VoucherPurchaseRequest.state == P_SUBMITTED)
        .values(state=P_RECEIVED, tx_id=None, tx_hash=None, updated_at=time.time())
    )
