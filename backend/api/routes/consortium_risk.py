"""The consortium's side of the risk rules (issue 18.6), under ``/consortium/risk``: the
defaults that apply to every merchant's orders and gifts, and the interceptions of every
merchant per day, rule and outcome. A consortium reviewer's key (``tdc_…``) signs in, as for
the onboarding review; the consortium page shows both as its risk card. Each merchant keeps
reviewing what its rules, and the defaults on orders that spend its points, hold
(``/merchants/{token}/risk``). Changes are lines of the operation log, with the reviewer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from ...core.db import transaction
from ...core.error_codes import ErrorCode
from ...operations.record import logged
from ...risk import review, store
from ..auth import ConsortiumDep
from ..deps import ServicesDep, SessionDep
from ..risk_schemas import InterceptionCount, RuleOut, RuleRequest
from ..schemas import code_responses, errors

router = APIRouter(prefix="/consortium/risk", tags=["consortium risk"])

READ_ERRORS = errors(401, 422)
WRITE_ERRORS = {
    **errors(401, 404, 422),
    **code_responses(ErrorCode.RISK_RULE_INVALID, ErrorCode.RISK_RULE_NOT_FOUND),
}


@router.get(
    "/rules",
    response_model=list[RuleOut],
    responses=READ_ERRORS,
    summary="The consortium's default rules (every merchant's requests)",
)
def list_defaults(session: SessionDep, auth: ConsortiumDep) -> list[dict[str, Any]]:
    return [store.describe(r) for r in store.list_defaults(session)]


@router.post(
    "/rules",
    response_model=RuleOut,
    responses=WRITE_ERRORS,
    summary="Add a default rule for every merchant's orders and gifts",
)
@logged("risk.rule.create")
def create_default(body: RuleRequest, services: ServicesDep, auth: ConsortiumDep) -> dict[str, Any]:
    spec = store.RuleSpec(
        body.kind,
        body.action,
        body.max_count,
        body.window_seconds,
        body.max_amount,
        tuple(body.addresses),
    )
    with transaction(services.sessions) as session:
        return store.describe(store.create_rule(session, services.sessions, None, spec))


@router.delete(
    "/rules/{rule_id}",
    response_model=RuleOut,
    responses=WRITE_ERRORS,
    summary="Retire a default rule",
)
@logged("risk.rule.delete", target="rule_id")
def delete_default(
    rule_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="the rule's id")],
    services: ServicesDep,
    auth: ConsortiumDep,
) -> dict[str, Any]:
    with transaction(services.sessions) as session:
        return store.describe(store.delete_rule(session, services.sessions, None, rule_id))


@router.get(
    "/interceptions",
    response_model=list[InterceptionCount],
    responses=READ_ERRORS,
    summary="Interceptions of every merchant, per UTC day, rule and outcome",
)
def all_interceptions(
    session: SessionDep,
    auth: ConsortiumDep,
    days: Annotated[
        int, Query(ge=1, le=366, description="how many days back, today included")
    ] = 30,
) -> list[dict[str, Any]]:
    since = (datetime.now(UTC) - timedelta(days=days - 1)).strftime("%Y-%m-%d")
    return review.counts(session, None, since)
