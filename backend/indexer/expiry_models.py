"""The indexer's tables of points expiry (issue 16): every holder's buckets by expiry key and
each token's rule, as PointsToken keeps them (``expiry_buckets`` projects them).

Both are running state rebuilt from ``events`` alone: on a reorg ``expiry_buckets.replay``
recomputes them from the remaining ``ExpiryRuleChanged``, ``Transfer`` and ``PointsExpired``
events (FIFO keys cannot be undone by subtraction). Migration ``expiry_0001``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

ADDRESS = String(42)


class ExpiryBucket(Base):
    """``amount`` points of ``token`` held by ``holder`` under expiry key ``key`` (a UTC month
    index; 65535 never expires), expired ones included until swept: ``bucketsOf``."""

    __tablename__ = "expiry_buckets"
    __table_args__ = (Index("ix_expiry_buckets_holder", "holder"),)

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    holder: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[int] = mapped_column(Amount)


class ExpiryRule(Base):
    """A token's expiry rule (``ExpiryRuleChanged``); no row: the default, never expires."""

    __tablename__ = "expiry_rules"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    validity_months: Mapped[int] = mapped_column(Integer)
    rounding_months: Mapped[int] = mapped_column(Integer)
    block_number: Mapped[int] = mapped_column(BigInteger)


EXPIRY_TABLES = (ExpiryBucket, ExpiryRule)
