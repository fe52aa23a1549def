"""risk: rules at intake, interceptions and members' uses (issue 18.6).

A branch of its own (as ``webhooks``): the relayer's and members' tables are only read, and
``member_links`` gets an index by (merchant, address): intake looks up the members linked to
an order's owner, and without it that read walks every link of the merchant.

Revision ID: risk_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "risk_0001"
down_revision = "0000_base"
branch_labels = ("risk",)
depends_on = "members_0001"


def upgrade() -> None:
    op.create_table(
        "risk_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("max_count", sa.Integer(), nullable=False),
        sa.Column("window_seconds", sa.BigInteger(), nullable=False),
        sa.Column("max_amount", sa.BigInteger(), nullable=False),
        sa.Column("addresses", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_risk_rules"),
    )
    op.create_index("ix_risk_rules_merchant_token", "risk_rules", ["merchant_token"])
    op.create_table(
        "risk_interceptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(8), nullable=False),
        sa.Column("subject_hash", sa.String(66), nullable=False),
        sa.Column("owner", sa.String(42), nullable=False),
        sa.Column("from_token", sa.String(42), nullable=False),
        sa.Column("to_token", sa.String(42), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("reviewer_token", sa.String(42), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("reviewed_at", sa.Float(), nullable=True),
        sa.Column("reviewer", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_risk_interceptions"),
        sa.UniqueConstraint("subject_hash", "rule_id", name="uq_risk_interceptions_subject_rule"),
    )
    op.create_index(
        "ix_risk_interceptions_reviewer_outcome",
        "risk_interceptions",
        ["reviewer_token", "outcome"],
    )
    op.create_index(
        "ix_member_links_merchant_address", "member_links", ["merchant_token", "address"]
    )
    op.create_table(
        "risk_member_uses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("member_hash", sa.String(64), nullable=False),
        sa.Column("address", sa.String(42), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_risk_member_uses"),
    )
    op.create_index(
        "ix_risk_member_uses_member_at",
        "risk_member_uses",
        ["merchant_token", "member_hash", "at"],
    )


def downgrade() -> None:
    op.drop_index("ix_member_links_merchant_address", "member_links")
    op.drop_table("risk_member_uses")
    op.drop_table("risk_interceptions")
    op.drop_table("risk_rules")
