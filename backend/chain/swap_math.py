"""The contract's swap pricing and fee split in Python, once: SwapMath.quote and FeeSplit.split.

Why one copy: the audit checks every ``Swapped`` event against ``quote``, the indexer credits
each fee's parts by ``split_fee``, the quote page explains the rounding with ``quote`` and the
contract suite's invariant model predicts every swap with both. Three hand-written copies
drifted apart once already (the fee's rounding). Sharing one copy would let a bug in it pass
everywhere at once, so tests/contracts/test_swap_math_differential.py runs it against the
compiled libraries and PointsExchange.quote on random inputs: this module is the contract's
arithmetic, not an opinion about it.

Pure integers only, no chain or database: the unit tier imports it without either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

BPS = 10_000  # Constants.BPS: basis points in one whole


class Quote(NamedTuple):
    """SwapMath.Quote: the settlement-value breakdown of one swap (field for field)."""

    gross_value: int  # V = amountIn × valueA: settlement units merchant A pays
    amount_out: int  # ⌊(V − F) / valueB⌋: points of B the user receives
    paid_to_target: int  # amountOut × valueB: settlement units merchant B receives
    fee: int  # F + D: credited to the revenue split
    dust: int  # D: the rounding part of ``fee``

    @property
    def charged(self) -> int:
        """F = ⌈V × feeBps / 10 000⌉: the fee proper, without the rounding dust."""
        return self.fee - self.dust


def quote(amount_in: int, value_a: int, value_b: int, fee_bps: int) -> Quote:
    """SwapMath.quote: prices ``amount_in`` points of A (worth ``value_a`` each) into points of
    B (``value_b`` each). The fee rounds up, so no order of non-zero value escapes it by being
    split small; the dust joins the fee, so V = amountOut × valueB + fee exactly."""
    gross = amount_in * value_a
    charged = (gross * fee_bps + BPS - 1) // BPS
    net = gross - charged
    amount_out = net // value_b
    paid = amount_out * value_b
    dust = net - paid
    return Quote(gross, amount_out, paid, charged + dust, dust)


class FeeShares(NamedTuple):
    """FeeSplit.Shares: the payees' shares of a fee in basis points (they sum to 10 000)."""

    platform_bps: int
    source_merchant_bps: int
    target_merchant_bps: int
    relayer_bps: int

    @classmethod
    def from_abi(cls, shares: Mapping[str, int]) -> FeeShares:
        """From the contract's field names (``feeConfig()``, ``FeeSharesChanged``)."""
        return cls(
            int(shares["platformBps"]),
            int(shares["sourceMerchantBps"]),
            int(shares["targetMerchantBps"]),
            int(shares["relayerBps"]),
        )


class FeeParts(NamedTuple):
    """FeeSplit.Parts: what each payee is credited of one fee."""

    platform: int
    source_merchant: int
    target_merchant: int
    relayer: int


def split_fee(shares: FeeShares, fee: int, has_relayer: bool) -> FeeParts:
    """FeeSplit.split: each merchant's and the relayer's share rounded down, the platform the
    remainder, so the parts add up to ``fee`` exactly; with no relayer its share goes to the
    platform."""
    source = fee * shares.source_merchant_bps // BPS
    target = fee * shares.target_merchant_bps // BPS
    relayer = fee * shares.relayer_bps // BPS if has_relayer else 0
    return FeeParts(fee - source - target - relayer, source, target, relayer)
