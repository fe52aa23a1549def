"""The voucher quote's arithmetic (``vouchers.quote``): the fewest points that pay a price,
with and without the swap fee, and the cash a short balance leaves ("¥20 more")."""

from __future__ import annotations

from tongdui.vouchers.quote import paid_by, points_for, quote


def test_own_points_pay_the_price_at_their_value_without_a_fee() -> None:
    assert points_for(2_500, 100, 30, own=True) == 25
    assert points_for(2_501, 100, 30, own=True) == 26


def test_another_programs_points_pay_the_price_after_the_fee_rounded_up() -> None:
    points = points_for(2_500, 10, 30, own=False)
    assert points == 251
    assert paid_by(points, 10, 30, own=False) >= 2_500 > paid_by(points - 1, 10, 30, own=False)


def test_every_price_gets_the_fewest_points_that_cover_it() -> None:
    for price in range(1, 3_000, 7):
        for value in (1, 3, 10, 100):
            points = points_for(price, value, 30, own=False)
            assert paid_by(points, value, 30, own=False) >= price
            assert points == 1 or paid_by(points - 1, value, 30, own=False) < price


def test_a_short_balance_is_topped_up_with_cash() -> None:
    short = quote(50_000, 300, 100, 30, own=True)
    assert (short.points_in, short.cash_amount, short.cash_needed) == (300, 20_000, 20_000)
    enough = quote(2_500, 300, 100, 30, own=True)
    assert (enough.points_in, enough.cash_amount, enough.cash_needed) == (25, 0, 0)
