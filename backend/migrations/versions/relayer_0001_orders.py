"""relayer: orders, the write-ahead transaction log, and signed requests (gifts, cancels).

Revision ID: relayer_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "relayer_0001"
down_revision = "0000_base"
branch_labels = ("relayer",)
depends_on = None

PENDING = "state IN ('received', 'submitted')"


def upgrade() -> None:
    op.create_table(
        "relayer_transactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(42), nullable=False),
        sa.Column("nonce", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("raw_tx", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("gas_used", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("sent_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_relayer_transactions"),
        sa.UniqueConstraint("tx_hash", name="uq_relayer_transactions_tx_hash"),
    )
    op.create_index("ix_relayer_transactions_state", "relayer_transactions", ["state"])
    op.create_index(
        "ix_relayer_transactions_sender_nonce", "relayer_transactions", ["sender", "nonce"]
    )

    op.create_table(
        "relayer_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_hash", sa.String(66), nullable=False),
        sa.Column("owner", sa.String(42), nullable=False),
        sa.Column("from_token", sa.String(42), nullable=False),
        sa.Column("to_token", sa.String(42), nullable=False),
        sa.Column("amount_in", sa.BigInteger(), nullable=False),
        sa.Column("min_amount_out", sa.BigInteger(), nullable=False),
        sa.Column("nonce", sa.String(78), nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("quoted_gross", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("tx_id", sa.Integer(), nullable=True),
        sa.Column("tx_hash", sa.String(66), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("amount_out", sa.BigInteger(), nullable=True),
        sa.Column("fee", sa.BigInteger(), nullable=True),
        sa.Column("gross_value", sa.BigInteger(), nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("reason_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relayer_orders"),
        sa.UniqueConstraint("order_hash", name="uq_relayer_orders_order_hash"),
        sa.ForeignKeyConstraint(
            ["tx_id"],
            ["relayer_transactions.id"],
            name="fk_relayer_orders_tx_id_relayer_transactions",
        ),
    )
    op.create_index("ix_relayer_orders_owner", "relayer_orders", ["owner"])
    op.create_index("ix_relayer_orders_state", "relayer_orders", ["state"])
    op.create_index("ix_relayer_orders_tx_id", "relayer_orders", ["tx_id"])
    op.create_index(
        "uq_relayer_orders_pending_nonce",
        "relayer_orders",
        ["owner", "nonce"],
        unique=True,
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )

    op.create_table(
        "relayer_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_hash", sa.String(66), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(42), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("tx_id", sa.Integer(), nullable=True),
        sa.Column("tx_hash", sa.String(66), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("reason_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relayer_requests"),
        sa.UniqueConstraint("request_hash", name="uq_relayer_requests_request_hash"),
        sa.ForeignKeyConstraint(
            ["tx_id"],
            ["relayer_transactions.id"],
            name="fk_relayer_requests_tx_id_relayer_transactions",
        ),
    )
    op.create_index("ix_relayer_requests_owner", "relayer_requests", ["owner"])
    op.create_index("ix_relayer_requests_state", "relayer_requests", ["state"])
    op.create_index("ix_relayer_requests_tx_id", "relayer_requests", ["tx_id"])


def downgrade() -> None:
    op.drop_table("relayer_requests")
    op.drop_table("relayer_orders")
    op.drop_table("relayer_transactions")
