"""Reviewing held requests, and the counts of the risk card.

A held order or gift waits for the merchant its rule belongs to (a consortium default's hold
goes to the merchant whose points are spent). Release puts it in the relayer's queue, where
it settles as any order (the chain still decides); refusal rejects it with the rule's code,
which the merchants hear as ``order.rejected``. Both are one transaction that moves the
request only if it is still held, so two reviewers cannot both decide it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..relayer.models import (
    HELD,
    RECEIVED,
    REJECTED,
    REQ_FAILED,
    REQ_HELD,
    REQ_RECEIVED,
    RelayerOrder,
    RelayerRequest,
)
from .models import HELD as INTERCEPTION_HELD
from .models import REFUSED_ON_REVIEW, RELEASED, RiskInterception

RELEASE, REFUSE = "release", "refuse"


@dataclass(frozen=True, slots=True)
class Decision:
    subject: str
    hash: str
    decision: str
    state: str  # the request's state after it


def describe(row: RiskInterception) -> dict[str, Any]:
    return {
        "subject": row.subject,
        "hash": row.subject_hash,
        "owner": row.owner,
        "from_token": row.from_token,
        "to_token": row.to_token,
        "amount": row.amount,
        "rule_id": row.rule_id,
        "kind": row.kind,
        "code": row.code,
        "message": row.message,
        "at": row.at,
    }


def held(session: Session, merchant_token: str, limit: int = 200) -> list[RiskInterception]:
    """The requests held for this merchant's review, oldest first: only those still held (one
    that expired while held, or that its owner cancelled, is no longer the reviewer's)."""
    return list(
        session.scalars(
            select(RiskInterception)
            .outerjoin(RelayerOrder, RelayerOrder.order_hash == RiskInterception.subject_hash)
            .outerjoin(RelayerRequest, RelayerRequest.request_hash == RiskInterception.subject_hash)
            .where(
                RiskInterception.reviewer_token == merchant_token,
                RiskInterception.outcome == INTERCEPTION_HELD,
                or_(RelayerOrder.state == HELD, RelayerRequest.state == REQ_HELD),
            )
            .order_by(RiskInterception.id)
            .limit(limit)
        )
    )


def decide(
    sessions: sessionmaker[Session],
    merchant_token: str,
    subject_hash: str,
    decision: str,
    reviewer: str,
) -> Decision:
    """Releases or refuses one held request (see the module docstring); RISK_NOT_HELD if it
    is not held for this merchant (any more)."""
    now = time.time()
    with transaction(sessions) as session:
        row = session.scalar(
            select(RiskInterception).where(
                RiskInterception.reviewer_token == merchant_token,
                RiskInterception.subject_hash == subject_hash.lower(),
                RiskInterception.outcome == INTERCEPTION_HELD,
            )
        )
        if row is None or not _move(session, row, decision, now):
            code = ErrorCode.RISK_NOT_HELD
            raise ValidationError(code.message, code=code, status=code.status)
        row.outcome = RELEASED if decision == RELEASE else REFUSED_ON_REVIEW
        row.reviewed_at, row.reviewer = now, reviewer
        state = _state_after(row.subject, decision)
    return Decision(row.subject, row.subject_hash, decision, state)


def _state_after(subject: str, decision: str) -> str:
    if subject == "order":
        return RECEIVED if decision == RELEASE else REJECTED
    return REQ_RECEIVED if decision == RELEASE else REQ_FAILED


def _move(session: Session, row: RiskInterception, decision: str, now: float) -> bool:
    """Moves the request out of ``held``; False if it is no longer held (expired, voided)."""
    refused = f"Refused on review: {row.message}"
    table: Any = RelayerOrder if row.subject == "order" else RelayerRequest
    key = RelayerOrder.order_hash if row.subject == "order" else RelayerRequest.request_hash
    held_state = HELD if row.subject == "order" else REQ_HELD
    values: dict[str, Any] = (
        {"state": _state_after(row.subject, RELEASE), "reason_code": None, "reason_message": None}
        if decision == RELEASE
        else {
            "state": _state_after(row.subject, REFUSE),
            "reason_code": row.code,
            "reason_message": refused,
        }
    )
    moved = session.execute(
        update(table)
        .where(key == row.subject_hash, table.state == held_state)
        .values(updated_at=now, **values)
    ).rowcount  # type: ignore[attr-defined]
    return bool(moved)


def counts(session: Session, merchant_token: str | None, since: str) -> list[dict[str, Any]]:
    """Interceptions touching the merchant (``None``: every merchant, the consortium's view)
    per UTC day, rule and outcome, from ``since``."""
    touching = (
        or_(
            RiskInterception.from_token == merchant_token,
            RiskInterception.to_token == merchant_token,
            RiskInterception.reviewer_token == merchant_token,
        )
        if merchant_token is not None
        else true()
    )
    rows = session.execute(
        select(
            RiskInterception.day,
            RiskInterception.rule_id,
            RiskInterception.kind,
            RiskInterception.code,
            RiskInterception.outcome,
            func.count(),
        )
        .where(RiskInterception.day >= since, touching)
        .group_by(
            RiskInterception.day,
            RiskInterception.rule_id,
            RiskInterception.kind,
            RiskInterception.code,
            RiskInterception.outcome,
        )
        .order_by(RiskInterception.day.desc(), RiskInterception.rule_id)
    ).all()
    return [
        {"day": d, "rule_id": r, "kind": k, "code": c, "outcome": o, "count": n}
        for d, r, k, c, o, n in rows
    ]
