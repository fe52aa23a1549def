"""onboarding: applications to join (off-chain details, the review's outcome) and consortium
reviewers' keys (stored hashed).

A branch of its own, as every feature's.

Revision ID: onboarding_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "onboarding_0001"
down_revision = "0000_base"
branch_labels = ("onboarding",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboarding_applications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("company_name", sa.String(200), nullable=False),
        sa.Column("licence_number", sa.String(18), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("program_name", sa.String(64), nullable=False),
        sa.Column("symbol", sa.String(11), nullable=False),
        sa.Column("admin", sa.String(42), nullable=False),
        sa.Column("issuance_cap", sa.String(78), nullable=False),
        sa.Column("point_value", sa.String(78), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("reviewer_member", sa.String(42), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("proposal_id", sa.BigInteger(), nullable=True),
        sa.Column("proposal_tx", sa.String(66), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_onboarding_applications"),
        sa.UniqueConstraint("reference_hash", name="uq_onboarding_applications_reference_hash"),
    )
    op.create_index("ix_onboarding_applications_status", "onboarding_applications", ["status"])
    op.create_table(
        "consortium_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("member", sa.String(42), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consortium_keys"),
        sa.UniqueConstraint("prefix", name="uq_consortium_keys_prefix"),
    )


def downgrade() -> None:
    op.drop_table("consortium_keys")
    op.drop_table("onboarding_applications")
