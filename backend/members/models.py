"""The ``member_links`` and ``member_erasures`` tables.

A link row holds the HMAC of the member id (never the id itself) and the wallet address. An
erasure row records that a merchant erased links, and when: it holds neither the member id nor
its hash, so the log itself is no trace of the member.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base


class MemberLink(Base):
    """One member of one merchant: HMAC-SHA256 of the member id → wallet address."""

    __tablename__ = "member_links"
    __table_args__ = (
        UniqueConstraint("merchant_token", "member_hash"),
        Index("ix_member_links_merchant_address", "merchant_token", "address"),  # risk_0001
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    member_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(42))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MemberErasure(Base):
    """The log of erasures on request: which merchant, when, how many links went."""

    __tablename__ = "member_erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    links_erased: Mapped[int] = mapped_column(Integer)
