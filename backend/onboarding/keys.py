"""Consortium reviewers' keys (``tdc_<prefix>_<secret>``): created from a member's shell
(``tongdui consortium-key create``), checked by the reviewer routes, revoked at once.

Hashed as merchant keys are (``merchant.keys``: SHA-256 of 256 random bits, nothing a slow
KDF would protect) and bound to one consortium member: the member whose chain key the backend
proposes with when this reviewer approves an application. Only the hash is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import bearer_keys
from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError
from ..merchant.keys import checksum
from .models import ConsortiumKey

KEY_PREFIX = "tdc"
REFUSALS = bearer_keys.Refusals(
    malformed="a consortium reviewer's key looks like tdc_<prefix>_<secret>; a member creates "
    "one with `tongdui consortium-key create`",
    unknown="the consortium key is not valid; ask your member's operator for one "
    "(`tongdui consortium-key create`)",
    revoked="the consortium key {prefix} was revoked on {day}; ask for a new one",
)


@dataclass(frozen=True, slots=True)
class ConsortiumKeyInfo:
    """What may be shown about a key: never the secret or its hash."""

    id: int
    prefix: str
    member: str
    label: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ConsortiumKey) -> ConsortiumKeyInfo:
        return cls(row.id, row.prefix, row.member, row.label, row.created_at, row.revoked_at)


def create_consortium_key(session: Session, member: str, label: str = "") -> str:
    """Stores a new reviewer key acting for ``member``; returns its plaintext (once). The
    caller commits and has checked that ``member`` is a member."""
    key = bearer_keys.mint(KEY_PREFIX)
    session.add(
        ConsortiumKey(
            prefix=key.prefix,
            key_hash=key.key_hash,
            member=checksum(member),
            label=label.strip()[:100],
            created_at=datetime.now(UTC),
            revoked_at=None,
        )
    )
    session.flush()
    return key.plaintext


def list_consortium_keys(session: Session) -> list[ConsortiumKeyInfo]:
    rows = session.scalars(select(ConsortiumKey).order_by(ConsortiumKey.id))
    return [ConsortiumKeyInfo.of(r) for r in rows]


def revoke_consortium_key(session: Session, key_id_or_prefix: int | str) -> ConsortiumKeyInfo:
    """Revokes a key by prefix or id (revoking twice keeps the first time)."""
    row = bearer_keys.find(session, ConsortiumKey, key_id_or_prefix)
    if row is None:
        raise NotFoundError(
            f"no consortium key {key_id_or_prefix!r}; `tongdui consortium-key list` shows them",
            code=ErrorCode.API_KEY_NOT_FOUND,
        )
    bearer_keys.revoke(session, row)
    return ConsortiumKeyInfo.of(row)


def authenticate_consortium(session: Session, presented: str) -> ConsortiumKey:
    """The live key row for a presented key; AuthError (401) if unknown, malformed or revoked."""
    return bearer_keys.authenticate(session, ConsortiumKey, KEY_PREFIX, presented, REFUSALS)
