"""Operators: a merchant's named people, each with one role; a role is a set of key scopes.

An operator's API keys are ordinary merchant keys (``merchant.keys``) created with the role's
scopes and linked to the operator, so the scope checks the routes already make enforce the
role: a cashier's key has only ``redeem`` (and ``read``) and is refused ``issue`` with 403
FORBIDDEN. Managing operators needs every scope (an admin's key, or a full merchant key from
``tongdui merchant-key create``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, ValidationError
from ..merchant.keys import (
    ALL_SCOPES,
    ApiKeyInfo,
    Scope,
    checksum,
    create_api_key,
    revoke_api_key,
)
from ..merchant.models import ApiKey
from .models import Operator, OperatorKey


class Role(StrEnum):
    """What an operator does for the merchant."""

    ADMIN = "admin"
    ISSUER = "issuer"
    CASHIER = "cashier"
    VIEWER = "viewer"


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: ALL_SCOPES,
    Role.ISSUER: frozenset({Scope.ISSUE, Scope.READ}),
    Role.CASHIER: frozenset({Scope.REDEEM, Scope.READ}),
    Role.VIEWER: frozenset({Scope.READ}),
}


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    id: int
    merchant_token: str
    name: str
    role: str
    key_prefixes: tuple[str, ...]


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise ValidationError(
            f"unknown role {role!r}: choose from {', '.join(r.value for r in Role)}",
            code=ErrorCode.INVALID_ROLE,
            role=role,
        ) from None


def create_operator(session: Session, merchant_token: str, name: str, role: str) -> Operator:
    """Adds an operator (the caller commits)."""
    clean = name.strip()
    if not clean or len(clean) > 100:
        raise ValidationError(
            "an operator needs a name of 1 to 100 characters", code=ErrorCode.EMPTY_NAME
        )
    row = Operator(
        merchant_token=checksum(merchant_token),
        name=clean,
        role=parse_role(role).value,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def get_operator(session: Session, merchant_token: str, operator_id: int) -> Operator:
    row = session.get(Operator, operator_id)
    if row is None or row.merchant_token != checksum(merchant_token):
        raise NotFoundError(
            f"the merchant has no operator #{operator_id}; GET …/operators lists them",
            code=ErrorCode.OPERATOR_NOT_FOUND,
            operator_id=operator_id,
        )
    return row


def create_operator_key(session: Session, operator: Operator, label: str = "") -> str:
    """A new API key for ``operator`` with its role's scopes; the plaintext, once."""
    scopes = ROLE_SCOPES[Role(operator.role)]
    key = create_api_key(
        session, operator.merchant_token, scopes, label=label or f"{operator.role} {operator.name}"
    )
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == key.split("_")[1]))
    assert row is not None  # just flushed
    session.add(OperatorKey(api_key_id=row.id, operator_id=operator.id))
    session.flush()
    return key


def revoke_operator_key(session: Session, operator: Operator, prefix: str) -> ApiKeyInfo:
    """Revokes one of ``operator``'s keys by prefix (the caller commits).

    Only a key issued to this operator: a prefix of another operator's key, or of a plain
    merchant key, is answered as not found rather than revoked, so an admin's typo cannot
    lock out someone else."""
    row = session.scalar(
        select(ApiKey)
        .join(OperatorKey, OperatorKey.api_key_id == ApiKey.id)
        .where(OperatorKey.operator_id == operator.id, ApiKey.prefix == prefix.strip())
    )
    if row is None:
        raise NotFoundError(
            f"operator #{operator.id} has no key with prefix {prefix!r}; "
            "GET …/operators lists each operator's live key prefixes",
            code=ErrorCode.API_KEY_NOT_FOUND,
            operator_id=operator.id,
            prefix=prefix,
        )
    return revoke_api_key(session, row.id)


def operator_of_key(session: Session, prefix: str) -> Operator | None:
    """The operator a key was issued to (None for a plain merchant key)."""
    return session.scalar(
        select(Operator)
        .join(OperatorKey, OperatorKey.operator_id == Operator.id)
        .join(ApiKey, ApiKey.id == OperatorKey.api_key_id)
        .where(ApiKey.prefix == prefix)
    )


def list_operators(session: Session, merchant_token: str) -> list[OperatorInfo]:
    token = checksum(merchant_token)
    prefixes: dict[int, list[str]] = {}
    for operator_id, prefix in session.execute(
        select(OperatorKey.operator_id, ApiKey.prefix)
        .join(ApiKey, ApiKey.id == OperatorKey.api_key_id)
        .where(ApiKey.merchant_token == token, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.id)
    ):
        prefixes.setdefault(operator_id, []).append(prefix)
    rows = session.scalars(select(Operator).where(Operator.merchant_token == token))
    return [
        OperatorInfo(r.id, r.merchant_token, r.name, r.role, tuple(prefixes.get(r.id, [])))
        for r in rows.all()
    ]
