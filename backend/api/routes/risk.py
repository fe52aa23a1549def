"""Merchant API: risk rules, the requests they hold, and the interception counts, under
``/merchants/{token}/risk``. Configuring rules and reviewing needs the ``risk`` scope;
reading needs ``read``. Rule changes and reviews are written to the operation log.

The consortium's defaults (rules of no merchant, applied to every request) are set with
``tongdui risk-rule`` by the operator; a merchant sees them beside its own and cannot change
them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from ...core.db import transaction
from ...core.error_codes import ErrorCode
from ...merchant.keys import Scope
from ...operations.record import logged
from ...risk import review, store
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..risk_schemas import (
    HeldRequest,
    InterceptionCount,
    ReviewOut,
    ReviewRequest,
    RuleOut,
    RuleRequest,
)
from ..schemas import code_responses, errors

router = APIRouter(prefix="/merchants/{token}/risk", tags=["merchant risk"])

READ = Annotated[MerchantAuth, Depends(require(Scope.READ))]
MANAGE = Annotated[MerchantAuth, Depends(require(Scope.RISK))]
READ_ERRORS = errors(401, 403, 404, 422)
WRITE_ERRORS = {
    **errors(401, 403, 404, 422),
    **code_responses(
        ErrorCode.RISK_RULE_INVALID, ErrorCode.RISK_RULE_NOT_FOUND, ErrorCode.RISK_NOT_HELD
    ),
}


@router.get("/rules", response_model=list[RuleOut], responses=READ_ERRORS, summary="The rules")
def list_rules(session: SessionDep, auth: READ) -> list[dict[str, Any]]:
    return [store.describe(r) for r in store.list_rules(session, auth.token)]


@router.post(
    "/rules",
    response_model=RuleOut,
    responses=WRITE_ERRORS,
    summary="Add a rule for this merchant's orders and gifts",
)
@logged("risk.rule.create")
def create_rule(body: RuleRequest, services: ServicesDep, auth: MANAGE) -> dict[str, Any]:
    spec = store.RuleSpec(
        body.kind,
        body.action,
        body.max_count,
        body.window_seconds,
        body.max_amount,
        tuple(body.addresses),
    )
    with transaction(services.sessions) as session:
        row = store.create_rule(session, services.sessions, auth.token, spec)
        return store.describe(row)


@router.delete(
    "/rules/{rule_id}", response_model=RuleOut, responses=WRITE_ERRORS, summary="Retire a rule"
)
@logged("risk.rule.delete")
def delete_rule(
    rule_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="the rule's id")],
    services: ServicesDep,
    auth: MANAGE,
) -> dict[str, Any]:
    with transaction(services.sessions) as session:
        return store.describe(store.delete_rule(session, services.sessions, auth.token, rule_id))


@router.get(
    "/held",
    response_model=list[HeldRequest],
    responses=READ_ERRORS,
    summary="Orders and gifts held for this merchant's review, oldest first",
)
def list_held(session: SessionDep, auth: READ) -> list[dict[str, Any]]:
    return [review.describe(r) for r in review.held(session, auth.token)]


@router.post(
    "/reviews",
    response_model=ReviewOut,
    responses=WRITE_ERRORS,
    summary="Release a held request to the queue, or refuse it with its rule's code",
)
@logged("risk.review", target="hash")
def decide(body: ReviewRequest, services: ServicesDep, auth: MANAGE) -> ReviewOut:
    done = review.decide(services.sessions, auth.token, body.hash, body.decision, auth.key_prefix)
    return ReviewOut.model_validate(
        {"subject": done.subject, "hash": done.hash, "decision": done.decision, "state": done.state}
    )


@router.get(
    "/interceptions",
    response_model=list[InterceptionCount],
    responses=READ_ERRORS,
    summary="Interceptions touching this merchant, per UTC day, rule and outcome",
)
def interceptions(
    session: SessionDep,
    auth: READ,
    days: Annotated[
        int, Query(ge=1, le=366, description="how many days back, today included")
    ] = 30,
) -> list[dict[str, Any]]:
    since = (datetime.now(UTC) - timedelta(days=days - 1)).strftime("%Y-%m-%d")
    return review.counts(session, auth.token, since)
