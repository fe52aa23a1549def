"""Points expiry (issue 16): ``expiry_buckets`` (every holder's points by expiry key) and
``expiry_rules`` (each token's rule), running state of the indexer rebuilt from ``events``.

Its own branch, after the indexer's tables (``depends_on`` 0105): an index made before expiry
holds only points that never expire, so the buckets are filled from its ``Transfer`` events
here (key 65535 for all of them), and the API answers for old holders at once. A replay of
the whole index an earlier revision asked for is run here (see 0105).

Revision ID: expiry_0001
Revises: 0000_base
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.orm import Session

revision = "expiry_0001"
down_revision = "0000_base"
branch_labels = ("expiry",)
depends_on = "0105_htlc_locks"

ADDRESS = sa.String(42)


def upgrade() -> None:
    op.create_table(
        "expiry_buckets",
        sa.Column("token", ADDRESS, primary_key=True),
        sa.Column("holder", ADDRESS, primary_key=True),
        sa.Column("key", sa.Integer(), primary_key=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_expiry_buckets_holder", "expiry_buckets", ["holder"])
    op.create_table(
        "expiry_rules",
        sa.Column("token", ADDRESS, primary_key=True),
        sa.Column("validity_months", sa.Integer(), nullable=False),
        sa.Column("rounding_months", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
    )
    # A replay of the whole index asked by an earlier revision (0101, 0105: this revision
    # depends on 0105, so that one is no longer a head) is taken over here, as 0105 does.
    whole = context.config.attributes.pop("tongdui_replay_index", False)
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM events LIMIT 1")).first() is None:
        return
    # Imported by name at run time: Alembic runs this file as a script, outside the package.
    if whole:
        store = importlib.import_module("tongdui.indexer.store")
        with Session(bind=bind) as session:
            store.rebuild(session)
            session.flush()
        return
    buckets = importlib.import_module("tongdui.indexer.expiry_buckets")
    with Session(bind=bind) as session:
        buckets.replay(session)
        session.flush()


def downgrade() -> None:
    op.drop_table("expiry_rules")
    op.drop_index("ix_expiry_buckets_holder", table_name="expiry_buckets")
    op.drop_table("expiry_buckets")
