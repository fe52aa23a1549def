"""The Python swap arithmetic (``tongdui.chain.swap_math``) keeps the value model's rules.

Its equality with the contract is tests/contracts/test_swap_math_differential.py (on a chain);
here, without one, the rules docs/design.md states and the examples the pages quote."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tongdui.chain.swap_math import BPS, FeeShares, Quote, quote, split_fee

DEMO_SHARES = FeeShares(4_000, 2_000, 2_000, 2_000)  # PointsExchange's opening shares

amounts = st.integers(0, 10**15)
values = st.integers(1, 10**9)
fee_bps = st.integers(0, 1_000)  # Constants.MAX_FEE_BPS


def test_a_ten_fen_swap_at_0_3_percent_still_pays_one_fen() -> None:
    assert quote(1, 10, 1, 30) == Quote(10, 9, 9, 1, 0)


def test_what_buys_no_whole_target_point_is_dust_in_the_fee() -> None:
    assert quote(99, 1, 100, 30) == Quote(99, 0, 0, 99, 98)
    q = quote(12_347, 1, 10, 30)
    assert (q.charged, q.dust, q.amount_out) == (38, 9, 1_230)


def test_the_fee_shares_of_the_demo_split_a_fee_of_one_hundred() -> None:
    assert split_fee(DEMO_SHARES, 100, True) == (40, 20, 20, 20)
    assert split_fee(DEMO_SHARES, 100, False) == (60, 20, 20, 0)


def test_fee_shares_read_from_the_contracts_field_names() -> None:
    fields = {"platformBps": 4_000, "sourceMerchantBps": 2_000, "targetMerchantBps": 2_000}
    assert FeeShares.from_abi({**fields, "relayerBps": 2_000}) == DEMO_SHARES


@given(amount_in=amounts, value_a=values, value_b=values, fee=fee_bps)
def test_no_value_is_created_or_lost(amount_in: int, value_a: int, value_b: int, fee: int) -> None:
    q = quote(amount_in, value_a, value_b, fee)
    assert q.gross_value == amount_in * value_a == q.paid_to_target + q.fee
    assert q.paid_to_target == q.amount_out * value_b
    assert 0 <= q.dust < value_b and q.dust <= q.fee


@given(amount_in=st.integers(1, 10**15), value_a=values, value_b=values, fee=st.integers(1, 1_000))
def test_every_order_of_value_pays_at_least_the_fee_rounded_up(
    amount_in: int, value_a: int, value_b: int, fee: int
) -> None:
    q = quote(amount_in, value_a, value_b, fee)
    assert q.charged >= 1
    assert q.charged * BPS >= q.gross_value * fee > (q.charged - 1) * BPS


@given(
    fee=st.integers(0, 10**18),
    cuts=st.lists(st.integers(0, BPS), min_size=3, max_size=3),
    has_relayer=st.booleans(),
)
def test_the_parts_add_up_to_the_fee(fee: int, cuts: list[int], has_relayer: bool) -> None:
    low, middle, high = sorted(cuts)
    shares = FeeShares(BPS - high, low, middle - low, high - middle)
    parts = split_fee(shares, fee, has_relayer)
    assert sum(parts) == fee
    assert parts.source_merchant == fee * shares.source_merchant_bps // BPS
    assert parts.relayer == (fee * shares.relayer_bps // BPS if has_relayer else 0)
