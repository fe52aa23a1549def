"""What the payments side (``payments``, w7-cash) asks about a purchase, and is told.

- :func:`purchase_state` answers a purchase's state by its id (``received``, ``pending_cash``,
  ``settled``, ``rejected``, ``refunded``), its amounts and, while it waits for cash, its
  ``cash_deadline``; a state the relayer did not see itself (a ``refundExpired`` sent by
  anyone) is taken from the index.
- :func:`on_pending` registers a callback run, in the relayer's process, each time a purchase
  of its batches reaches ``pending_cash`` (after the commit): create the payment order there.
  :func:`pending_cash_purchases` lists the purchases waiting, for a process that polls instead
  (or catches up after a restart: a callback that failed is not called again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..services import Services
from .index_models import CHAIN_PURCHASED, CHAIN_REFUNDED, IndexedVoucherPurchase
from .models import (
    P_PENDING_CASH,
    P_RECEIVED,
    P_REFUNDED,
    P_SETTLED,
    P_SUBMITTED,
    VoucherPurchaseRequest,
)

log = logging.getLogger("tongdui.vouchers")


@dataclass(frozen=True, slots=True)
class PurchaseState:
    purchase_id: str
    state: str  # received | pending_cash | settled | rejected | refunded
    owner: str
    product_id: int
    pay_token: str
    points_in: int
    cash_amount: int
    cash_deadline: int | None
    voucher_id: int | None
    reason_code: str | None


PendingHook = Callable[[PurchaseState], None]
_HOOKS: list[PendingHook] = []


def on_pending(hook: PendingHook) -> None:
    """Calls ``hook`` for every purchase that reaches ``pending_cash`` from now on."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def _of(row: VoucherPurchaseRequest, index: IndexedVoucherPurchase | None) -> PurchaseState:
    state = P_RECEIVED if row.state == P_SUBMITTED else row.state
    voucher_id = row.voucher_id
    if state == P_PENDING_CASH and index is not None:
        if index.state == CHAIN_PURCHASED:
            state, voucher_id = P_SETTLED, index.voucher_id
        elif index.state == CHAIN_REFUNDED:
            state = P_REFUNDED
    return PurchaseState(
        row.purchase_id,
        state,
        row.owner,
        row.product_id,
        row.pay_token,
        row.points_in,
        row.cash_amount,
        row.cash_deadline,
        voucher_id,
        row.reason_code,
    )


def purchase_state(services: Services, purchase_id: str) -> PurchaseState | None:
    """The purchase's state, or None for an id this backend never took in."""
    with services.sessions() as session:
        row = session.scalar(
            select(VoucherPurchaseRequest).where(
                VoucherPurchaseRequest.purchase_id == purchase_id.lower()
            )
        )
        if row is None:
            return None
        return _of(row, session.get(IndexedVoucherPurchase, row.purchase_id))


def pending_cash_purchases(services: Services) -> list[PurchaseState]:
    """Every purchase waiting for its cash part, oldest first."""
    with services.sessions() as session:
        rows = session.scalars(
            select(VoucherPurchaseRequest)
            .where(VoucherPurchaseRequest.state == P_PENDING_CASH)
            .order_by(VoucherPurchaseRequest.id)
        ).all()
        return [_of(row, session.get(IndexedVoucherPurchase, row.purchase_id)) for row in rows]


def announce_pending(services: Services, purchase_ids: list[str]) -> None:
    """Runs the ``on_pending`` hooks for purchases that just reached ``pending_cash``."""
    if not _HOOKS:
        return
    for purchase_id in purchase_ids:
        state = purchase_state(services, purchase_id)
        if state is None:
            continue
        for hook in list(_HOOKS):
            try:
                hook(state)
            except Exception:
                log.exception("vouchers: pending hook %r failed for %s", hook, purchase_id)


# ─── the payment order of a purchase, answered by ``payments`` ──────────────────────────────

# returns a ``vouchers.schemas.PaymentOut`` (or None); typed loosely so that this module, which
# the relayer's reconciler imports, imports nothing of the relayer back
PaymentLookup = Callable[[Services, str], Any]
_PAYMENT_LOOKUP: list[PaymentLookup] = []


def set_payment_lookup(lookup: PaymentLookup) -> None:
    """``payments`` registers how to find a purchase's payment order (``paymentId, payUrl,
    amount, state``); ``GET /vouchers/purchases/{id}`` shows it under ``payment``."""
    _PAYMENT_LOOKUP[:] = [lookup]


def payment_of(services: Services, purchase_id: str) -> Any:
    if not _PAYMENT_LOOKUP:
        return None
    try:
        return _PAYMENT_LOOKUP[0](services, purchase_id)
    except Exception:
        log.exception("vouchers: the payment lookup failed for %s", purchase_id)
        return None
