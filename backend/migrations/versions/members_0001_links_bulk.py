"""members: CRM member links, erasure log, bulk issuance jobs and rows, idempotency keys
(issue 18).

A branch of its own (as ``crosschain``): these tables belong to the merchant back office and
touch nothing the index replays.

Revision ID: members_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "members_0001"
down_revision = "0000_base"
branch_labels = ("members",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("member_hash", sa.String(64), nullable=False),
        sa.Column("address", sa.String(42), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_links")),
        sa.UniqueConstraint(
            "merchant_token", "member_hash", name=op.f("uq_member_links_merchant_token")
        ),
    )
    op.create_index(op.f("ix_member_links_merchant_token"), "member_links", ["merchant_token"])
    op.create_table(
        "member_erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("links_erased", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_erasures")),
    )
    op.create_index(
        op.f("ix_member_erasures_merchant_token"), "member_erasures", ["merchant_token"]
    )
    op.create_table(
        "bulk_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_jobs")),
    )
    op.create_index(op.f("ix_bulk_jobs_merchant_token"), "bulk_jobs", ["merchant_token"])
    op.create_table(
        "bulk_rows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("address", sa.String(42), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=True),
        sa.Column("nonce", sa.BigInteger(), nullable=True),
        sa.Column("raw_tx", sa.Text(), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error", sa.String(300), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["bulk_jobs.id"], name=op.f("fk_bulk_rows_job_id_bulk_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_rows")),
        sa.UniqueConstraint(
            "merchant_token", "idempotency_key", name=op.f("uq_bulk_rows_merchant_token")
        ),
    )
    op.create_index(op.f("ix_bulk_rows_job_id"), "bulk_rows", ["job_id"])
    op.create_index(op.f("ix_bulk_rows_state"), "bulk_rows", ["state"])
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint(
            "merchant_token", "key", name=op.f("uq_idempotency_keys_merchant_token")
        ),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("bulk_rows")
    op.drop_table("bulk_jobs")
    op.drop_table("member_erasures")
    op.drop_table("member_links")
