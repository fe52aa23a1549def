"""``Idempotency-Key`` for merchant writes: the same key with the same request answers the
stored answer again (nothing is sent twice); the same key with another request is refused.

A key is claimed (a row with no answer yet) before the write runs, so two concurrent requests
with one key cannot both send: the second finds the claim (unique per merchant) and is refused
as in progress. A write refused with a 4xx error releases its claim (refused before sending,
or reverted: nothing happened, the client may retry with the same key); only successful answers
are stored and replayed. After a 5xx or an unexpected failure the outcome is unknown (a
transaction may be out), so the claim stays and the key answers "in progress" (409): the
client checks the chain (or the transaction route) rather than sending again. Keys are kept
without expiry: the table is small (one row per write) and a merchant's CRM may retry days
later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ..core.db import Base
from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError

M = TypeVar("M", bound=BaseModel)
MAX_KEY = 100


class IdempotencyKeyReusedError(TongduiError, ValueError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class IdempotentRequest(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("merchant_token", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_token: Mapped[str] = mapped_column(String(42))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def request_hash(operation: str, body: bytes) -> str:
    return hashlib.sha256(operation.encode() + b"\0" + body).hexdigest()


def idempotent(
    sessions: sessionmaker[Session],
    token: str,
    key: str | None,
    fingerprint: str,
    model: type[M],
    write: Callable[[], M],
) -> M:
    """Runs ``write`` once per (merchant, key); see the module docstring."""
    if key is None:
        return write()
    with sessions() as session:
        found = session.scalar(
            select(IdempotentRequest).where(
                IdempotentRequest.merchant_token == token, IdempotentRequest.key == key
            )
        )
        if found is None:
            try:
                session.add(
                    IdempotentRequest(
                        merchant_token=token,
                        key=key,
                        request_hash=fingerprint,
                        created_at=datetime.now(UTC),
                    )
                )
                session.commit()
            except IntegrityError:
                session.rollback()
                raise _in_progress(key) from None
        elif found.request_hash != fingerprint:
            raise IdempotencyKeyReusedError(
                f"the Idempotency-Key {key!r} was used with another request (another route or "
                "body): send this request with a fresh key",
                key=key,
            )
        elif found.response is None:
            raise _in_progress(key)
        else:
            return model.model_validate_json(found.response)
    try:
        answer = write()
    except TongduiError as error:
        if error.status >= 500:
            raise  # outcome unknown (the node went away mid-write): the key stays claimed
        with sessions() as session:
            session.execute(
                delete(IdempotentRequest).where(
                    IdempotentRequest.merchant_token == token, IdempotentRequest.key == key
                )
            )
            session.commit()
        raise
    with sessions() as session:
        row = session.scalar(
            select(IdempotentRequest).where(
                IdempotentRequest.merchant_token == token, IdempotentRequest.key == key
            )
        )
        assert row is not None
        row.response = answer.model_dump_json(by_alias=True)
        session.commit()
    return answer


def _in_progress(key: str) -> IdempotencyKeyReusedError:
    return IdempotencyKeyReusedError(
        f"a request with the Idempotency-Key {key!r} is still being processed: ask again in a "
        "moment (the same key answers its result once it is done)",
        key=key,
    )
