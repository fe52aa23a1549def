"""operations: operators with roles, the keys issued to them, the hash-chained operation log.

A branch of its own (as ``api`` and ``crosschain``); ``depends_on`` the ``api`` branch because
``operator_keys`` points at ``api_keys``.

Revision ID: operations_0001
Revises: 0000_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "operations_0001"
down_revision = "0000_base"
branch_labels = ("operations",)
depends_on = "api_0001"


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
    )
    op.create_index("ix_operators_merchant_token", "operators", ["merchant_token"])
    op.create_table(
        "operator_keys",
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name="fk_operator_keys_api_key_id_api_keys"
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name="fk_operator_keys_operator_id_operators"
        ),
        sa.PrimaryKeyConstraint("api_key_id", name="pk_operator_keys"),
    )
    op.create_index("ix_operator_keys_operator_id", "operator_keys", ["operator_id"])
    op.create_table(
        "operation_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("merchant_token", sa.String(42), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("request_digest", sa.String(64), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_operation_log"),
        sa.UniqueConstraint("hash", name="uq_operation_log_hash"),
    )
    op.create_index("ix_operation_log_merchant_token", "operation_log", ["merchant_token"])


def downgrade() -> None:
    op.drop_table("operation_log")
    op.drop_table("operator_keys")
    op.drop_table("operators")
