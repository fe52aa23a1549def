"""The configured rules: creating, listing and deleting them, and the active set intake asks.

Intake asks on every order, so the active set is remembered per database for
``CACHE_SECONDS``; a change made in this process is seen at once (the cache is dropped), one
made by another process within ``CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from eth_utils import is_address, to_checksum_address
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, ValidationError
from .models import RiskRule
from .rules import Action, Kind, Rule

CACHE_SECONDS = 2.0
MAX_BLOCKLIST = 10_000

# Keyed by the session factory itself (weakly): an id() could be reused by a new database's.
_cache: weakref.WeakKeyDictionary[sessionmaker[Session], tuple[float, list[Rule]]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule as a person configures it (checked by ``checked``)."""

    kind: str
    action: str
    max_count: int = 0
    window_seconds: int = 0
    max_amount: int = 0
    addresses: tuple[str, ...] = ()


def _invalid(message: str, **details: Any) -> ValidationError:
    code = ErrorCode.RISK_RULE_INVALID
    return ValidationError(message, code=code, status=code.status, **details)


def checked(spec: RuleSpec) -> RuleSpec:
    """The spec with its addresses checksummed; RISK_RULE_INVALID naming what is missing."""
    try:
        kind, action = Kind(spec.kind), Action(spec.action)
    except ValueError:
        raise _invalid(
            f"kind is one of {', '.join(Kind)} and action one of {', '.join(Action)}"
        ) from None
    if kind in (Kind.VELOCITY_ADDRESS, Kind.VELOCITY_MEMBER) and (
        spec.max_count < 1 or spec.window_seconds < 1
    ):
        raise _invalid("a velocity rule needs maxCount ≥ 1 and windowSeconds ≥ 1")
    if kind == Kind.COOLING and spec.window_seconds < 1:
        raise _invalid("a cooling rule needs windowSeconds ≥ 1 (how long new addresses wait)")
    if kind == Kind.AMOUNT and spec.max_amount < 1:
        raise _invalid("an amount rule needs maxAmount ≥ 1 (points one request may move)")
    addresses: tuple[str, ...] = ()
    if kind == Kind.BLOCKLIST:
        bad = [a for a in spec.addresses if not is_address(a)]
        if bad or not spec.addresses or len(spec.addresses) > MAX_BLOCKLIST:
            raise _invalid(
                f"a block list needs 1 to {MAX_BLOCKLIST} addresses (0x and 40 hex digits)",
                invalid=bad[:10],
            )
        addresses = tuple(sorted({str(to_checksum_address(a)) for a in spec.addresses}))
    return RuleSpec(
        kind.value,
        action.value,
        spec.max_count,
        spec.window_seconds,
        spec.max_amount,
        addresses,
    )


def as_rule(row: RiskRule) -> Rule:
    return Rule(
        id=row.id,
        kind=Kind(row.kind),
        action=Action(row.action),
        merchant_token=row.merchant_token,
        max_count=row.max_count,
        window=row.window_seconds,
        max_amount=row.max_amount,
        addresses=frozenset(a for a in row.addresses.split(",") if a),
    )


def describe(row: RiskRule) -> dict[str, Any]:
    return {
        "id": row.id,
        "scope": "consortium" if row.merchant_token is None else "merchant",
        "kind": row.kind,
        "action": row.action,
        "max_count": row.max_count,
        "window_seconds": row.window_seconds,
        "max_amount": row.max_amount,
        "addresses": [a for a in row.addresses.split(",") if a],
        "created_at": row.created_at,
    }


def forget(sessions: sessionmaker[Session]) -> None:
    with _cache_lock:
        _cache.pop(sessions, None)


def create_rule(
    session: Session, sessions: sessionmaker[Session], merchant_token: str | None, spec: RuleSpec
) -> RiskRule:
    """Adds a rule (``merchant_token`` None: a consortium default); the caller commits."""
    clean, now = checked(spec), time.time()
    row = RiskRule(
        merchant_token=merchant_token,
        kind=clean.kind,
        action=clean.action,
        max_count=clean.max_count,
        window_seconds=clean.window_seconds,
        max_amount=clean.max_amount,
        addresses=",".join(clean.addresses),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    forget(sessions)
    return row


def delete_rule(
    session: Session, sessions: sessionmaker[Session], merchant_token: str | None, rule_id: int
) -> RiskRule:
    """Retires a rule (kept, marked deleted: its interceptions still name it)."""
    row = session.get(RiskRule, rule_id)
    if row is None or row.merchant_token != merchant_token or row.deleted_at is not None:
        raise NotFoundError(
            f"There is no rule {rule_id} of this scope: list the rules to see their ids",
            code=ErrorCode.RISK_RULE_NOT_FOUND,
        )
    row.deleted_at = row.updated_at = time.time()
    forget(sessions)
    return row


def list_rules(session: Session, merchant_token: str) -> list[RiskRule]:
    """The rules that apply to the merchant's requests: its own and the consortium's."""
    return list(
        session.scalars(
            select(RiskRule)
            .where(
                RiskRule.deleted_at.is_(None),
                or_(RiskRule.merchant_token.is_(None), RiskRule.merchant_token == merchant_token),
            )
            .order_by(RiskRule.id)
        )
    )


def list_defaults(session: Session) -> list[RiskRule]:
    """The consortium's live defaults: the rules of no merchant, applied to every request."""
    return list(
        session.scalars(
            select(RiskRule)
            .where(RiskRule.deleted_at.is_(None), RiskRule.merchant_token.is_(None))
            .order_by(RiskRule.id)
        )
    )


def active_rules(sessions: sessionmaker[Session], now: float | None = None) -> list[Rule]:
    """Every live rule of every scope, remembered for ``CACHE_SECONDS``."""
    at = time.monotonic() if now is None else now
    with _cache_lock:
        cached = _cache.get(sessions)
    if cached is not None and at - cached[0] < CACHE_SECONDS:
        return cached[1]
    with sessions() as session:
        rules = [
            as_rule(row)
            for row in session.scalars(
                select(RiskRule).where(RiskRule.deleted_at.is_(None)).order_by(RiskRule.id)
            )
        ]
    with _cache_lock:
        _cache[sessions] = (at, rules)
    return rules
