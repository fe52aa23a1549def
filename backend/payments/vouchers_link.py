"""The seams with the voucher side (``vouchers.state``): a purchase that reaches
``pending_cash`` in the relayer gets its payment order at once (the sweeper would find it on
its next pass through ``PurchasePending`` anyway), and ``GET /vouchers/purchases/{id}`` shows
the order as its ``payment``."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..services import Services
from ..vouchers.schemas import PaymentOut
from ..vouchers.state import PurchaseState, on_pending, set_payment_lookup
from .models import PaymentOrder

log = logging.getLogger("tongdui.payments")


def payment_out(services: Services, purchase_id: str) -> PaymentOut | None:
    """The purchase's payment order as the voucher API shows it; None until the provider
    opened it (no payUrl yet: the wallet says it is preparing the payment)."""
    with services.sessions() as session:
        order = session.scalar(
            select(PaymentOrder).where(PaymentOrder.purchase_id == purchase_id.lower())
        )
    if order is None or order.pay_url is None:
        return None
    return PaymentOut(
        payment_id=order.payment_id, pay_url=order.pay_url, amount=order.amount, state=order.state
    )


def install_lookup() -> None:
    set_payment_lookup(payment_out)


def install_pending_hook(open_now: object) -> None:
    """``open_now(state)`` runs for each purchase the relayer saw reach ``pending_cash``."""

    def hook(state: PurchaseState) -> None:
        if state.cash_amount > 0 and state.cash_deadline is not None:
            open_now(state)  # type: ignore[operator]

    on_pending(hook)
