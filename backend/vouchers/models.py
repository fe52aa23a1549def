"""The vouchers' own tables: purchases as taken in (the relayer's queue) and the products'
off-chain terms.

Why these shapes:
- ``voucher_purchase_requests`` is the intake queue and the purchase's public record in one
  row, found by its ``purchaseId`` (the EIP-712 digest every VoucherBook event carries), as
  ``relayer_orders`` is for swaps; a purchase travels in a ``purchaseBatch`` whose signed raw
  transaction is the relayer's write-ahead log row (``relayer_transactions``, kind
  ``purchase``), so the key pool's nonce discipline covers it unchanged.
- ``voucher_product_terms`` keeps a product's name and terms, which never go on chain: the
  chain has their keccak (``termsHash``); a row is found by (token, terms hash).
Times are unix seconds (float), as the relayer's.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

# Purchase states as the API shows them. ``submitted`` shows as ``received``.
P_RECEIVED, P_SUBMITTED, P_PENDING_CASH = "received", "submitted", "pending_cash"
P_SETTLED, P_REJECTED, P_REFUNDED = "settled", "rejected", "refunded"
P_QUEUED = (P_RECEIVED, P_SUBMITTED)
P_OPEN = (P_RECEIVED, P_SUBMITTED, P_PENDING_CASH)  # stock and limits still reserved


class VoucherPurchaseRequest(Base):
    """A signed ``Purchase`` and what became of it."""

    __tablename__ = "voucher_purchase_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purchase_id: Mapped[str] = mapped_column(String(66), unique=True)
    owner: Mapped[str] = mapped_column(String(42), index=True)
    product_id: Mapped[int] = mapped_column(BigInteger, index=True)
    pay_token: Mapped[str] = mapped_column(String(42))
    points_in: Mapped[int] = mapped_column(Amount)
    cash_amount: Mapped[int] = mapped_column(Amount)
    nonce: Mapped[str] = mapped_column(String(78))  # uint256 as decimal text
    deadline: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    tx_id: Mapped[int | None] = mapped_column(
        ForeignKey("relayer_transactions.id"), nullable=True, index=True
    )
    tx_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    voucher_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cash_deadline: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)

    # One live purchase per (owner, nonce), as orders: a refused one's nonce may be signed again.
    __table_args__ = (
        Index(
            "uq_voucher_purchase_requests_live_nonce",
            "owner",
            "nonce",
            unique=True,
            sqlite_where=text("state IN ('received', 'submitted')"),
            postgresql_where=text("state IN ('received', 'submitted')"),
        ),
    )


class VoucherProductTerms(Base):
    """A product's name and terms (off chain); the chain holds ``terms_hash`` only."""

    __tablename__ = "voucher_product_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(42))
    terms_hash: Mapped[str] = mapped_column(String(66))
    name: Mapped[str] = mapped_column(String(200))
    terms: Mapped[str] = mapped_column(Text)  # the merchant's terms text
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index("uq_voucher_product_terms_token_hash", "token", "terms_hash", unique=True),
    )
