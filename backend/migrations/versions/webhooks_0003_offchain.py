"""webhooks: the cursor of off-chain events (orders rejected) and the index it reads by
(issue 18.6).

``order.rejected`` is made from the relayer's own rows, not from the index: an order rejected
before it reached the chain (expired in the queue, cancelled, refused by a reviewer) has no
log. The outbox reads rejected orders by when they changed, from this cursor on.

Revision ID: webhooks_0002
Revises: webhooks_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "webhooks_0003"
down_revision = "webhooks_0002"
branch_labels = None
depends_on = "relayer_0001"


def upgrade() -> None:
    op.create_table(
        "webhook_offchain_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_offchain_cursor"),
    )
    op.create_index("ix_relayer_orders_state_updated", "relayer_orders", ["state", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_relayer_orders_state_updated", "relayer_orders")
    op.drop_table("webhook_offchain_cursor")
