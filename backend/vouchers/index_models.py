"""The tables the indexer fills from VoucherBook's events (and the exchange's ``VoucherPaid``).

Latest values (rebuilt by replaying every voucher event after a reorg: ``LATEST_TABLES``):
``voucher_products`` (terms, stock, sold, paused, and redeemed/expired counts),
``voucher_vouchers`` (each voucher's owner and status), ``voucher_purchases`` (each purchase's
on-chain state). Per-event rows (a reorg deletes those above the ancestor: ``EVENT_TABLES``):
``voucher_activity`` (one row per sale, redemption, expiry, gift or refund, for the daily
series and statements) and ``voucher_payments`` (a ``VoucherPaid`` with its fee split, as a
``swaps`` row: the settlement sums are credited from it, and undone from it).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

ADDRESS, HASH, UINT256 = String(42), String(66), String(78)  # as indexer.models (which imports us)

# voucher status as the API shows it (``voucher()``'s 1, 2, 3)
ACTIVE, REDEEMED, EXPIRED = "active", "redeemed", "expired"
# purchase state on chain
CHAIN_PENDING, CHAIN_PURCHASED, CHAIN_REJECTED, CHAIN_REFUNDED = (
    "pending",
    "purchased",
    "rejected",
    "refunded",
)


class IndexedVoucherProduct(Base):
    __tablename__ = "voucher_products"
    __table_args__ = (Index("ix_voucher_products_token", "token"),)

    product_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(ADDRESS)
    price: Mapped[int] = mapped_column(Amount)
    face_value: Mapped[int] = mapped_column(Amount)
    stock: Mapped[int] = mapped_column(BigInteger)
    sold: Mapped[int] = mapped_column(BigInteger)
    per_user_limit: Mapped[int] = mapped_column(BigInteger)
    sale_ends_at: Mapped[int] = mapped_column(BigInteger)
    valid_until: Mapped[int] = mapped_column(BigInteger)
    valid_days: Mapped[int] = mapped_column(BigInteger)
    breakage: Mapped[int] = mapped_column(Integer)
    terms_hash: Mapped[str] = mapped_column(HASH)
    paused: Mapped[bool] = mapped_column(Boolean)
    redeemed: Mapped[int] = mapped_column(BigInteger)
    expired: Mapped[int] = mapped_column(BigInteger)
    listed_block: Mapped[int] = mapped_column(BigInteger)
    listed_at: Mapped[int] = mapped_column(BigInteger)


class IndexedVoucher(Base):
    __tablename__ = "voucher_vouchers"
    __table_args__ = (Index("ix_voucher_vouchers_owner", "owner"),)

    voucher_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(BigInteger)
    owner: Mapped[str] = mapped_column(ADDRESS)
    purchase_id: Mapped[str] = mapped_column(HASH)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    issued_block: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # redeemed/expired
    redeemed_by: Mapped[str | None] = mapped_column(ADDRESS, nullable=True)


class IndexedVoucherPurchase(Base):
    __tablename__ = "voucher_purchases"
    __table_args__ = (Index("ix_voucher_purchases_owner_product", "owner", "product_id"),)

    purchase_id: Mapped[str] = mapped_column(HASH, primary_key=True)
    product_id: Mapped[int] = mapped_column(BigInteger)
    owner: Mapped[str] = mapped_column(ADDRESS)
    pay_token: Mapped[str] = mapped_column(ADDRESS)
    points_in: Mapped[int] = mapped_column(Amount)
    cash_amount: Mapped[int] = mapped_column(Amount)
    state: Mapped[str] = mapped_column(String(16))
    voucher_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cash_deadline: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # the expiry key of the earliest points a points + cash purchase escrowed: its refund
    # mints them back under it (exchangeMintWithKey), and the buckets must follow
    earliest_key: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    payment_id: Mapped[str | None] = mapped_column(HASH, nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    block_number: Mapped[int] = mapped_column(BigInteger)


class _EventKeyed:
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    tx_hash: Mapped[str] = mapped_column(HASH)
    block_timestamp: Mapped[int] = mapped_column(BigInteger)


class VoucherActivity(_EventKeyed, Base):
    """One sale (``Purchased``: ``value`` the price), redemption (the face value), expiry
    (``value`` the breakage kept by the merchant, ``points`` refunded), gift or refund."""

    __tablename__ = "voucher_activity"
    __table_args__ = (Index("ix_voucher_activity_token_kind", "token", "kind"),)

    kind: Mapped[str] = mapped_column(String(16))  # sale|redemption|expiry|gift|refund
    token: Mapped[str] = mapped_column(ADDRESS)  # the product's merchant
    product_id: Mapped[int] = mapped_column(BigInteger)
    voucher_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    owner: Mapped[str] = mapped_column(ADDRESS)
    value: Mapped[int] = mapped_column(Amount)
    points: Mapped[int] = mapped_column(Amount)
    cash: Mapped[int] = mapped_column(Amount)


class VoucherPayment(_EventKeyed, Base):
    """A ``VoucherPaid``: another program's points paid a voucher's points part, as a swap."""

    __tablename__ = "voucher_payments"
    __table_args__ = (Index("ix_voucher_payments_owner", "owner"),)

    purchase_id: Mapped[str] = mapped_column(HASH)
    owner: Mapped[str] = mapped_column(ADDRESS)
    from_token: Mapped[str] = mapped_column(ADDRESS)
    to_token: Mapped[str] = mapped_column(ADDRESS)
    nonce: Mapped[str] = mapped_column(UINT256)  # "0": a purchase's nonce is in its own bitmap
    amount_in: Mapped[int] = mapped_column(Amount)
    amount_out: Mapped[int] = mapped_column(Amount)  # 0: no points of B are minted
    gross_value: Mapped[int] = mapped_column(Amount)
    paid_to_target: Mapped[int] = mapped_column(Amount)
    fee: Mapped[int] = mapped_column(Amount)
    dust: Mapped[int] = mapped_column(Amount)
    relayer: Mapped[str] = mapped_column(ADDRESS)
    platform_payee: Mapped[str] = mapped_column(ADDRESS)
    platform_fee: Mapped[int] = mapped_column(Amount)
    source_merchant_fee: Mapped[int] = mapped_column(Amount)
    target_merchant_fee: Mapped[int] = mapped_column(Amount)
    relayer_fee: Mapped[int] = mapped_column(Amount)


LATEST_TABLES = (IndexedVoucherProduct, IndexedVoucher, IndexedVoucherPurchase)
EVENT_TABLES = (VoucherActivity, VoucherPayment)
