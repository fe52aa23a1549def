"""The webhook tables: endpoints, the outbox of events, one delivery per (endpoint, event)
and each delivery's attempts. Their own alembic branch (``webhooks``): nothing here is
replayed by the audit, and the index's tables are only read.

Secrets are stored in the clear because an HMAC secret must be usable to sign; they are
protected as the database is (its file mode / its role's grants) and never served again
after the answer that created or rotated them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[str] = mapped_column(String(400))  # comma-separated, sorted
    secret: Mapped[str] = mapped_column(String(80))
    previous_secret: Mapped[str | None] = mapped_column(String(80), nullable=True)
    previous_valid_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    from_block: Mapped[int] = mapped_column(BigInteger)  # hears events above this block
    disabled_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    # which deliverer worker sends to it now, and until when (wall clock): see delivery.py
    lease_owner: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)


class WebhookEvent(Base):
    """One event a merchant may hear of: ``seq`` orders them, ``event_id`` names them for
    good (derived from the chain event, so a re-scan finds the same id). A reversal has its
    own id and names the original in ``reverses``."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_block", "block_number"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    log_index: Mapped[int] = mapped_column(Integer)
    block_hash: Mapped[str] = mapped_column(String(66))
    tx_hash: Mapped[str] = mapped_column(String(66))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    reverses: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reversed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class WebhookDelivery(Base):
    """``state``: ``pending`` until a 2xx (``succeeded``) or the retry window ends
    (``abandoned``); the next of the same endpoint waits until then (in order)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_seq", name="uq_webhook_deliveries_endpoint_event"),
        Index("ix_webhook_deliveries_endpoint_state", "endpoint_id", "state", "event_seq"),
        Index("ix_webhook_deliveries_state_finished", "state", "finished_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[int] = mapped_column(Integer)
    event_seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    created_at: Mapped[float] = mapped_column(Float)
    first_attempt_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[float] = mapped_column(Float)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration_ms: Mapped[float] = mapped_column(Float)


class WebhookCursor(Base):
    """How far the outbox has read the index: the checkpoint it saw (number and hash)."""

    __tablename__ = "webhook_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66))


class WebhookOffchainCursor(Base):
    """How far the outbox has read the relayer's rejected orders: their ``updated_at``."""

    __tablename__ = "webhook_offchain_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    updated_at: Mapped[float] = mapped_column(Float)
