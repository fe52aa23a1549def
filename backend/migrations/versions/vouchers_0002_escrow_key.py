"""vouchers: a purchase's escrow key (issue 16).

A points + cash purchase burns the user's earliest points into escrow; a refund mints them back
under that same expiry key (``exchangeMintWithKey``), and the index's expiry buckets must
follow. The key lives in the purchase's row because the refund may come many batches later.

Revision ID: vouchers_0002
Revises: vouchers_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "vouchers_0002"
down_revision = "vouchers_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voucher_purchases") as table:
        table.add_column(
            sa.Column("earliest_key", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("voucher_purchases") as table:
        table.drop_column("earliest_key")
