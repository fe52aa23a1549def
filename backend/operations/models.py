"""Tables of the operations part: ``operators``, ``operator_keys`` and ``operation_log``.

An operator is a named person of a merchant with one role; ``operator_keys`` links the
merchant API keys (``api_keys``, unchanged) issued to that person, so the key's scopes stay
the one thing the routes check. ``operation_log`` is append-only: ``seq`` is unique, so two
writers that read the same head cannot both append after it (the loser retries on the new
head) and the chain never forks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base
from ..merchant import models as _api_keys  # noqa: F401 - operator_keys points at api_keys


class Operator(Base):
    """A person acting for a merchant: admin, issuer, cashier or viewer."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OperatorKey(Base):
    """Which operator an API key was issued to (a key belongs to at most one operator)."""

    __tablename__ = "operator_keys"

    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)


class OpLogEntry(Base):
    """One action: who (``actor`` JSON), what, on what, the request's digest, the result,
    and the hash linking it to the entry before."""

    __tablename__ = "operation_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, hashed as written
    merchant_token: Mapped[str | None] = mapped_column(String(42), index=True, nullable=True)
    actor: Mapped[str] = mapped_column(Text)  # canonical JSON
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
