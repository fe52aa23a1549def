"""members: an index for the bulk worker's next chunk (its job's pending rows in order).

The worker asks for ``job_id = ? AND state = 'pending' ORDER BY id LIMIT 200``; SQLite chose
``ix_bulk_rows_job_id`` and walked every row of the job already issued to find the pending ones,
so each chunk cost more than the one before (≈0.1–0.2 s per chunk with 90,000 of 100,000 rows
done, on the shared 2-core machine). ``(job_id, state, id)`` answers it from the first pending
row.

Revision ID: members_0002
Revises: members_0001
"""

from __future__ import annotations

from alembic import op

revision = "members_0002"
down_revision = "members_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_bulk_rows_job_state_id", "bulk_rows", ["job_id", "state", "id"])


def downgrade() -> None:
    op.drop_index("ix_bulk_rows_job_state_id", table_name="bulk_rows")
