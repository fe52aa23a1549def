"""The risk tables: the configured rules, every interception (what it counts and what the
reviewers decide) and the uses of CRM members (for velocity per linked member).

Why a table of member uses rather than a count over the member's address: a member has one
linked address at a time, and re-linking moves it, so "orders of the member's address" would
forget what the member did from the address before; each accepted use is recorded with the
member it belonged to then. Rows are written only while a member-velocity rule is active.
Times are unix seconds (float), as the relayer's.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

# What became of an intercepted request.
HELD, REFUSED, RELEASED, REFUSED_ON_REVIEW = "held", "refused", "released", "refused_on_review"


class RiskRule(Base):
    """One rule; ``merchant_token`` NULL is a consortium-wide default."""

    __tablename__ = "risk_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str | None] = mapped_column(String(42), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    max_count: Mapped[int] = mapped_column(Integer, default=0)
    window_seconds: Mapped[int] = mapped_column(BigInteger, default=0)
    max_amount: Mapped[int] = mapped_column(Amount, default=0)
    addresses: Mapped[str] = mapped_column(Text, default="")  # comma-separated, checksummed
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    deleted_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class RiskInterception(Base):
    """A request (order or gift) that tripped a rule: counted per rule and day on the risk
    card; a held one waits here for its reviewer (the merchant ``reviewer_token``)."""

    __tablename__ = "risk_interceptions"
    __table_args__ = (
        UniqueConstraint("subject_hash", "rule_id", name="uq_risk_interceptions_subject_rule"),
        Index("ix_risk_interceptions_reviewer_outcome", "reviewer_token", "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(8))  # order | gift
    subject_hash: Mapped[str] = mapped_column(String(66))
    owner: Mapped[str] = mapped_column(String(42))
    from_token: Mapped[str] = mapped_column(String(42))
    to_token: Mapped[str] = mapped_column(String(42))  # a gift's token twice
    amount: Mapped[int] = mapped_column(Amount)
    rule_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    reviewer_token: Mapped[str] = mapped_column(String(42))
    day: Mapped[str] = mapped_column(String(10))  # UTC date, for the counts per day
    at: Mapped[float] = mapped_column(Float)
    reviewed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(40), nullable=True)  # key prefix


class RiskMemberUse(Base):
    """One accepted order or gift of an address linked to a CRM member of ``merchant_token``."""

    __tablename__ = "risk_member_uses"
    __table_args__ = (
        Index("ix_risk_member_uses_member_at", "merchant_token", "member_hash", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42))
    member_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(42))
    at: Mapped[float] = mapped_column(Float)
