"""Intake's chain-side checks, given what the chain said and what is pending: each bad order
gets the code the contract would reject it with, pending orders counted, before any gas is
spent (relayer/intake.check_chain; the reads themselves are tests/backend's)."""

from __future__ import annotations

import dataclasses

import pytest

from tongdui.chain.eip712 import SwapOrder
from tongdui.core.errors import ValidationError
from tongdui.relayer.intake_checks import (
    ChainFacts,
    Pending,
    check_chain,
    check_pending_nonce,
    decayed_usage,
)

FAR_FUTURE = 2**40  # a limit usage "updated" later than now: no decay, whatever the clock says
ORDER = SwapOrder("0x" + "ab" * 20, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 90, 7, 2**31)
FACTS = ChainFacts(
    nonce_used=False,
    counter=0,
    limit_updated_at=FAR_FUTURE,
    limit_used=0,
    quoted=(99, 100, 10_000),  # 1 000 SKYM (10 fen) → BEAN (100 fen) at 0.3 %
    balance=5_000,
    cover=1_000_000,
    window=86_400,
    max_value=0,
    target_supply=0,
    target_cap=10**9,
    min_order_value=100,
)
NOTHING_PENDING = Pending(nonce_order=None, owner_token_in=0, token_gross=0, owner_gross=0)


def refusal(
    order: SwapOrder = ORDER, pending: Pending = NOTHING_PENDING, **facts: object
) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_chain(order, dataclasses.replace(FACTS, **facts), pending)
    return refused.value


def test_a_good_order_passes_with_its_quoted_gross_value() -> None:
    assert check_chain(ORDER, FACTS, NOTHING_PENDING) == 10_000


def test_a_used_nonce_is_a_conflict() -> None:
    refused = refusal(nonce_used=True)
    assert (refused.code, refused.status) == ("NONCE_USED", 409)


def test_an_older_counter_is_cancelled_and_a_newer_one_wrong() -> None:
    assert refusal(counter=1).code == "ORDER_CANCELLED"
    assert refusal(order=dataclasses.replace(ORDER, counter=2), counter=1).code == "WRONG_COUNTER"


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"quoted": (0, 99, 99)}, "ORDER_VALUE_TOO_LOW"),
        ({"quoted": (0, 150, 150)}, "ZERO_OUTPUT"),
        ({"quoted": (89, 100, 10_000)}, "INSUFFICIENT_OUTPUT"),
        ({"target_supply": 10**9 - 98}, "CAP_EXCEEDED"),
        ({"balance": 999}, "INSUFFICIENT_BALANCE"),
        ({"cover": 9_999}, "INSUFFICIENT_COVER"),
        ({"max_value": 9_999}, "USER_LIMIT_EXCEEDED"),
    ],
)
def test_each_failing_check_has_its_code(facts: dict[str, object], code: str) -> None:
    assert refusal(**facts).code == code


def test_pending_orders_count_against_the_balance_the_cover_and_the_limit() -> None:
    def pending(**amounts: int) -> Pending:
        return dataclasses.replace(NOTHING_PENDING, **amounts)

    assert refusal(pending=pending(owner_token_in=4_001)).code == "INSUFFICIENT_BALANCE"
    assert refusal(pending=pending(token_gross=990_001)).code == "INSUFFICIENT_COVER"
    limited = refusal(pending=pending(owner_gross=1), max_value=10_000, limit_used=0)
    assert limited.code == "USER_LIMIT_EXCEEDED" and limited.details["used"] == 1


def test_a_nonce_taken_by_a_pending_order_is_a_conflict_naming_it() -> None:
    check_pending_nonce(ORDER, NOTHING_PENDING)
    with pytest.raises(ValidationError) as refused:
        check_pending_nonce(ORDER, dataclasses.replace(NOTHING_PENDING, nonce_order="0xabc"))
    assert (refused.value.code, refused.value.details["order"]) == ("NONCE_USED", "0xabc")


def test_limit_usage_falls_by_limit_over_window_per_second_never_below_zero() -> None:
    assert decayed_usage(1_000, 10, 8_640, 86_400) == 999
    assert decayed_usage(1_000, 86_400, 8_640, 86_400) == 0
    assert decayed_usage(1_000, 0, 8_640, 0) == 0  # no window: nothing is held
