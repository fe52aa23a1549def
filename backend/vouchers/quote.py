"""What a voucher costs in a program's points, and what cash tops it up ("¥20 more").

Paid with the voucher merchant's own points, ``pointsIn × value ≥ pointsPart`` (burned, no
fee). Paid with another program's, the exchange prices the points as a swap: gross
``V = pointsIn × valueA``, fee ``⌈V × feeBps / 10 000⌉``, and what remains must cover the
points part (the rest is dust, joined to the fee). Pure integers: the unit tier tests it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..chain.swap_math import BPS


def paid_by(points: int, value: int, fee_bps: int, own: bool) -> int:
    """Settlement units ``points`` pay towards a voucher (after the fee, for other points)."""
    gross = points * value
    return gross if own else gross - (gross * fee_bps + BPS - 1) // BPS


def points_for(points_part: int, value: int, fee_bps: int, own: bool) -> int:
    """The fewest points that pay ``points_part`` (0 for nothing to pay)."""
    if points_part <= 0:
        return 0
    if own:
        return -(-points_part // value)
    net_per_point = value * (BPS - fee_bps)
    points = max(1, (points_part * BPS) // net_per_point)
    while paid_by(points, value, fee_bps, own) < points_part:
        points += 1
    while points > 1 and paid_by(points - 1, value, fee_bps, own) >= points_part:
        points -= 1
    return points


@dataclass(frozen=True, slots=True)
class VoucherQuote:
    points_in: int  # points to sign for
    cash_amount: int  # fen to pay in cash
    points_available: int  # the holder's balance of the paying program
    cash_needed: int  # fen the balance leaves to pay (0: the points pay it all)


def quote(price: int, balance: int, value: int, fee_bps: int, own: bool) -> VoucherQuote:
    """The whole price in points if the balance pays it, else the balance's worth in points
    and the rest in cash."""
    whole = points_for(price, value, fee_bps, own)
    if balance >= whole:
        return VoucherQuote(whole, 0, balance, 0)
    covered = min(price, max(0, paid_by(balance, value, fee_bps, own)))
    cash = price - covered
    return VoucherQuote(points_for(covered, value, fee_bps, own), cash, balance, cash)
