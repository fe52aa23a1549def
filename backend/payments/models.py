"""The payments tables: one order per cash part, every notification received, and the cursor
of the chain events the sweeper has read.

Why these shapes:
- ``payment_orders`` is the merchant-side order of a real acquirer's integration, unique by our
  order number (``payment_id``) and by the purchase it pays: a notification is matched to it,
  and taken once (``outcome`` holds what the first valid notice decided, so a replay answers
  the same and queues nothing).
- ``payment_notices`` keeps every notification that passed the signature check, duplicates
  included: the trail a person reads when a provider says "we told you".
- ``payment_cursor`` is the last VoucherBook block whose events were applied (one row).
Times are unix seconds; ``expires_at`` is the chain's ``cashDeadline``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

# created: waiting for the cash; paid: a paid notice was taken in time (settleCash queued);
# failed: the provider said not paid (settleCash(paid=false) queued: points refunded);
# late: the deadline passed with no cash (refundExpired queued);
# refunded: cash arrived but the purchase could not take it: refunded through the provider.
CREATED, PAID, FAILED, LATE, REFUNDED = "created", "paid", "failed", "late", "refunded"
STATES = (CREATED, PAID, FAILED, LATE, REFUNDED)
CURRENCY = "CNY"


class PaymentOrder(Base):
    """The cash part of one pending voucher purchase."""

    __tablename__ = "payment_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(String(66), unique=True)
    purchase_id: Mapped[str] = mapped_column(String(66), unique=True)
    owner: Mapped[str | None] = mapped_column(String(42), nullable=True, index=True)
    amount: Mapped[int] = mapped_column(Amount)  # fen
    currency: Mapped[str] = mapped_column(String(3))
    pay_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    notice_paid: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notice_signer: Mapped[str | None] = mapped_column(String(42), nullable=True)
    notice_signature: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    refund_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    refund_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    settled: Mapped[str | None] = mapped_column(
        String(16), nullable=True
    )  # chain: settled|refunded
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class PaymentNotice(Base):
    """One notification that passed the signature check (duplicates too)."""

    __tablename__ = "payment_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(String(66), index=True)
    notify_id: Mapped[str] = mapped_column(String(80))
    signer: Mapped[str] = mapped_column(String(42))
    paid: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(16))
    duplicate: Mapped[bool] = mapped_column(Boolean)
    sent_at: Mapped[float] = mapped_column(Float)
    received_at: Mapped[float] = mapped_column(Float)


class PaymentCursor(Base):
    """The last VoucherBook block the sweeper applied (one row, id 1)."""

    __tablename__ = "payment_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[float] = mapped_column(Float)
