"""The relayer's tables: orders, the transactions that carry them, and signed requests.

Why these shapes:
- ``relayer_orders`` is the intake queue and the order's public record in one row, found by
  its EIP-712 digest (the same hash the contract's ``Swapped``/``OrderRejected`` carry).
- ``relayer_transactions`` is the write-ahead log of the key pool: every signed raw
  transaction is stored with its sender and nonce *before* it is broadcast, so a restarted
  relayer can rebroadcast it or learn what became of it; no nonce is ever signed twice.
  Its ``block_number`` is set as soon as a receipt is seen (the key pool's budget stops
  counting it) and again when the receipt is final.
- ``relayer_requests`` holds gifts (EIP-3009) and cancellations (``CancelNonces``, and
  ``IncrementCounter`` for a cancel-all: kind ``cancel_all``), which travel one per
  transaction.
Times are unix seconds (float): the relayer only compares ages.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

# Order states (the API shows them as they are). ``held``: a risk rule holds it for review
# (``risk``); the batcher never claims it, and its amounts stay promised until reviewed.
RECEIVED, SUBMITTED, SETTLED, REJECTED = "received", "submitted", "settled", "rejected"
HELD = "held"
PENDING_STATES = (RECEIVED, SUBMITTED, HELD)

# Transaction states: signed (stored, maybe not broadcast) → sent → mined | reverted | dropped.
TX_SIGNED, TX_SENT, TX_MINED, TX_REVERTED, TX_DROPPED = (
    "signed",
    "sent",
    "mined",
    "reverted",
    "dropped",
)
TX_IN_FLIGHT = (TX_SIGNED, TX_SENT)

# Request states: (held →) received → submitted → done | failed.
REQ_RECEIVED, REQ_SUBMITTED, REQ_DONE, REQ_FAILED = "received", "submitted", "done", "failed"
REQ_HELD = "held"


class RelayerTransaction(Base):
    """One signed transaction of a relayer key (write-ahead: stored before broadcast)."""

    __tablename__ = "relayer_transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # settle | gift | cancel
    sender: Mapped[str] = mapped_column(String(42))
    nonce: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66), unique=True)
    raw_tx: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    gas_used: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # the gas limit signed: what it reserves in a block (relayer_0002; ``gas_budget``)
    gas_limit: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    sent_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (Index("ix_relayer_transactions_sender_nonce", "sender", "nonce"),)


class RelayerOrder(Base):
    """A signed SwapOrder and what became of it."""

    __tablename__ = "relayer_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_hash: Mapped[str] = mapped_column(String(66), unique=True)
    owner: Mapped[str] = mapped_column(String(42), index=True)
    from_token: Mapped[str] = mapped_column(String(42))
    to_token: Mapped[str] = mapped_column(String(42))
    amount_in: Mapped[int] = mapped_column(Amount)
    min_amount_out: Mapped[int] = mapped_column(Amount)
    nonce: Mapped[str] = mapped_column(String(78))  # uint256 as decimal text
    deadline: Mapped[int] = mapped_column(BigInteger)
    counter: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[str] = mapped_column(String(200))
    quoted_gross: Mapped[int] = mapped_column(Amount)  # settlement value at intake
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    tx_id: Mapped[int | None] = mapped_column(
        ForeignKey("relayer_transactions.id"), nullable=True, index=True
    )
    tx_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    amount_out: Mapped[int | None] = mapped_column(Amount, nullable=True)
    fee: Mapped[int | None] = mapped_column(Amount, nullable=True)
    gross_value: Mapped[int | None] = mapped_column(Amount, nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)

    # One live order per (owner, nonce): a nonce whose order was refused at intake, or
    # rejected on chain before its signature was verified (not consumed), may be signed
    # again, so only pending rows are unique.
    __table_args__ = (
        Index(
            "uq_relayer_orders_pending_nonce",
            "owner",
            "nonce",
            unique=True,
            sqlite_where=text("state IN ('received', 'submitted')"),
            postgresql_where=text("state IN ('received', 'submitted')"),
        ),
        Index("ix_relayer_orders_state_updated", "state", "updated_at"),  # webhooks_0003
    )


class RelayerRequest(Base):
    """A signed gift (EIP-3009 transfer) or nonce cancellation, relayed in its own transaction."""

    __tablename__ = "relayer_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_hash: Mapped[str] = mapped_column(String(66), unique=True)  # its EIP-712 digest
    kind: Mapped[str] = mapped_column(String(16))  # gift | cancel
    owner: Mapped[str] = mapped_column(String(42), index=True)  # signer (gift: from)
    payload: Mapped[str] = mapped_column(Text)  # the validated request as JSON
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    tx_id: Mapped[int | None] = mapped_column(
        ForeignKey("relayer_transactions.id"), nullable=True, index=True
    )
    tx_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
