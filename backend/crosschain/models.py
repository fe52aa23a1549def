"""The coordinator's tables: one row per cross-chain swap, and the write-ahead log of the
transactions it sends on either chain.

Why these shapes:
- ``crosschain_swaps`` keeps everything needed to finish a swap after a crash: both legs'
  terms (so both lock ids can be recomputed), the user's signed Lock and permit (so the lock
  on A can be re-submitted if a reorg drops it), and the secret once revealed. ``state`` is
  the furthest state seen *final* on the chains; it only caches what the chains say, and is
  recomputed from them on every pass.
- ``crosschain_transactions`` is written before a transaction is broadcast (as the relayer's
  ``relayer_transactions``): a restarted coordinator rebroadcasts the same signed bytes instead
  of signing a second transaction for the same action, and never reuses a nonce.
Times are unix seconds (float).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

# Swap states (the state machine of issue 17). Ends: completed, refunded, failed.
QUOTED = "quoted"  # accepted by the API; the user's lock on A not yet final
LOCKED_A = "locked_a"
LOCKED_B = "locked_b"
CLAIMED_B = "claimed_b"
CLAIMED_A = "claimed_a"  # completed: both claimed
REFUNDED_B = "refunded_b"
REFUNDED_A = "refunded_a"  # refunded: the user has its points back on A
FAILED = "failed"  # never locked on A (quote expired, lock refused)
FINAL_STATES = (CLAIMED_A, REFUNDED_A, FAILED)
ORDER = (QUOTED, LOCKED_A, LOCKED_B, CLAIMED_B, CLAIMED_A, REFUNDED_B, REFUNDED_A, FAILED)

OUTCOME = {CLAIMED_A: "completed", REFUNDED_A: "refunded", FAILED: "failed"}

# Actions, one transaction kind each.
LOCK_A, LOCK_B, CLAIM_B, CLAIM_A, REFUND_B, REFUND_A = (
    "lock_a",
    "lock_b",
    "claim_b",
    "claim_a",
    "refund_b",
    "refund_a",
)

# Transaction states: signed (stored, maybe not broadcast) → sent → mined | reverted | dropped.
TX_SIGNED, TX_SENT, TX_MINED, TX_REVERTED, TX_DROPPED = (
    "signed",
    "sent",
    "mined",
    "reverted",
    "dropped",
)
TX_OPEN = (TX_SIGNED, TX_SENT)


class CrossSwap(Base):
    """One cross-chain swap: the user's P points on A for the bridge member's Q points on B."""

    __tablename__ = "crosschain_swaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hashlock: Mapped[str] = mapped_column(String(66), unique=True)
    quote_id: Mapped[str] = mapped_column(String(66), unique=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    user: Mapped[str] = mapped_column(String(42), index=True)
    bridge_a: Mapped[str] = mapped_column(String(42))  # the bridge member on A (receives P)
    bridge_b: Mapped[str] = mapped_column(String(42))  # the bridge member on B (locks Q)
    chain_a: Mapped[int] = mapped_column(BigInteger)
    chain_b: Mapped[int] = mapped_column(BigInteger)
    htlc_a: Mapped[str] = mapped_column(String(42))
    htlc_b: Mapped[str] = mapped_column(String(42))
    token_a: Mapped[str] = mapped_column(String(42))
    token_b: Mapped[str] = mapped_column(String(42))
    amount_a: Mapped[int] = mapped_column(Amount)
    amount_b: Mapped[int] = mapped_column(Amount)
    timelock_a: Mapped[int] = mapped_column(BigInteger)
    timelock_b: Mapped[int] = mapped_column(BigInteger)
    lock_id_a: Mapped[str] = mapped_column(String(66), index=True)
    lock_id_b: Mapped[str] = mapped_column(String(66), index=True)
    lock_deadline: Mapped[int] = mapped_column(BigInteger)  # the Lock signature's deadline
    lock_signature: Mapped[str] = mapped_column(String(200))
    permit: Mapped[str] = mapped_column(Text)  # JSON {deadline, v, r, s}
    preimage: Mapped[str | None] = mapped_column(String(66), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class CrossTransaction(Base):
    """One signed transaction of the coordinator on chain A or B (stored before broadcast)."""

    __tablename__ = "crosschain_transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # None for the bridge member's own set-up transactions (its allowance on B)
    swap_id: Mapped[int | None] = mapped_column(
        ForeignKey("crosschain_swaps.id"), nullable=True, index=True
    )
    chain: Mapped[str] = mapped_column(String(1))  # "A" | "B"
    action: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(42))
    nonce: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66), unique=True)
    raw_tx: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index("ix_crosschain_transactions_chain_sender_nonce", "chain", "sender", "nonce"),
    )
