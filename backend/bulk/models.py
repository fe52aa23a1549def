"""The ``bulk_jobs`` and ``bulk_rows`` tables: the write-ahead log of a bulk issuance.

A row moves ``pending → sent → issued | failed``. It is written ``sent`` with its signed
transaction (hash, nonce, raw bytes) *before* the transaction is broadcast, so after a crash the
worker knows every transaction that may be on the chain and checks it instead of signing anew.
``(merchant_token, idempotency_key)`` is unique: a key issues at most once, across uploads.
Rows hold the address only: a row given by member id is resolved at upload, so erasing the
member later leaves no member id here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base

PENDING, SENT, ISSUED, FAILED = "pending", "sent", "issued", "failed"
JOB_RUNNING, JOB_DONE = "running", "done"


class BulkJob(Base):
    __tablename__ = "bulk_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42), index=True)
    state: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # keys already used before
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BulkRow(Base):
    __tablename__ = "bulk_rows"
    __table_args__ = (
        UniqueConstraint("merchant_token", "idempotency_key"),
        # the worker's next chunk: a job's pending rows in order (migration members_0002)
        Index("ix_bulk_rows_job_state_id", "job_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("bulk_jobs.id"), index=True)
    merchant_token: Mapped[str] = mapped_column(String(42))
    line: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(42))
    amount: Mapped[int] = mapped_column(Amount)
    state: Mapped[str] = mapped_column(String(16), index=True)
    tx_hash: Mapped[str | None] = mapped_column(String(66), nullable=True)
    nonce: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    raw_tx: Mapped[str | None] = mapped_column(Text, nullable=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
