"""crosschain: the coordinator's swaps and its write-ahead transaction log (issue 17).

A branch of its own (as ``relayer`` and ``api``): these tables belong to the coordinator and
touch nothing the index replays, so they need no place in the index's chain of revisions.

Revision ID: crosschain_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crosschain_0001"
down_revision = "0000_base"
branch_labels = ("crosschain",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crosschain_swaps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hashlock", sa.String(66), nullable=False),
        sa.Column("quote_id", sa.String(66), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("user", sa.String(42), nullable=False),
        sa.Column("bridge_a", sa.String(42), nullable=False),
        sa.Column("bridge_b", sa.String(42), nullable=False),
        sa.Column("chain_a", sa.BigInteger(), nullable=False),
        sa.Column("chain_b", sa.BigInteger(), nullable=False),
        sa.Column("htlc_a", sa.String(42), nullable=False),
        sa.Column("htlc_b", sa.String(42), nullable=False),
        sa.Column("token_a", sa.String(42), nullable=False),
        sa.Column("token_b", sa.String(42), nullable=False),
        sa.Column("amount_a", sa.BigInteger(), nullable=False),
        sa.Column("amount_b", sa.BigInteger(), nullable=False),
        sa.Column("timelock_a", sa.BigInteger(), nullable=False),
        sa.Column("timelock_b", sa.BigInteger(), nullable=False),
        sa.Column("lock_id_a", sa.String(66), nullable=False),
        sa.Column("lock_id_b", sa.String(66), nullable=False),
        sa.Column("lock_deadline", sa.BigInteger(), nullable=False),
        sa.Column("lock_signature", sa.String(200), nullable=False),
        sa.Column("permit", sa.Text(), nullable=False),
        sa.Column("preimage", sa.String(66), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crosschain_swaps"),
        sa.UniqueConstraint("hashlock", name="uq_crosschain_swaps_hashlock"),
        sa.UniqueConstraint("quote_id", name="uq_crosschain_swaps_quote_id"),
    )
    op.create_index("ix_crosschain_swaps_state", "crosschain_swaps", ["state"])
    op.create_index("ix_crosschain_swaps_user", "crosschain_swaps", ["user"])
    op.create_index("ix_crosschain_swaps_lock_id_a", "crosschain_swaps", ["lock_id_a"])
    op.create_index("ix_crosschain_swaps_lock_id_b", "crosschain_swaps", ["lock_id_b"])
    op.create_table(
        "crosschain_transactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("swap_id", sa.Integer(), nullable=True),
        sa.Column("chain", sa.String(1), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(42), nullable=False),
        sa.Column("nonce", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("raw_tx", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["swap_id"],
            ["crosschain_swaps.id"],
            name="fk_crosschain_transactions_swap_id_crosschain_swaps",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_crosschain_transactions"),
        sa.UniqueConstraint("tx_hash", name="uq_crosschain_transactions_tx_hash"),
    )
    op.create_index("ix_crosschain_transactions_swap_id", "crosschain_transactions", ["swap_id"])
    op.create_index("ix_crosschain_transactions_state", "crosschain_transactions", ["state"])
    op.create_index(
        "ix_crosschain_transactions_chain_sender_nonce",
        "crosschain_transactions",
        ["chain", "sender", "nonce"],
    )


def downgrade() -> None:
    op.drop_table("crosschain_transactions")
    op.drop_table("crosschain_swaps")
