"""The payments loop beside the relayer: follows the VoucherBook's purchase events and keeps
every payment order moving to an end.

One pass (``run_once``):
1. reads ``PurchasePending`` / ``CashSettled`` / ``PurchaseRefunded`` since its cursor: a
   pending purchase gets its payment order, a settled or refunded one is noted on its order;
   a purchase the chain refunded after we took its cash has the cash refunded;
2. opens at the provider every order that has no payUrl yet (the provider was down);
3. queues ``refund_expired`` for every order whose deadline passed (on the chain's clock) with
   nothing queued for it: the points go back, the order is ``late``;
4. repeats every refund the provider has not confirmed.
Each step is idempotent, so a pass cut short is simply done again.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import select

from ..core.db import transaction, write_transaction
from .errors import PaymentsUnavailableError
from .models import CREATED, LATE, PAID, REFUNDED, PaymentCursor, PaymentOrder
from .orders import REFUND_EXPIRED, ZERO_ADDRESS, open_payment, queue_request, refund_expired_hash
from .provider_client import ProviderUnavailable
from .refunds import REFUND_REQUESTED, refund_cash
from .service import Payments
from .voucher_book import chain_now

log = logging.getLogger("tongdui.payments")
CHUNK = 5_000
EVENTS = ("PurchasePending", "CashSettled", "PurchaseRefunded")


class PaymentsLoop:
    """``tongdui up`` / ``tongdui relay`` run it as the ``payments`` loop."""

    def __init__(self, payments: Payments, interval: float | None = None) -> None:
        self.payments = payments
        self.services = payments.services
        self.interval = interval or max(self.services.settings.poll_interval, 0.2)

    def run(self, stop: threading.Event) -> None:
        warned = False
        while not stop.is_set():
            try:
                self.run_once()
            except PaymentsUnavailableError:
                if not warned:
                    log.info("no VoucherBook on this chain: the payments loop idles")
                    warned = True
                stop.wait(10)
                continue
            except Exception:
                log.exception("payments pass failed")
            stop.wait(self.interval)

    def run_once(self) -> None:
        self.follow_events()
        self.open_at_provider()
        self.queue_expired()
        self.repeat_refunds()

    # ── 1. the chain's purchase events ──────────────────────────────────────────────────────

    def follow_events(self) -> None:
        book = self.payments.book
        latest = self.services.w3.eth.block_number
        with self.services.sessions() as session:
            cursor = session.get(PaymentCursor, 1)
            start = 0 if cursor is None else cursor.block + 1
        while start <= latest:
            end = min(start + CHUNK - 1, latest)
            found: list[tuple[int, int, str, Any]] = []
            for name in EVENTS:
                for entry in getattr(book.events, name)().get_logs(from_block=start, to_block=end):
                    found.append((entry.blockNumber, entry.logIndex, name, entry.args))
            for _, _, name, args in sorted(found, key=lambda item: (item[0], item[1])):
                self._apply(name, args)
            with transaction(self.services.sessions) as session:
                row = session.get(PaymentCursor, 1)
                if row is None:
                    session.add(PaymentCursor(id=1, block=end, updated_at=time.time()))
                else:
                    row.block, row.updated_at = end, time.time()
            start = end + 1

    def _apply(self, name: str, args: Any) -> None:
        purchase_id = "0x" + bytes(args["purchaseId"]).hex()
        if name == "PurchasePending":
            open_payment(
                self.services.sessions,
                purchase_id,
                int(args["cashAmount"]),
                int(args["cashDeadline"]),
                str(args["owner"]),
            )
            return
        refund = False
        with write_transaction(self.services.sessions) as session:
            order = session.scalar(
                select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id)
            )
            if order is None:
                return
            order.updated_at = time.time()
            if name == "CashSettled":
                order.settled = "settled"
                return
            order.settled = "refunded"
            if order.request_hash is None:  # refunded by someone else's refundExpired
                order.request_hash = refund_expired_hash(purchase_id)
            if order.state == CREATED:
                order.state = LATE
            elif order.state == PAID and order.refund_state is None:
                # the cash was taken, but the chain refunded the purchase (settled too late)
                order.state, order.refund_state = REFUNDED, REFUND_REQUESTED
                order.refund_reason = "chain_refunded"
                refund = True
            payment_id = order.payment_id
        if refund:
            refund_cash(self.payments, payment_id)

    def open_pending(self, state: Any) -> None:
        """A purchase the relayer just saw escrowed: its order, opened at the provider now."""
        open_payment(
            self.services.sessions,
            state.purchase_id,
            int(state.cash_amount),
            int(state.cash_deadline),
            state.owner,
        )
        self.open_at_provider()

    # ── 2. orders the provider has not opened yet ───────────────────────────────────────────

    def open_at_provider(self) -> None:
        provider = self.payments.provider
        if provider is None:
            return
        with self.services.sessions() as session:
            waiting = session.scalars(
                select(PaymentOrder).where(
                    PaymentOrder.pay_url.is_(None), PaymentOrder.state == CREATED
                )
            ).all()
        for order in waiting:
            try:
                pay_url = provider.create_payment(
                    order.payment_id,
                    order.purchase_id,
                    order.amount,
                    order.currency,
                    self.payments.settings.notify_url,
                    order.expires_at,
                )
            except ProviderUnavailable as error:
                log.warning("provider did not open %s yet: %s", order.payment_id, error)
                return
            with transaction(self.services.sessions) as session:
                row = session.get(PaymentOrder, order.id)
                if row is not None:
                    row.pay_url, row.updated_at = pay_url, time.time()

    # ── 3. deadlines passed with nothing queued ─────────────────────────────────────────────

    def queue_expired(self) -> None:
        now = chain_now(self.services.w3) - self.payments.settings.sweep_grace
        with write_transaction(self.services.sessions) as session:
            due = session.scalars(
                select(PaymentOrder).where(
                    PaymentOrder.request_hash.is_(None), PaymentOrder.expires_at < now
                )
            ).all()
            for order in due:
                order.request_hash = refund_expired_hash(order.purchase_id)
                if order.state == CREATED:
                    order.state = LATE
                order.updated_at = time.time()
                queue_request(
                    session,
                    REFUND_EXPIRED,
                    order.request_hash,
                    order.owner or ZERO_ADDRESS,
                    {"purchaseId": order.purchase_id},
                )

    # ── 4. refunds the provider has not confirmed ───────────────────────────────────────────

    def repeat_refunds(self) -> None:
        with self.services.sessions() as session:
            pending = session.scalars(
                select(PaymentOrder.payment_id).where(PaymentOrder.refund_state == REFUND_REQUESTED)
            ).all()
        for payment_id in pending:
            refund_cash(self.payments, payment_id)


def make_payments_loop(services: Any) -> PaymentsLoop:
    """The loop, and the voucher side's ``pending_cash`` hook, which opens an order at once."""
    from .vouchers_link import install_pending_hook

    loop = PaymentsLoop(Payments(services))
    install_pending_hook(loop.open_pending)
    return loop


__all__ = ["PAID", "PaymentsLoop", "make_payments_loop"]
