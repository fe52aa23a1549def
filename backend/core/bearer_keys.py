"""What merchant API keys (``tdk_…``) and consortium reviewers' keys (``tdc_…``) share: a key
is ``<kind>_<prefix>_<secret>``, 256 random bits of which only the SHA-256 is stored (nothing a
slow KDF would protect), found by its public prefix, compared in constant time, revoked at
once and for good. Each kind keeps its own table, scopes and sentences (``merchant.keys``,
``onboarding.keys``); this module holds the lifecycle once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import AuthError


class KeyRow(Protocol):
    id: Any
    prefix: Any
    key_hash: Any
    revoked_at: Any


Row = TypeVar("Row", bound=KeyRow)


@dataclass(frozen=True, slots=True)
class MintedKey:
    prefix: str
    plaintext: str
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def mint(kind: str) -> MintedKey:
    """A new key of ``kind`` (``tdk``, ``tdc``): its prefix, the plaintext (shown once) and the
    hash to store."""
    prefix = secrets.token_hex(6)
    plaintext = f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"
    return MintedKey(prefix, plaintext, hash_key(plaintext))


def find(session: Session, model: type[Row], key_id_or_prefix: int | str) -> Row | None:
    """The row named by prefix, else by id (a hex prefix may be all digits; ids are short)."""
    row = session.scalar(select(model).where(model.prefix == str(key_id_or_prefix)))
    if row is None and str(key_id_or_prefix).isdigit():
        row = session.get(model, int(key_id_or_prefix))
    return row


def revoke(session: Session, row: KeyRow) -> None:
    """Revokes ``row`` now; revoking twice keeps the first time."""
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()


@dataclass(frozen=True, slots=True)
class Refusals:
    """The sentences a kind answers 401 with: each says how to get a valid key."""

    malformed: str
    unknown: str
    revoked: str  # formatted with ``prefix`` and ``day``


def authenticate(
    session: Session, model: type[Row], kind: str, presented: str, say: Refusals
) -> Row:
    """The live row for a presented key; AuthError (401) if malformed, unknown or revoked."""
    clean = presented.strip()
    parts = clean.split("_", 2)
    if len(parts) != 3 or parts[0] != kind:
        raise AuthError(say.malformed, reason="malformed")
    row = session.scalar(select(model).where(model.prefix == parts[1]))
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(clean)):
        raise AuthError(say.unknown, reason="unknown")
    if row.revoked_at is not None:
        raise AuthError(
            say.revoked.format(prefix=row.prefix, day=f"{row.revoked_at:%Y-%m-%d}"),
            reason="revoked",
            prefix=row.prefix,
        )
    return row
