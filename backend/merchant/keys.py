"""Creating, listing, revoking and checking merchant API keys (used by the CLI and the API).

Only hashes are stored; ``create_api_key`` returns the plaintext once and nothing here logs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from eth_utils import is_address, to_checksum_address
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import bearer_keys
from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, ValidationError
from .models import ApiKey

KEY_PREFIX = "tdk"
REFUSALS = bearer_keys.Refusals(
    malformed="the API key is malformed: it looks like tdk_<prefix>_<secret>",
    unknown="the API key is not valid; ask the operator for a key (`tongdui merchant-key create`)",
    revoked="the API key {prefix} was revoked on {day}; ask the operator for a new key",
)


class Scope(StrEnum):
    """What a key may do: issue points, redeem with consent, set the value, move funds, read,
    manage webhook endpoints (``webhooks``: their secrets sign what the receiver trusts),
    configure risk rules and review the requests they hold (``risk``), list, pause and stock
    voucher products (``vouchers``, issue 16; redeeming a voucher at the till is ``redeem``)."""

    ISSUE = "issue"
    REDEEM = "redeem"
    VALUE = "value"
    FUNDS = "funds"
    READ = "read"
    WEBHOOKS = "webhooks"
    RISK = "risk"
    VOUCHERS = "vouchers"


ALL_SCOPES = frozenset(Scope)


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """What may be shown about a key: never the secret or its hash."""

    id: int
    merchant_token: str
    prefix: str
    scopes: tuple[str, ...]
    label: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiKey) -> ApiKeyInfo:
        return cls(
            row.id,
            row.merchant_token,
            row.prefix,
            tuple(sorted(row.scope_set)),
            row.label,
            row.created_at,
            row.revoked_at,
        )


def parse_scopes(scopes: Iterable[str] | str) -> frozenset[Scope]:
    """Scopes from names (or one comma-separated string); ``all`` means every scope."""
    names = scopes.split(",") if isinstance(scopes, str) else list(scopes)
    names = [n.strip().lower() for n in names if n.strip()]
    if "all" in names:
        return ALL_SCOPES
    unknown = sorted(set(names) - {s.value for s in Scope})
    if unknown or not names:
        raise ValidationError(
            f"unknown or missing scopes {unknown}: choose from "
            f"{', '.join(s.value for s in Scope)} (or all)",
            code=ErrorCode.INVALID_SCOPE,
        )
    return frozenset(Scope(n) for n in names)


def checksum(token: str) -> str:
    if not is_address(token):
        raise ValidationError(f"{token!r} is not an address", code=ErrorCode.INVALID_ADDRESS)
    return str(to_checksum_address(token))


def create_api_key(
    session: Session, merchant_token: str, scopes: Iterable[str] | str, label: str = ""
) -> str:
    """Stores a new key for the merchant of ``merchant_token``; returns its plaintext (once).

    The caller commits the session (``with transaction(...)``)."""
    allowed = parse_scopes(scopes)
    key = bearer_keys.mint(KEY_PREFIX)
    session.add(
        ApiKey(
            merchant_token=checksum(merchant_token),
            prefix=key.prefix,
            key_hash=key.key_hash,
            scopes=",".join(sorted(allowed)),
            label=label[:100],
            created_at=datetime.now(UTC),
            revoked_at=None,
        )
    )
    session.flush()
    return key.plaintext


def list_api_keys(
    session: Session, merchant_token: str | None = None, include_revoked: bool = True
) -> list[ApiKeyInfo]:
    query = select(ApiKey).order_by(ApiKey.id)
    if merchant_token is not None:
        query = query.where(ApiKey.merchant_token == checksum(merchant_token))
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return [ApiKeyInfo.of(row) for row in session.scalars(query)]


def revoke_api_key(session: Session, key_id_or_prefix: int | str) -> ApiKeyInfo:
    """Revokes a key by id or prefix (revoking twice keeps the first time)."""
    row = bearer_keys.find(session, ApiKey, key_id_or_prefix)
    if row is None:
        raise NotFoundError(
            f"no API key {key_id_or_prefix!r}; `tongdui merchant-key list` shows ids and prefixes",
            code=ErrorCode.API_KEY_NOT_FOUND,
        )
    bearer_keys.revoke(session, row)
    return ApiKeyInfo.of(row)


def authenticate(session: Session, presented: str) -> ApiKey:
    """The live key row for a presented key; AuthError (401) if unknown, malformed or revoked."""
    return bearer_keys.authenticate(session, ApiKey, KEY_PREFIX, presented, REFUSALS)
