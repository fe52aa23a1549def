"""Governance epochs and deadlines, attested block hashes (issue 13).

``ConsortiumGovernance`` now gives proposals a deadline (voting period), counts votes only in
the configuration epoch they were cast in, and cancels by a majority's cancel votes;
``AttestationRegistry`` records the attested block's hash. The index keeps each proposal's
deadline and cancel votes, each vote's epoch, and each attestation's block hash. Rows of an
older deployment keep NULL there: their events never carried these values.

When an earlier revision of this upgrade asked for a replay of the index (0101 fills its new
tables by running today's projector, which needs this revision's columns), it happens here,
at the end; a later revision takes the request over the same way.

Revision ID: 0104_governance_epochs
Revises: 0103_freezes_issuers
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.orm import Session

revision = "0104_governance_epochs"
down_revision = "0103_freezes_issuers"
branch_labels = None
depends_on = None

HASH = sa.String(66)


def upgrade() -> None:
    with op.batch_alter_table("governance_proposals") as table:
        table.add_column(sa.Column("deadline", sa.BigInteger(), nullable=True))
        table.add_column(
            sa.Column("cancel_votes", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("governance_votes") as table:
        table.add_column(sa.Column("epoch", sa.Integer(), nullable=True))
    with op.batch_alter_table("attestations") as table:
        table.add_column(sa.Column("attested_block_hash", HASH, nullable=True))
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
    with op.batch_alter_table("attestations") as table:
        table.drop_column("attested_block_hash")
    with op.batch_alter_table("governance_votes") as table:
        table.drop_column("epoch")
    with op.batch_alter_table("governance_proposals") as table:
        table.drop_column("cancel_votes")
        table.drop_column("deadline")
