"""relayer: the gas each logged transaction reserves, for the in-flight budget.

The key pool keeps the reserved gas (signed gas limit) of all in-flight transactions within
what the next blocks hold (``relayer.gas_budget``), and sums it in one query: so the limit is
a column, not decoded from ``raw_tx`` on every pick. In-flight rows logged before this revision
get it from their raw transaction (RLP: a legacy transaction's third field, EIP-2930's fourth
and EIP-1559's fifth after the type byte); the others are never summed again, and a long log of
mined rows would only slow the upgrade down.

Revision ID: relayer_0002
Revises: relayer_0001
"""

from __future__ import annotations

import rlp  # type: ignore[import-untyped]  # eth-account depends on it; it has no types
import sqlalchemy as sa
from alembic import op

revision = "relayer_0002"
down_revision = "relayer_0001"
branch_labels = None
depends_on = None

GAS_FIELD = {1: 3, 2: 4}  # typed transaction → index of its gas limit; legacy: 2


def gas_of(raw_hex: str) -> int:
    raw = bytes.fromhex(raw_hex.removeprefix("0x"))
    if raw and raw[0] < 0x7F:
        fields = rlp.decode(raw[1:])
        return int.from_bytes(fields[GAS_FIELD[raw[0]]], "big")
    return int.from_bytes(rlp.decode(raw)[2], "big")


def upgrade() -> None:
    op.add_column("relayer_transactions", sa.Column("gas_limit", sa.BigInteger(), nullable=True))
    connection = op.get_bind()
    table = sa.table(
        "relayer_transactions",
        sa.column("id", sa.Integer()),
        sa.column("raw_tx", sa.Text()),
        sa.column("state", sa.String()),
        sa.column("gas_limit", sa.BigInteger()),
    )
    in_flight = table.c.state.in_(("signed", "sent"))
    rows = connection.execute(sa.select(table.c.id, table.c.raw_tx).where(in_flight)).all()
    for row_id, raw in rows:
        connection.execute(table.update().where(table.c.id == row_id).values(gas_limit=gas_of(raw)))


def downgrade() -> None:
    with op.batch_alter_table("relayer_transactions") as batch:
        batch.drop_column("gas_limit")
