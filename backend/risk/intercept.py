"""Recording an interception: the row the risk card counts (and a reviewer works from, when
the rule holds) and the ``risk.intercepted`` event for the merchants' webhooks, both in the
transaction that holds or refuses the request, so neither exists without the other.

A refused request posted again trips the same rule again: it is one interception (unique
per request and rule) and one event (its id is derived from them).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..webhooks.outbox import RISK_INTERCEPTED, add_offchain
from .book import Request
from .models import HELD, REFUSED, RiskInterception
from .rules import Verdict


def day_of(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def record(
    session: Session, chain_id: int, request: Request, verdict: Verdict, at: float | None = None
) -> None:
    """Stores the interception and its events (see the module docstring); the caller commits."""
    now = time.time() if at is None else at
    rule = verdict.rule
    exists = session.scalar(
        select(RiskInterception.id).where(
            RiskInterception.subject_hash == request.subject_hash,
            RiskInterception.rule_id == rule.id,
        )
    )
    if exists is not None:
        return
    outcome = REFUSED if verdict.refused else HELD
    session.add(
        RiskInterception(
            subject=request.subject,
            subject_hash=request.subject_hash,
            owner=request.owner,
            from_token=request.from_token,
            to_token=request.to_token,
            amount=request.amount,
            rule_id=rule.id,
            kind=rule.kind.value,
            code=verdict.code.value,
            message=verdict.message,
            action=rule.action.value,
            outcome=outcome,
            reviewer_token=rule.merchant_token or request.from_token,
            day=day_of(now),
            at=now,
        )
    )
    data = {
        "subject": request.subject,
        "hash": request.subject_hash,
        "owner": request.owner,
        "fromToken": request.from_token,
        "toToken": request.to_token,
        "amount": str(request.amount),
        "ruleId": rule.id,
        "rule": rule.kind.value,
        "code": verdict.code.value,
        "action": rule.action.value,
        "message": verdict.message,
    }
    merchants = request.tokens if rule.merchant_token is None else (rule.merchant_token,)
    for token in merchants:
        add_offchain(
            session,
            chain_id,
            RISK_INTERCEPTED,
            token,
            f"{request.subject_hash}:{rule.id}",
            data,
            now,
        )
