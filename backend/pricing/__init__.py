"""Pricing assistant: a point value to suggest to a merchant from what the chain shows.

The policy (also in docs/design.md, "Pricing assistant"), over the window of days given:

* ``inflow`` is the settlement value paid *to* this merchant by swaps into its points,
  ``outflow`` the value it paid by swaps out of them; ``net = inflow - outflow`` and
  ``turnover = inflow + outflow``.
* No swaps at all, or ``|net| <= BALANCED_SHARE_BPS`` of turnover: flows are balanced, keep the
  value (``FLOWS_BALANCED`` / ``NO_SWAPS``).
* Cover ratio = settlement balance / outstanding liability (supply x point value), in bps.
  Below ``COVER_LOW_BPS`` it is low, above ``COVER_HIGH_BPS`` high.
* Net outflow with cover not high: lower the value (fewer settlement units leave per point).
  Net inflow with cover not low: raise it. Otherwise keep it (the cover argues the other way).
* The move is proportional to the imbalance: ``|net| / turnover`` of the governance step
  (``max_step_bps``), at least one unit, then clamped to what the chain accepts
  (``min_allowed``..``max_allowed``: the step bound and the daily band around the reference).
* Redemptions shrink the liability without settlement moving; they are reported, not weighed.
* The chain keeps the final say: a change is accepted only from ``next_change_at`` (the
  minimum interval); before that the suggestion says when (``WAIT_UNTIL``).

Pure functions of their inputs: no chain, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

BPS = 10_000
BALANCED_SHARE_BPS = 1_000  # |net| within 10% of turnover counts as balanced
COVER_LOW_BPS = 10_000  # settlement below 100% of outstanding liability
COVER_HIGH_BPS = 15_000  # settlement above 150% of outstanding liability


@dataclass(frozen=True)
class Period:
    """One day's flows in settlement units, and points redeemed that day."""

    day: int  # unix seconds at 00:00 UTC
    inflow: int
    outflow: int
    redeemed: int = 0
    point_value: int = 0  # the value in force at the end of the day


class Bounds(Protocol):
    """What the chain would accept for the next change: ``query.chain.value_bounds``'s answer
    (``ValueBounds``) as it is; only these of its fields are weighed."""

    @property
    def point_value(self) -> int: ...
    @property
    def max_step_bps(self) -> int: ...
    @property
    def min_allowed(self) -> int: ...
    @property
    def max_allowed(self) -> int: ...
    @property
    def next_change_at(self) -> int: ...
    @property
    def now(self) -> int: ...


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    current_value: int
    suggested_value: int
    change_bps: int
    can_accept_now: bool
    next_change_at: int
    reasons: list[Reason]


def cover_ratio_bps(settlement_balance: int, supply: int, point_value: int) -> int | None:
    """Settlement balance over outstanding liability, in bps; None with nothing outstanding."""
    liability = supply * point_value
    return None if liability == 0 else settlement_balance * BPS // liability


def suggest(periods: list[Period], cover_bps: int | None, bounds: Bounds) -> Suggestion:
    """The value to suggest now, within ``bounds``, with the reasons for it."""
    value = bounds.point_value
    inflow = sum(p.inflow for p in periods)
    outflow = sum(p.outflow for p in periods)
    redeemed = sum(p.redeemed for p in periods)
    net, turnover = inflow - outflow, inflow + outflow
    reasons: list[Reason] = []
    flow = {"inflow": inflow, "outflow": outflow, "net": net, "days": len(periods)}
    cover = {"coverBps": cover_bps}
    if cover_bps is None:
        reasons.append(Reason("COVER_NONE"))
    elif cover_bps < COVER_LOW_BPS:
        reasons.append(Reason("COVER_LOW", {**cover, "thresholdBps": COVER_LOW_BPS}))
    elif cover_bps > COVER_HIGH_BPS:
        reasons.append(Reason("COVER_HIGH", {**cover, "thresholdBps": COVER_HIGH_BPS}))
    else:
        reasons.append(Reason("COVER_ADEQUATE", cover))
    if redeemed:
        reasons.append(Reason("REDEMPTIONS", {"points": redeemed}))
    low = cover_bps is not None and cover_bps < COVER_LOW_BPS
    high = cover_bps is None or cover_bps > COVER_HIGH_BPS
    direction = 0
    if turnover == 0:
        reasons.insert(0, Reason("NO_SWAPS", {"days": len(periods)}))
    elif abs(net) * BPS <= turnover * BALANCED_SHARE_BPS:
        reasons.insert(0, Reason("FLOWS_BALANCED", {**flow, "thresholdBps": BALANCED_SHARE_BPS}))
    elif net < 0:
        reasons.insert(0, Reason("NET_OUTFLOW", flow))
        direction = 0 if high else -1
    else:
        reasons.insert(0, Reason("NET_INFLOW", flow))
        direction = 0 if low else 1
    if turnover and direction == 0 and abs(net) * BPS > turnover * BALANCED_SHARE_BPS:
        reasons.append(Reason("COVER_OPPOSES"))
    target = value
    if direction:
        step = max(1, value * bounds.max_step_bps * abs(net) // (turnover * BPS))
        target = value + direction * step
        clamped = min(max(target, bounds.min_allowed), bounds.max_allowed)
        if clamped != target:
            reasons.append(
                Reason(
                    "CLAMPED_TO_BOUNDS",
                    {"wanted": target, "min": bounds.min_allowed, "max": bounds.max_allowed},
                )
            )
        target = clamped
    can_now = bounds.now >= bounds.next_change_at
    if target != value and not can_now:
        reasons.append(Reason("WAIT_UNTIL", {"at": bounds.next_change_at}))
    change_bps = (target - value) * BPS // value if value else 0
    return Suggestion(
        current_value=value,
        suggested_value=target,
        change_bps=change_bps,
        can_accept_now=can_now and target != value,
        next_change_at=bounds.next_change_at,
        reasons=reasons,
    )
