"""The pricing assistant's answer (``GET /merchants/{token}/pricing/suggestion``): the policy's
suggestion (``pricing.suggest``) over the index's daily series, with the chain's bounds and
cover, in the API's shape.

The chain's facts come in as read at one block (``ChainFacts``, memoised per block by the
route); the series as the index has it. Nothing here reads the chain or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..api.merchant_schemas import PricingDay, PricingReason, PricingSuggestion, ValueBounds
from ..chain.client import Platform
from ..query import chain as live
from . import Period, cover_ratio_bps, suggest


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """What the suggestion needs of the chain, all of one block."""

    bounds: live.ValueBounds
    settlement_balance: int
    supply: int


def chain_facts(platform: Platform, token: str, block: int) -> ChainFacts:
    """``token``'s bounds and cover at ``block``."""
    balance, supply = live.cover_facts(platform, token, block)
    return ChainFacts(live.value_bounds(platform, token, block), balance, supply)


def build(
    facts: ChainFacts, series: list[Period], window_days: int, series_days: int
) -> PricingSuggestion:
    """The suggestion weighing the last ``window_days`` of ``series`` (one ``Period`` per day,
    ending today), with the last ``series_days`` of it for the chart."""
    bounds = facts.bounds
    cover = cover_ratio_bps(facts.settlement_balance, facts.supply, bounds.point_value)
    result = suggest(series[-window_days:], cover, bounds)
    return PricingSuggestion(
        current_value=result.current_value,
        suggested_value=result.suggested_value,
        change_bps=result.change_bps,
        can_accept_now=result.can_accept_now,
        next_change_allowed_at=result.next_change_at,
        cover_ratio_bps=cover,
        window_days=window_days,
        reasons=[PricingReason(code=r.code, params=r.params) for r in result.reasons],  # type: ignore[arg-type]
        bounds=ValueBounds.of(bounds),
        series=[
            PricingDay(
                day=p.day,
                inflow=p.inflow,
                outflow=p.outflow,
                redeemed=p.redeemed,
                point_value=p.point_value,
            )
            for p in series[-series_days:]
        ],
    )
