"""vouchers: the purchase queue, products' off-chain terms, and the index's voucher tables
(issue 16).

A branch of its own (as ``risk``); ``depends_on`` the relayer's tables (a purchase names its
``relayer_transactions`` row) and the indexer's head (its tables are rebuilt with the index).

Revision ID: vouchers_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "vouchers_0001"
down_revision = "0000_base"
branch_labels = ("vouchers",)
depends_on = ("relayer_0001", "0105_htlc_locks")

ADDRESS, HASH, UINT256 = sa.String(42), sa.String(66), sa.String(78)
LIVE = "state IN ('received', 'submitted')"


def _event_key(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=f"pk_{table}"),
    ]


def _queue() -> None:
    op.create_table(
        "voucher_purchase_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("purchase_id", HASH, nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("pay_token", ADDRESS, nullable=False),
        sa.Column("points_in", sa.BigInteger(), nullable=False),
        sa.Column("cash_amount", sa.BigInteger(), nullable=False),
        sa.Column("nonce", UINT256, nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("tx_id", sa.Integer(), nullable=True),
        sa.Column("tx_hash", HASH, nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("voucher_id", sa.BigInteger(), nullable=True),
        sa.Column("cash_deadline", sa.BigInteger(), nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("reason_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_voucher_purchase_requests"),
        sa.UniqueConstraint("purchase_id", name="uq_voucher_purchase_requests_purchase_id"),
        sa.ForeignKeyConstraint(
            ["tx_id"],
            ["relayer_transactions.id"],
            name="fk_voucher_purchase_requests_tx_id_relayer_transactions",
        ),
    )
    for column in ("owner", "product_id", "state", "tx_id"):
        op.create_index(
            f"ix_voucher_purchase_requests_{column}", "voucher_purchase_requests", [column]
        )
    op.create_index(
        "uq_voucher_purchase_requests_live_nonce",
        "voucher_purchase_requests",
        ["owner", "nonce"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )
    op.create_table(
        "voucher_product_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("terms_hash", HASH, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_voucher_product_terms"),
    )
    op.create_index(
        "uq_voucher_product_terms_token_hash",
        "voucher_product_terms",
        ["token", "terms_hash"],
        unique=True,
    )


def _index() -> None:
    big = sa.BigInteger
    op.create_table(
        "voucher_products",
        sa.Column("product_id", big(), autoincrement=False, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        *[
            sa.Column(name, big(), nullable=False)
            for name in (
                "price",
                "face_value",
                "stock",
                "sold",
                "per_user_limit",
                "sale_ends_at",
                "valid_until",
                "valid_days",
            )
        ],
        sa.Column("breakage", sa.Integer(), nullable=False),
        sa.Column("terms_hash", HASH, nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        *[
            sa.Column(name, big(), nullable=False)
            for name in ("redeemed", "expired", "listed_block", "listed_at")
        ],
        sa.PrimaryKeyConstraint("product_id", name="pk_voucher_products"),
    )
    op.create_index("ix_voucher_products_token", "voucher_products", ["token"])
    op.create_table(
        "voucher_vouchers",
        sa.Column("voucher_id", big(), autoincrement=False, nullable=False),
        sa.Column("product_id", big(), nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("purchase_id", HASH, nullable=False),
        sa.Column("expires_at", big(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_block", big(), nullable=False),
        sa.Column("issued_at", big(), nullable=False),
        sa.Column("closed_at", big(), nullable=True),
        sa.Column("redeemed_by", ADDRESS, nullable=True),
        sa.PrimaryKeyConstraint("voucher_id", name="pk_voucher_vouchers"),
    )
    op.create_index("ix_voucher_vouchers_owner", "voucher_vouchers", ["owner"])
    op.create_table(
        "voucher_purchases",
        sa.Column("purchase_id", HASH, nullable=False),
        sa.Column("product_id", big(), nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("pay_token", ADDRESS, nullable=False),
        sa.Column("points_in", big(), nullable=False),
        sa.Column("cash_amount", big(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("voucher_id", big(), nullable=True),
        sa.Column("cash_deadline", big(), nullable=True),
        sa.Column("payment_id", HASH, nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("block_number", big(), nullable=False),
        sa.PrimaryKeyConstraint("purchase_id", name="pk_voucher_purchases"),
    )
    op.create_index(
        "ix_voucher_purchases_owner_product", "voucher_purchases", ["owner", "product_id"]
    )
    op.create_table(
        "voucher_activity",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("product_id", big(), nullable=False),
        sa.Column("voucher_id", big(), nullable=True),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("value", big(), nullable=False),
        sa.Column("points", big(), nullable=False),
        sa.Column("cash", big(), nullable=False),
        *_event_key("voucher_activity"),
    )
    op.create_index("ix_voucher_activity_token_kind", "voucher_activity", ["token", "kind"])
    op.create_table(
        "voucher_payments",
        sa.Column("purchase_id", HASH, nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("from_token", ADDRESS, nullable=False),
        sa.Column("to_token", ADDRESS, nullable=False),
        sa.Column("nonce", UINT256, nullable=False),
        *[
            sa.Column(name, big(), nullable=False)
            for name in ("amount_in", "amount_out", "gross_value", "paid_to_target", "fee", "dust")
        ],
        sa.Column("relayer", ADDRESS, nullable=False),
        sa.Column("platform_payee", ADDRESS, nullable=False),
        *[
            sa.Column(name, big(), nullable=False)
            for name in (
                "platform_fee",
                "source_merchant_fee",
                "target_merchant_fee",
                "relayer_fee",
            )
        ],
        *_event_key("voucher_payments"),
    )
    op.create_index("ix_voucher_payments_owner", "voucher_payments", ["owner"])


def upgrade() -> None:
    _queue()
    _index()


def downgrade() -> None:
    for table in (
        "voucher_payments", "voucher_activity", "voucher_purchases", "voucher_vouchers",
        "voucher_products", "voucher_product_terms", "voucher_purchase_requests",
    ):  # fmt: skip
        op.drop_table(table)
