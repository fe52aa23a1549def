"""The ``api_keys`` table: one row per merchant API key, never the key itself.

A key is ``tdk_<prefix>_<secret>``. The prefix finds the row without scanning; only the SHA-256
of the whole key is stored (the secret is 256 random bits, so a fast hash is enough: there is
nothing to brute-force that a slow KDF would protect). The plaintext is shown once, at creation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base


class ApiKey(Base):
    """A merchant's API key: which merchant (its points token), what it may do, whether revoked."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(64))  # comma-separated, sorted
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)
