"""Freeze flags by authority and the issuer keys of each points token (issue 13).

``account_freezes`` keeps the merchant's and governance's freeze flags apart (a merchant key
can no longer lift a consortium freeze); ``merchant_issuers`` lists each token's issuer keys
in its current issuer epoch, so the merchant and governance can see (and revoke) them. Both
are latest-value tables rebuilt from ``events`` (``indexer.store``). They start empty: the
events they follow exist only on chains deployed with the contracts of issue 13.

Revision ID: 0103_freezes_issuers
Revises: 0102_address_form
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0103_freezes_issuers"
down_revision = "0102_address_form"
branch_labels = None
depends_on = None

ADDRESS = sa.String(42)


def upgrade() -> None:
    op.create_table(
        "account_freezes",
        sa.Column("token", ADDRESS, primary_key=True),
        sa.Column("account", ADDRESS, primary_key=True),
        sa.Column("by_merchant", sa.Boolean(), nullable=False),
        sa.Column("by_governance", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "merchant_issuers",
        sa.Column("token", ADDRESS, primary_key=True),
        sa.Column("issuer", ADDRESS, primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("merchant_issuers")
    op.drop_table("account_freezes")
