"""The index stores addresses in one form, and the database refuses any other shape.

An address is ``0x`` and 40 hex digits, EIP-55 checksummed (as every answer of the API shows
it). A CHECK constraint refuses anything else in shape (no ``0x``, padding, a wrong length, a
non-hex digit); the checksum itself needs keccak, which SQL does not have, so a lower-cased
address passes the database and is caught by ``tongdui audit --db``, which compares every
address exactly. The large log table ``events`` is left out (its ``contract`` is one of a
handful of platform addresses, compared exactly by the audit).

Revision ID: 0102_address_form
Revises: 0101_read_indexes
"""

from __future__ import annotations

from alembic import op

revision = "0102_address_form"
down_revision = "0101_read_indexes"
branch_labels = None
depends_on = None

ADDRESS_COLUMNS = {
    "balances": ("token", "holder"),
    "token_supplies": ("token",),
    "settlement_accounts": ("token",),
    "payee_credits": ("payee",),
    "merchants": ("token", "admin"),
    "order_counters": ("owner",),
    "swaps": ("owner", "from_token", "to_token", "relayer", "platform_payee"),
    "order_rejections": ("owner",),
    "used_nonces": ("owner",),
    "point_value_history": ("token",),
    "address_events": ("address",),
    "merchant_totals": ("token",),
    "swap_users": ("token", "owner"),
}


def address_shape(column: str, dialect: str) -> str:
    """SQL that is true when ``column`` is ``0x`` and 40 hex digits."""
    if dialect == "postgresql":
        return f"{column} ~ '^0x[0-9A-Fa-f]{{40}}$'"
    return (
        f"length({column}) = 42 AND substr({column}, 1, 2) = '0x' "
        f"AND substr({column}, 3) NOT GLOB '*[^0-9A-Fa-f]*'"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, columns in ADDRESS_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.create_check_constraint(
                    op.f(f"ck_{table}_{column}_address"), address_shape(column, dialect)
                )


def downgrade() -> None:
    for table, columns in ADDRESS_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_constraint(op.f(f"ck_{table}_{column}_address"), type_="check")
