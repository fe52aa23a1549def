"""webhooks: an endpoint's delivery lease, so one worker delivers to it at a time.

Deliveries to different endpoints run in parallel (a thread pool per deliverer, and possibly
several deliverers on one PostgreSQL database); ``lease_owner`` and ``lease_until`` are taken
by one conditional ``UPDATE`` before a worker sends anything to the endpoint, so an endpoint's
events never race each other out of order.

Revision ID: webhooks_0002
Revises: webhooks_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "webhooks_0002"
down_revision = "webhooks_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as table:
        table.add_column(sa.Column("lease_owner", sa.String(80), nullable=True))
        table.add_column(sa.Column("lease_until", sa.Float(), nullable=True))
    op.create_index(
        "ix_webhook_deliveries_state_finished", "webhook_deliveries", ["state", "finished_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_state_finished", "webhook_deliveries")
    with op.batch_alter_table("webhook_endpoints") as table:
        table.drop_column("lease_until")
        table.drop_column("lease_owner")
