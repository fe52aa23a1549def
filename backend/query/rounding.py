"""The rounding part of a swap's fee, and the nearest amounts that lose none of it.

A swap's ``fee`` (the exchange's ``quote``) is the fee proper, ``feeBps`` of the value, plus
the rounding dust: the value too small to buy one more point of the target program. The dust
joins the fee, so a page showing ``fee`` beside ``feeBps`` makes a 0.3 % fee look like 1 %.
The contract returns only the sum; the split comes from the Python ``SwapMath``
(``chain.swap_math.quote``, held equal to the compiled contract by a differential test and by
the audit on every swap) and is served only when it gives this very quote's figures, so a
change of the contract's rounding can never make the page show a split the chain does not make.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..chain.swap_math import quote as swap_math
from .chain import Quote

# How far from the asked amount (in points, each way) a lossless amount is looked for: the
# dust repeats with a period of at most valueB × 10 000 points, but a suggestion further
# than this from what the user typed is no longer "the same swap".
LOSSLESS_WINDOW = 1_000


@dataclass(frozen=True, slots=True)
class Lossless:
    """An amount near the asked one whose rounding is the least in the window."""

    amount_in: int
    amount_out: int
    rounding: int


def rounding(q: Quote) -> int | None:
    """The settlement units of ``q.fee`` that are rounding, or None when the mirror of the
    contract's arithmetic does not reproduce this quote (then nothing is claimed)."""
    mine = swap_math(q.amount_in, q.from_value, q.to_value, q.fee_bps)
    if (mine.gross_value, mine.amount_out, mine.fee) != (q.gross_value, q.amount_out, q.fee):
        return None
    return mine.dust


def lossless_amounts(q: Quote, window: int = LOSSLESS_WINDOW) -> list[Lossless]:
    """The nearest amount below and the nearest above ``q.amount_in`` whose rounding is the
    least within ``window`` points (0 where one exists), nearest first; empty when the asked
    amount already loses no more than any of them, or the split is unknown."""
    asked = rounding(q)
    if asked is None or asked == 0:
        return []
    found: dict[int, Lossless] = {}
    for amount in range(max(1, q.amount_in - window), q.amount_in + window + 1):
        nearby = swap_math(amount, q.from_value, q.to_value, q.fee_bps)
        if nearby.amount_out > 0 and amount != q.amount_in:
            found[amount] = Lossless(amount, nearby.amount_out, nearby.dust)
    if not found:
        return []
    least = min(item.rounding for item in found.values())
    if least >= asked:
        return []
    best = [item for item in found.values() if item.rounding == least]
    below = [item for item in best if item.amount_in < q.amount_in]
    above = [item for item in best if item.amount_in > q.amount_in]
    nearest = ([max(below, key=lambda i: i.amount_in)] if below else []) + (
        [min(above, key=lambda i: i.amount_in)] if above else []
    )
    return sorted(nearest, key=lambda item: abs(item.amount_in - q.amount_in))
