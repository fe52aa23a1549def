"""A merchant's expiry rule (issue 16): ``GET`` and ``PUT /merchants/{token}/expiry-rule``.

Reading needs the ``read`` scope; changing it needs an admin key (every scope, as managing
operators does: the rule is a term of the programme its members were promised). The change is
signed with the merchant's operator key and logged in the operation log as the other merchant
writes are. Points already held keep their keys; only points minted afterwards get the new one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from ...merchant.expiry_rule import read_rule, set_rule
from ...merchant.idempotency import idempotent
from ...merchant.keys import Scope
from ...operations.record import logged
from ..auth import MerchantAuth, require
from ..deps import ServicesDep
from ..idempotency_deps import Fingerprint, IdempotencyKey
from ..merchant_schemas import TxResult
from ..schemas import Model
from .merchant import READ_ERRORS, WRITE_ERRORS, OperatorsDep, Wait, _actions, _result
from .operations import AdminAuth

router = APIRouter(prefix="/merchants/{token}", tags=["merchant API"])


class ExpiryRule(Model):
    validity_months: int = Field(description="months new points stay valid; 0: never expire")
    rounding_months: int = Field(
        description="rounded up to the end of the month (1), quarter (3), half year (6) or "
        "year (12); 0 with validityMonths 0 (the default)"
    )
    current_key: int = Field(description="the expiry key points issued now get (65535: never)")
    current_last_day: str | None = Field(
        description="the last day points issued now can be spent (ISO date; null: never)"
    )


class ExpiryRuleRequest(Model):
    validity_months: int = Field(strict=True, description="0 (never expire) to 1200")
    rounding_months: int = Field(strict=True, description="1, 3, 6 or 12 (0 with 0 months)")


class ExpiryRuleTx(TxResult):
    validity_months: int
    rounding_months: int
    previous: ExpiryRule


def _rule(services: ServicesDep, token: str) -> ExpiryRule:
    rule = read_rule(services.platform, token)
    return ExpiryRule(
        validity_months=rule.validity_months,
        rounding_months=rule.rounding_months,
        current_key=rule.current_key,
        current_last_day=rule.current_last_day,
    )


@router.get(
    "/expiry-rule",
    response_model=ExpiryRule,
    responses=READ_ERRORS,
    summary="The programme's expiry rule and when points issued now expire",
)
def get_expiry_rule(
    services: ServicesDep, auth: Annotated[MerchantAuth, Depends(require(Scope.READ))]
) -> ExpiryRule:
    return _rule(services, auth.token)


@router.put(
    "/expiry-rule",
    response_model=ExpiryRuleTx,
    responses=WRITE_ERRORS,
    summary="Set the expiry rule for points issued from now on (admin key)",
    description="Refused with INVALID_EXPIRY_RULE (400) before anything is sent: "
    "validityMonths 0–1200, roundingMonths 1, 3, 6 or 12. Points already held keep their "
    "expiry.",
)
@logged("expiry-rule")
def put_expiry_rule(
    body: ExpiryRuleRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: AdminAuth,
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> ExpiryRuleTx:
    def write() -> ExpiryRuleTx:
        before = _rule(services, auth.token)
        tx_hash = set_rule(
            _actions(services, operators, auth), body.validity_months, body.rounding_months
        )
        return ExpiryRuleTx(
            **_result(services, tx_hash, wait).model_dump(),
            validity_months=body.validity_months,
            rounding_months=body.rounding_months,
            previous=before,
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, ExpiryRuleTx, write)
