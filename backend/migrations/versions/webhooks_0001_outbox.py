"""webhooks: endpoints, the outbox of final events, deliveries and attempts (issue 18).

A branch of its own (as ``crosschain``): the index's tables are only read.

Revision ID: webhooks_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "webhooks_0001"
down_revision = "0000_base"
branch_labels = ("webhooks",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.String(400), nullable=False),
        sa.Column("secret", sa.String(80), nullable=False),
        sa.Column("previous_secret", sa.String(80), nullable=True),
        sa.Column("previous_valid_until", sa.Float(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("from_block", sa.BigInteger(), nullable=False),
        sa.Column("disabled_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
    )
    op.create_index("ix_webhook_endpoints_merchant_token", "webhook_endpoints", ["merchant_token"])
    op.create_table(
        "webhook_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_hash", sa.String(66), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("reverses", sa.String(80), nullable=True),
        sa.Column("reversed_by", sa.String(80), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_webhook_events"),
        sa.UniqueConstraint("event_id", name="uq_webhook_events_event_id"),
    )
    op.create_index("ix_webhook_events_block", "webhook_events", ["block_number"])
    op.create_index("ix_webhook_events_merchant_token", "webhook_events", ["merchant_token"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Float(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("first_attempt_at", sa.Float(), nullable=True),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.UniqueConstraint(
            "endpoint_id", "event_seq", name="uq_webhook_deliveries_endpoint_event"
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_state",
        "webhook_deliveries",
        ["endpoint_id", "state", "event_seq"],
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
    )
    op.create_index("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id"])
    op.create_table(
        "webhook_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", sa.String(66), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_cursor"),
    )


def downgrade() -> None:
    for table in (
        "webhook_cursor",
        "webhook_attempts",
        "webhook_deliveries",
        "webhook_events",
        "webhook_endpoints",
    ):
        op.drop_table(table)
