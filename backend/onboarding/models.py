"""Tables of the onboarding review: ``onboarding_applications`` and ``consortium_keys``.

An application keeps what the business gave (off chain only) and the review's outcome; the
applicant's reference token is stored as its SHA-256 only, as API keys are. A consortium key
(``tdc_<prefix>_<secret>``) is a reviewer's credential, bound to the member whose chain key the
backend proposes with; only its hash is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base


class OnboardingApplication(Base):
    """One business's application and, once reviewed, who decided what and when."""

    __tablename__ = "onboarding_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending|approved|rejected
    # off chain only: who the business is and how to reach it
    company_name: Mapped[str] = mapped_column(String(200))
    licence_number: Mapped[str] = mapped_column(String(18))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(32))
    # what the governance proposal would carry (admitMerchant's arguments)
    program_name: Mapped[str] = mapped_column(String(64))
    symbol: Mapped[str] = mapped_column(String(11))
    admin: Mapped[str] = mapped_column(String(42))
    issuance_cap: Mapped[str] = mapped_column(String(78))  # uint256 as decimal text
    point_value: Mapped[str] = mapped_column(String(78))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the review
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reviewer_member: Mapped[str | None] = mapped_column(String(42), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    proposal_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    proposal_tx: Mapped[str | None] = mapped_column(String(66), nullable=True)


class ConsortiumKey(Base):
    """A reviewer's key: which member it acts for, a name to recognise it by, revoked or not."""

    __tablename__ = "consortium_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    member: Mapped[str] = mapped_column(String(42))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
