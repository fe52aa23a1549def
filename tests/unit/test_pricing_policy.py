"""The pricing assistant's policy: outflow with low cover lowers, inflow with high cover
raises, balanced flows keep the value, and nothing outside the chain's bounds is suggested."""

from __future__ import annotations

import random

from tongdui.pricing import Period, cover_ratio_bps, suggest
from tongdui.query.chain import ValueBounds

DAY = 86_400


def bounds_of(value: int, step_bps: int, lo: int, hi: int, next_at: int, now: int) -> ValueBounds:
    """``query.chain.value_bounds``'s answer, as the policy is given it."""
    return ValueBounds(
        point_value=value,
        max_step_bps=step_bps,
        min_interval=0,
        value_changed_at=next_at,
        next_change_at=next_at,
        now=now,
        min_allowed=lo,
        max_allowed=hi,
    )


def bounds(
    value: int = 1_000, step_bps: int = 2_000, now: int = 10_000, next_at: int = 0
) -> ValueBounds:
    step = value * step_bps // 10_000
    return bounds_of(value, step_bps, max(1, value - step), value + step, next_at, now)


def days(*flows: tuple[int, int]) -> list[Period]:
    return [Period(i * DAY, inflow, outflow) for i, (inflow, outflow) in enumerate(flows)]


def codes(result: object) -> list[str]:
    return [r.code for r in result.reasons]  # type: ignore[attr-defined]


def test_net_outflow_with_low_cover_lowers_the_value_in_proportion() -> None:
    result = suggest(days((100, 300), (0, 100)), cover_bps=5_000, bounds=bounds())
    # net -300 of turnover 500: 60% of the 20% step = 12% of 1000
    assert result.suggested_value == 880 and result.change_bps == -1_200
    assert codes(result)[:2] == ["NET_OUTFLOW", "COVER_LOW"]
    assert result.reasons[0].params == {"inflow": 100, "outflow": 400, "net": -300, "days": 2}
    assert result.can_accept_now


def test_net_inflow_with_high_cover_raises_the_value() -> None:
    result = suggest(days((500, 0)), cover_bps=30_000, bounds=bounds())
    assert result.suggested_value == 1_200 and "NET_INFLOW" in codes(result)


def test_balanced_flows_keep_the_value() -> None:
    result = suggest(days((1_000, 950), (500, 540)), cover_bps=5_000, bounds=bounds())
    assert result.suggested_value == 1_000 and result.change_bps == 0
    assert codes(result)[0] == "FLOWS_BALANCED" and not result.can_accept_now


def test_no_swaps_keep_the_value() -> None:
    result = suggest(days((0, 0)), cover_bps=None, bounds=bounds())
    assert result.suggested_value == 1_000 and codes(result)[0] == "NO_SWAPS"


def test_cover_that_argues_the_other_way_keeps_the_value() -> None:
    result = suggest(days((0, 500)), cover_bps=40_000, bounds=bounds())
    assert result.suggested_value == 1_000 and "COVER_OPPOSES" in codes(result)


def test_the_suggestion_is_clamped_to_the_step_bound() -> None:
    # a tight daily band: the chain allows only 950..1050 though the step allows 800..1200
    tight = bounds_of(1_000, 2_000, 950, 1_050, 0, 10_000)
    result = suggest(days((0, 1_000)), cover_bps=1_000, bounds=tight)
    assert result.suggested_value == 950
    clamp = next(r for r in result.reasons if r.code == "CLAMPED_TO_BOUNDS")
    assert clamp.params == {"wanted": 800, "min": 950, "max": 1_050}


def test_the_minimum_interval_is_respected() -> None:
    result = suggest(days((0, 1_000)), cover_bps=1_000, bounds=bounds(now=100, next_at=3_700))
    assert result.suggested_value == 800
    assert not result.can_accept_now and result.next_change_at == 3_700
    assert result.reasons[-1].code == "WAIT_UNTIL" and result.reasons[-1].params == {"at": 3_700}


def test_redemptions_are_reported() -> None:
    periods = [Period(0, 10, 10, redeemed=70)]
    result = suggest(periods, cover_bps=12_000, bounds=bounds())
    assert any(r.code == "REDEMPTIONS" and r.params == {"points": 70} for r in result.reasons)


def test_cover_ratio() -> None:
    assert cover_ratio_bps(15_000, 1_000, 10) == 15_000
    assert cover_ratio_bps(5, 0, 10) is None


def test_no_suggestion_ever_leaves_the_bounds() -> None:
    rng = random.Random(7)
    for _ in range(2_000):
        value = rng.randint(1, 10**9)
        step = rng.randint(0, 5_000)
        lo = max(1, value - value * step // 10_000 - rng.randint(0, 3))
        lo = min(lo, value)
        hi = value + value * step // 10_000
        b = bounds_of(value, step, lo, hi, rng.randint(0, 10), 5)
        flows = [(rng.randint(0, 10**6), rng.randint(0, 10**6)) for _ in range(rng.randint(0, 5))]
        cover = rng.choice([None, rng.randint(0, 50_000)])
        result = suggest(days(*flows), cover_bps=cover, bounds=b)
        assert lo <= result.suggested_value <= hi
