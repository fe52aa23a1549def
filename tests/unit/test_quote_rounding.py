"""The quote's fee split into the fee proper and rounding dust, and the nearest amounts that
lose nothing: the figures the wallet page shows instead of "Fee ¥1.00 (0.3%)" on ¥100."""

from __future__ import annotations

from tongdui.chain.swap_math import quote as swap_math
from tongdui.query.chain import Quote
from tongdui.query.rounding import lossless_amounts, rounding

SKYM, BEAN = 10, 100  # the demo's point values, fen per point
FEE_BPS = 30


def contract_quote(amount_in: int, from_value: int = SKYM, to_value: int = BEAN) -> Quote:
    """What PointsExchange.quote answers: the Python SwapMath, which the differential test
    holds equal to the contract (whichever way the contract rounds its fee)."""
    q = swap_math(amount_in, from_value, to_value, FEE_BPS)
    return Quote(amount_in, q.amount_out, q.fee, q.gross_value, FEE_BPS, from_value, to_value, 1)


def test_fee_hides_rounding_a_swap_of_100_yuan_pays_30_fen_fee_and_70_fen_rounding() -> None:
    q = contract_quote(1000)  # 1 000 SKYM = ¥100 → BEAN at ¥1
    assert (q.fee, q.amount_out) == (100, 99)  # "¥1.00 (0.3%)" is really 1 %
    assert rounding(q) == 70
    assert q.fee - 70 == 30  # 0.3 % of 10 000 fen


def test_the_nearest_amounts_that_lose_nothing_are_suggested_nearest_first() -> None:
    suggestions = lossless_amounts(contract_quote(1000))
    below = [s for s in suggestions if s.amount_in < 1000]
    above = [s for s in suggestions if s.amount_in > 1000]
    assert len(below) == len(above) == 1
    assert abs(suggestions[0].amount_in - 1000) <= abs(suggestions[1].amount_in - 1000)
    for s in suggestions:
        q = contract_quote(s.amount_in)
        assert (s.rounding, s.amount_out) == (rounding(q), q.amount_out) == (0, q.amount_out)
    # nothing nearer on either side loses nothing
    assert all(rounding(contract_quote(a)) for a in range(below[0].amount_in + 1, 1000))
    assert all(rounding(contract_quote(a)) for a in range(1001, above[0].amount_in))


def test_an_amount_that_already_loses_nothing_gets_no_suggestion() -> None:
    lossless = lossless_amounts(contract_quote(1000))[0].amount_in
    q = contract_quote(lossless)
    assert rounding(q) == 0
    assert lossless_amounts(q) == []


def test_when_no_amount_in_the_window_is_lossless_the_least_rounding_is_suggested() -> None:
    q = contract_quote(10_000, from_value=7, to_value=9_973)  # a prime target value
    found = lossless_amounts(q, window=20)
    assert found
    assert all(s.rounding < rounding(q) for s in found)  # type: ignore[operator]
    assert len({s.rounding for s in found}) == 1


def test_no_split_is_claimed_when_the_contract_rounds_otherwise_than_the_mirror() -> None:
    q = contract_quote(1000)
    rounded_up = Quote(q.amount_in, q.amount_out, q.fee + 1, q.gross_value, FEE_BPS, SKYM, BEAN, 1)
    assert rounding(rounded_up) is None
    assert lossless_amounts(rounded_up) == []
