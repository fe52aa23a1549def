"""Cash back to the payer through the provider's refund API, for cash the purchase could not
take (paid after the deadline, after a failed notice, or the chain refunded the purchase).

The order is marked ``refund_state = requested`` in the transaction that decided it; the
call is made after that commits, and the sweeper repeats it until the provider confirms (the
provider's refund is idempotent by our order number), so a crash between the two refunds the
cash later, never twice.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import select, update

from ..core.db import transaction
from .models import REFUNDED, PaymentOrder
from .provider_client import ProviderUnavailable
from .service import Payments

log = logging.getLogger("tongdui.payments")
REFUND_REQUESTED, REFUND_DONE = "requested", "done"


def refund_cash(payments: Payments, payment_id: str) -> str:
    """Asks the provider to refund ``payment_id``; the order's state after (``refunded``)."""
    with payments.services.sessions() as session:
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.payment_id == payment_id))
        if order is None:
            raise LookupError(payment_id)
        amount, reason = order.amount, order.refund_reason or "refund"
    provider = payments.provider
    if provider is None:
        log.warning("no payment provider configured: refund of %s stays requested", payment_id)
        return REFUNDED
    try:
        provider.refund(payment_id, amount, reason)
    except ProviderUnavailable as error:
        log.warning("refund of %s not confirmed yet (%s): the sweeper retries", payment_id, error)
        return REFUNDED
    with transaction(payments.services.sessions) as session:
        session.execute(
            update(PaymentOrder)
            .where(PaymentOrder.payment_id == payment_id)
            .values(refund_state=REFUND_DONE, state=REFUNDED, updated_at=time.time())
        )
    return REFUNDED
