"""What the audit's replay rebuilds: tokens, markets, merchants, swaps, the fee configuration.

``replay.Replay`` fills them from events. The swap arithmetic it checks swaps with is
``chain.swap_math`` (SwapMath.sol and FeeSplit.sol in Python, held to the compiled contract by
tests/contracts/test_swap_math_differential.py), not the indexer's code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..chain.constants import ZERO_ADDRESS
from ..chain.swap_math import FeeShares


@dataclass
class TokenState:
    address: str
    kind: str  # "points" | "settlement"
    balances: dict[str, int] = field(default_factory=dict)
    minted: int = 0
    burned: int = 0
    issued: int = 0  # Issued / SettlementMinted
    redeemed: int = 0  # Redeemed / SettlementBurned
    swap_minted: int = 0
    swap_burned: int = 0
    issuance_cap: int = 0
    issuance_suspended: bool = False
    # account → [frozen by the merchant, frozen by governance] (IPointsToken.FreezeAuthority)
    freezes: dict[str, list[bool]] = field(default_factory=dict)
    issuers: set[str] = field(default_factory=set)  # the current issuer epoch's keys
    issuer_epoch: int = 0

    @property
    def supply(self) -> int:
        return self.minted - self.burned


@dataclass
class MarketState:
    token: str
    point_value: int
    value_changed_at: int
    admin: str
    listed: bool = True
    active: bool = True
    settlement_balance: int = 0
    fee_credit: int = 0
    reference_value: int = 0  # the daily band's anchor (PointsExchange._checkDailyBand)
    reference_at: int = 0


@dataclass
class MerchantState:
    id: int
    token: str
    admin: str
    name: str
    symbol: str
    status: int  # 1 active, 2 suspended (IMerchantRegistry.Status)
    admitted_block: int
    admitted_at: int


@dataclass
class SwapRecord:
    """A settled swap with the split the replay computed for it."""

    block_number: int
    log_index: int
    tx_hash: str
    timestamp: int
    order_hash: str
    owner: str
    from_token: str
    to_token: str
    nonce: int
    amount_in: int
    amount_out: int
    gross_value: int
    paid_to_target: int
    fee: int
    dust: int
    relayer: str
    platform_payee: str
    platform_fee: int
    source_merchant_fee: int
    target_merchant_fee: int
    relayer_fee: int


@dataclass
class FeeConfig:
    fee_bps: int = 0
    platform_bps: int = 0
    source_bps: int = 0
    target_bps: int = 0
    relayer_bps: int = 0
    platform_payee: str = ZERO_ADDRESS

    @property
    def shares(self) -> FeeShares:
        return FeeShares(self.platform_bps, self.source_bps, self.target_bps, self.relayer_bps)


def decayed_usage(used: int, elapsed: int, limit: int, window: int) -> int:
    """PointsExchange._enforceUserLimit's decay: usage falls by limit / window per second
    (rounded down, as the contract does), never below zero."""
    recovered = elapsed * limit // window
    return used - recovered if used > recovered else 0
