"""Read-side indexes of the indexer: each address's history, and running totals for statistics.

Before this revision ``/history`` searched every event's JSON arguments for the address and
``/stats`` summed every swap: both grew with the length of the log. ``address_events``,
``merchant_totals``, ``swap_users`` and ``index_totals`` are written by the projector with the
rows they summarise. A database that already holds events gets them by replaying its own
``events`` table once (``indexer.store.rebuild``, the same code a fresh index runs).

Revision ID: 0101_read_indexes
Revises: 0100_indexer
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.orm import Session

revision = "0101_read_indexes"
down_revision = "0100_indexer"
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)
AMOUNT = sa.BigInteger()
TOTALS = (
    "swaps_out", "points_out", "value_out", "fees_paid", "source_fees", "platform_fees",
    "relayer_fees", "swaps_in", "points_in", "value_in", "target_fees", "issues",
    "points_issued", "redemptions", "points_redeemed",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "address_events",
        sa.Column("address", ADDRESS, nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint(
            "address", "block_number", "log_index", name=op.f("pk_address_events")
        ),
    )
    op.create_index("ix_address_events_block_number", "address_events", ["block_number"])
    op.create_table(
        "merchant_totals",
        sa.Column("token", ADDRESS, nullable=False),
        *[sa.Column(name, AMOUNT, nullable=False) for name in TOTALS],
        sa.PrimaryKeyConstraint("token", name=op.f("pk_merchant_totals")),
    )
    op.create_table(
        "swap_users",
        sa.Column("token", ADDRESS, nullable=False),
        sa.Column("owner", ADDRESS, nullable=False),
        sa.Column("swaps", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("token", "owner", name=op.f("pk_swap_users")),
    )
    op.create_index("ix_swap_users_owner", "swap_users", ["owner"])
    op.create_table(
        "index_totals",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_index_totals")),
    )
    _fill_from_events()


def _fill_from_events() -> None:
    """A database indexed by an older version: derive the new tables from its own log.

    The replay runs today's projector, whose models match the newest schema; while a later
    revision of the branch is still to run, the columns it adds do not exist yet, so that
    revision replays instead (asked through ``config.attributes``, see 0102)."""
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
    for table in ("index_totals", "swap_users", "merchant_totals", "address_events"):
        op.drop_table(table)
