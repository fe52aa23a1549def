"""payments: payment orders of points + cash purchases, the notifications received, and the
sweeper's cursor of VoucherBook events (issue 16).

A branch of its own: the relayer's tables are written through its request queue, never
altered here.

Revision ID: payments_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "payments_0001"
down_revision = "0000_base"
branch_labels = ("payments",)
depends_on = "relayer_0001"


def upgrade() -> None:
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.String(66), nullable=False),
        sa.Column("purchase_id", sa.String(66), nullable=False),
        sa.Column("owner", sa.String(42), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("pay_url", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("notice_paid", sa.Boolean(), nullable=True),
        sa.Column("notice_signer", sa.String(42), nullable=True),
        sa.Column("notice_signature", sa.String(200), nullable=True),
        sa.Column("request_hash", sa.String(66), nullable=True),
        sa.Column("refund_state", sa.String(16), nullable=True),
        sa.Column("refund_reason", sa.String(32), nullable=True),
        sa.Column("settled", sa.String(16), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payment_orders"),
        sa.UniqueConstraint("payment_id", name="uq_payment_orders_payment_id"),
        sa.UniqueConstraint("purchase_id", name="uq_payment_orders_purchase_id"),
    )
    op.create_index("ix_payment_orders_owner", "payment_orders", ["owner"])
    op.create_index("ix_payment_orders_state", "payment_orders", ["state"])
    op.create_table(
        "payment_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.String(66), nullable=False),
        sa.Column("notify_id", sa.String(80), nullable=False),
        sa.Column("signer", sa.String(42), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.Float(), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payment_notices"),
    )
    op.create_index("ix_payment_notices_payment_id", "payment_notices", ["payment_id"])
    op.create_table(
        "payment_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payment_cursor"),
    )


def downgrade() -> None:
    op.drop_table("payment_cursor")
    op.drop_index("ix_payment_notices_payment_id", "payment_notices")
    op.drop_table("payment_notices")
    op.drop_index("ix_payment_orders_state", "payment_orders")
    op.drop_index("ix_payment_orders_owner", "payment_orders")
    op.drop_table("payment_orders")
