"""A merchant's expiry rule (issue 16): read it from its points token, and change it with
``setExpiryRule`` signed by the merchant's operator key, as the other merchant writes are
(``actions.MerchantActions``: estimated first, so a rule the contract refuses fails here with
its decoded code and nothing is sent).

The rule is checked before anything is sent (``chain.expiry.rule_problem``, the contract's own
test), so bad input is a 400 with the sentence saying what to send, not a revert.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..chain import expiry
from ..chain.client import Platform
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from .actions import MerchantActions
from .operators import sent


@dataclass(frozen=True, slots=True)
class Rule:
    validity_months: int
    rounding_months: int
    current_key: int  # the key points issued now get
    current_last_day: str | None  # the last day points issued now can be spent (None: never)


def read_rule(platform: Platform, token: str) -> Rule:
    points = platform.points_token(token)
    validity, rounding = points.functions.expiryRule().call()
    key = int(points.functions.currentKey().call())
    return Rule(int(validity), int(rounding), key, expiry.last_day_iso(key))


def check_rule(validity_months: int, rounding_months: int) -> None:
    """ValidationError (400, INVALID_EXPIRY_RULE) for a rule the contract would refuse."""
    problem = expiry.rule_problem(validity_months, rounding_months)
    if problem is not None:
        raise ValidationError(
            f"{problem}. Send validityMonths from 0 (never expire) to "
            f"{expiry.MAX_VALIDITY_MONTHS} and roundingMonths 1, 3, 6 or 12: "
            '{"validityMonths": 24, "roundingMonths": 3} keeps points two years, to the end '
            "of the quarter.",
            code=ErrorCode.INVALID_EXPIRY_RULE,
            status=400,
            validityMonths=validity_months,
            roundingMonths=rounding_months,
        )


def set_rule(actions: MerchantActions, validity_months: int, rounding_months: int) -> str:
    """Sends ``setExpiryRule``; returns the transaction hash."""
    check_rule(validity_months, rounding_months)
    call = actions.points.functions.setExpiryRule(validity_months, rounding_months)
    return actions.operators.send(actions.admin(), lambda s: sent(s.transact(call)))
