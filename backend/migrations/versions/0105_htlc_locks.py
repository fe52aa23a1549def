"""Hashed timelocks of cross-chain swaps (issue 17).

``htlc_locks`` holds one row per ``HtlcLocked`` of the deployment's ``HashedTimelock``, with
its state, and the preimage once ``HtlcClaimed`` made it public. A latest-value table rebuilt
from ``events`` (``indexer.htlc``). It starts empty: its events exist only on chains deployed
with the HTLC of issue 17, and the indexer stores every event of the deployment's contracts.

When an earlier revision of this upgrade asked for a replay of the index (0101 fills its new
tables by running today's projector, which needs every later revision's tables), it happens
here, at the end; a later revision takes the request over the same way.

Revision ID: 0105_htlc_locks
Revises: 0104_governance_epochs
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.orm import Session

revision = "0105_htlc_locks"
down_revision = "0104_governance_epochs"
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)
HASH = sa.String(66)


def upgrade() -> None:
    op.create_table(
        "htlc_locks",
        sa.Column("lock_id", HASH, primary_key=True),
        sa.Column("htlc", ADDRESS, nullable=False),
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("sender", ADDRESS, nullable=False),
        sa.Column("receiver", ADDRESS, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("hashlock", HASH, nullable=False),
        sa.Column("timelock", sa.BigInteger(), nullable=False),
        sa.Column("counterpart_timelock", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("preimage", HASH, nullable=True),
        sa.Column("locked_block", sa.BigInteger(), nullable=False),
        sa.Column("locked_tx", HASH, nullable=False),
        sa.Column("locked_at", sa.BigInteger(), nullable=False),
        sa.Column("settled_block", sa.BigInteger(), nullable=True),
        sa.Column("settled_tx", HASH, nullable=True),
        sa.Column("settled_at", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_htlc_locks_sender", "htlc_locks", ["sender"])
    op.create_index("ix_htlc_locks_receiver", "htlc_locks", ["receiver"])
    op.create_index("ix_htlc_locks_hashlock", "htlc_locks", ["hashlock"])
    if context.config.attributes.pop("tongdui_replay_index", False):
        _replay_index()


def _replay_index() -> None:
    """Derives every table from the database's own ``events`` log (as 0101 would have)."""
    heads = context.get_head_revisions() or ()
    if revision not in ((heads,) if isinstance(heads, str) else heads):
        context.config.attributes["tongdui_replay_index"] = True
        return
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM events LIMIT 1")).first() is None:
        return
    # Imported by name at run time: Alembic runs this file as a script, outside the package.
    store = importlib.import_module("tongdui.indexer.store")
    with Session(bind=bind) as session:
        store.rebuild(session)
        session.flush()


def downgrade() -> None:
    op.drop_index("ix_htlc_locks_hashlock", table_name="htlc_locks")
    op.drop_index("ix_htlc_locks_receiver", table_name="htlc_locks")
    op.drop_index("ix_htlc_locks_sender", table_name="htlc_locks")
    op.drop_table("htlc_locks")
