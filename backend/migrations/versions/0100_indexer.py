"""Indexer tables: the event log with its checkpoint, and the state derived from it.

Revision ID: 0100_indexer
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_indexer"
down_revision = "0000_base"
branch_labels = ("indexer",)
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)
UINT256 = sa.String(78)
AMOUNT = sa.BigInteger()


def _event_key(table: str) -> list[sa.schema.SchemaItem]:
    """Columns and primary key of rows made by one event (deleted above a reorg's ancestor)."""
    return [
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f(f"pk_{table}")),
    ]


def _log_tables() -> None:
    op.create_table(
        "index_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", HASH, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_checkpoint")),
    )
    op.create_table(
        "indexed_blocks",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", HASH, nullable=False),
        sa.PrimaryKeyConstraint("block_number", name=op.f("pk_indexed_blocks")),
    )
    op.create_table(
        "events",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_hash", HASH, nullable=False),
        sa.Column("block_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", HASH, nullable=False),
        sa.Column("tx_index", sa.Integer(), nullable=False),
        sa.Column("contract", ADDRESS, nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_events")),
    )
    op.create_index("ix_events_contract_event", "events", ["contract", "event"])
    op.create_index("ix_events_event", "events", ["event"])
    op.create_index("ix_events_tx_hash", "events", ["tx_hash"])


def _sum_tables() -> None:
    op.create_table(
        "balances",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("holder", ADDRESS, nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("token", "holder", name=op.f("pk_balances")),
    )
    op.create_index("ix_balances_holder", "balances", ["holder"])
    op.create_table(
        "token_supplies",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("minted", AMOUNT, nullable=False),
        sa.Column("burned", AMOUNT, nullable=False),
        sa.Column("supply", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_token_supplies")),
    )
    op.create_table(
        "settlement_accounts",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("settlement_balance", AMOUNT, nullable=False),
        sa.Column("fee_credit", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_settlement_accounts")),
    )
    op.create_table(
        "payee_credits",
        sa.Column("payee", ADDRESS, nullable=False),
        sa.Column("credit", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("payee", name=op.f("pk_payee_credits")),
    )


def _latest_value_tables() -> None:
    op.create_table(
        "merchants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("symbol", sa.String(64), nullable=False),
        sa.Column("admin", ADDRESS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("market_active", sa.Boolean(), nullable=False),
        sa.Column("point_value", AMOUNT, nullable=False),
        sa.Column("issuance_cap", AMOUNT, nullable=False),
        sa.Column("issuance_suspended", sa.Boolean(), nullable=False),
        sa.Column("admitted_block", sa.BigInteger(), nullable=False),
        sa.Column("admitted_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchants")),
        sa.UniqueConstraint("token", name=op.f("uq_merchants_token")),
    )
    op.create_table(
        "order_counters",
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("counter", UINT256, nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_order_counters")),
    )
    op.create_table(
        "platform_parameters",
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_platform_parameters")),
    )
    op.create_table(
        "governance_members",
        sa.Column("member", ADDRESS, nullable=False),
        sa.Column("added_block", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("member", name=op.f("pk_governance_members")),
    )
    op.create_table(
        "governance_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposer", ADDRESS, nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("calls", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approvals", sa.Integer(), nullable=False),
        sa.Column("created_block", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("closed_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_proposals")),
    )


def _event_keyed_tables() -> None:
    op.create_table(
        "swaps",
        sa.Column("order_hash", HASH, nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("from_token", ADDRESS, nullable=False),
        sa.Column("to_token", ADDRESS, nullable=False),
        sa.Column("nonce", UINT256, nullable=False),
        *[
            sa.Column(name, AMOUNT, nullable=False)
            for name in ("amount_in", "amount_out", "gross_value", "paid_to_target", "fee", "dust")
        ],
        sa.Column("relayer", ADDRESS, nullable=False),
        sa.Column("platform_payee", ADDRESS, nullable=False),
        *[
            sa.Column(name, AMOUNT, nullable=False)
            for name in (
                "platform_fee",
                "source_merchant_fee",
                "target_merchant_fee",
                "relayer_fee",
            )
        ],
        *_event_key("swaps"),
        sa.UniqueConstraint("order_hash", name=op.f("uq_swaps_order_hash")),
    )
    op.create_index("ix_swaps_owner", "swaps", ["owner"])
    op.create_index("ix_swaps_from_token", "swaps", ["from_token"])
    op.create_index("ix_swaps_to_token", "swaps", ["to_token"])
    op.create_table(
        "order_rejections",
        sa.Column("order_hash", HASH, nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("nonce", UINT256, nullable=False),
        sa.Column("reason", sa.String(10), nullable=False),
        sa.Column("reason_code", sa.String(64), nullable=False),
        *_event_key("order_rejections"),
    )
    op.create_index("ix_order_rejections_order_hash", "order_rejections", ["order_hash"])
    op.create_table(
        "used_nonces",
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("word", UINT256, nullable=False),
        sa.Column("mask", HASH, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        *_event_key("used_nonces"),
    )
    op.create_index("ix_used_nonces_owner_word", "used_nonces", ["owner", "word"])
    op.create_table(
        "point_value_history",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("old_value", AMOUNT, nullable=True),
        sa.Column("new_value", AMOUNT, nullable=False),
        *_event_key("point_value_history"),
    )
    op.create_index("ix_point_value_history_token", "point_value_history", ["token"])
    op.create_table(
        "governance_votes",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member", ADDRESS, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        *_event_key("governance_votes"),
    )
    op.create_index("ix_governance_votes_proposal_id", "governance_votes", ["proposal_id"])
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auditor", ADDRESS, nullable=False),
        sa.Column("attested_block", sa.BigInteger(), nullable=False),
        sa.Column("history_digest", HASH, nullable=False),
        sa.Column("report_hash", HASH, nullable=False),
        *_event_key("attestations"),
        sa.UniqueConstraint("id", name=op.f("uq_attestations_id")),
    )


TABLES = [
    "attestations",
    "governance_votes",
    "point_value_history",
    "used_nonces",
    "order_rejections",
    "swaps",
    "governance_proposals",
    "governance_members",
    "platform_parameters",
    "order_counters",
    "merchants",
    "payee_credits",
    "settlement_accounts",
    "token_supplies",
    "balances",
    "events",
    "indexed_blocks",
    "index_checkpoint",
]


def upgrade() -> None:
    _log_tables()
    _sum_tables()
    _latest_value_tables()
    _event_keyed_tables()


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
