"""The invariant test's model: what the chain must hold, predicted operation by operation.

docs/design.md's value model in Python, apart from the chain: the world the programs run in (fixed
for a run), the model's ghost state (per program) and the rules that predict each order's
outcome (settled, or rejected with which error, in the exchange's order of checks) and apply a
settled swap. Prices and fee parts come from ``tongdui.chain.swap_math``, the one Python copy
of SwapMath and FeeSplit (pinned to the contract by test_swap_math_differential.py).
No brownie here: the machine (invariant_machine.py) drives the chain and asks this module.

Points expire (issue 16): each token's holdings are the bucket model of
points_token_expiry_model.py (keys by month, earliest debited first, expired swept on a
debit), under each merchant's expiry rule; "spendable" is always at the step's block time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.contracts.points_token_expiry_model import Buckets, key_for, month_of
from tongdui.chain.eip712 import Domain, SwapOrder
from tongdui.chain.swap_math import FeeShares, Quote, quote, split_fee

SYMBOLS = ("SKYM", "BEAN", "FRESH")
PAIRS = tuple((a, b) for a in SYMBOLS for b in SYMBOLS if a != b)
USER_COUNT = 4  # the three seeded demo users and a newcomer without points
ZERO = "0x" + "00" * 20
DAY = 86_400  # Constants.VALUE_REFERENCE_PERIOD

# What a batch order may be: the good, and every way an order can fail.
BATCH_KINDS = (
    "valid",
    "valid",
    "valid",
    "pending",  # a signed order from the pool: maybe fine, expired, cancelled or stale
    "replay",  # an order that already settled, sent again
    "duplicate",  # the same signed order twice in one batch
    "expired",
    "stale_counter",
    "wrong_signer",
    "malformed_signature",
    "min_out_too_high",
    "zero_output",  # too few points for one point of the target
    "cover_exceeded",
    "too_many_points",
    "zero_amount",
    "same_token",
)
# Expiry rules the merchants switch between: never, a month, a quarter, two years by quarter.
EXPIRY_RULES = ((0, 0), (1, 1), (1, 3), (2, 1), (24, 3), (12, 12))
DIRECT_KINDS = ("valid", "valid", "expired", "stale_counter", "min_out_too_high", "not_owner")


def decayed(used: int, elapsed: int, cap: int, window: int) -> int:
    """The user limit's usage after `elapsed` seconds: it falls by cap / window per second."""
    recovered = elapsed * cap // window
    return used - recovered if used > recovered else 0


# ─── The world (fixed) and the ghosts (per example) ─────────────────────────────────────────


@dataclass
class World:
    """Contracts and actors; the same for every example."""

    platform: Any
    tokens: dict[str, Any]  # symbol -> PointsToken
    admins: dict[str, Any]  # symbol -> merchant operator
    users: list[Any]
    stranger: Any  # signs orders that are not its own
    settler: Any
    relayer: Any
    platform_payee: Any
    domain: Domain
    fee_bps: int
    shares: FeeShares
    max_step_bps: int
    min_interval: int
    max_daily_bps: int
    min_order_value: int
    limit_cap: int  # the per-user limit (decaying); 0: none
    limit_window: int
    errors: dict[bytes, str]  # selector -> error name, for OrderRejected.reason
    event_names: dict[bytes, str]  # topic -> event name
    # The contracts as web3 objects: batched reads and log decoding, one round trip per step.
    readers: dict[str, Any]  # symbol, "exchange", "settlement" -> web3 contract
    symbol_of: dict[str, str] = field(default_factory=dict)  # token address -> symbol


@dataclass
class Model:
    """What the chain must hold, predicted operation by operation."""

    buckets: dict[str, Buckets]  # symbol -> every holder's expiry buckets
    minted: Counter[str]
    burned: Counter[str]
    values: dict[str, int]
    value_changed_at: dict[str, int]
    settlement: dict[str, int]
    merchant_credit: Counter[str]
    payee_credit: Counter[str]
    frozen: set[tuple[str, str]]
    counters: Counter[str]
    nonce_bits: dict[str, set[int]]  # used or cancelled
    reference: dict[str, tuple[int, int]]  # symbol -> (daily band's anchor value, since)
    limit_used: dict[str, tuple[int, int]] = field(default_factory=dict)  # (at, usage)
    paused: bool = False
    rules: dict[str, tuple[int, int]] = field(default_factory=dict)  # symbol -> expiry rule

    def spendable(self, symbol: str, holder: str, now: int) -> int:
        """Points of `symbol` the holder may spend at unix time `now` (unexpired ones)."""
        return self.buckets[symbol].spendable(holder, month_of(now))

    def mint(self, symbol: str, holder: str, amount: int, now: int) -> None:
        """New points (issue, swap in) under the merchant's rule at `now`."""
        rule = self.rules.get(symbol, (0, 0))
        self.buckets[symbol].mint(holder, key_for(now, *rule), amount)
        self.minted[symbol] += amount

    def burn(self, symbol: str, holder: str, amount: int, now: int) -> None:
        """A debit out of the supply (swap out): expired head buckets are swept first."""
        _, swept = self.buckets[symbol].burn(holder, amount, month_of(now))
        self.burned[symbol] += amount + sum(part for _, part in swept)

    def sweep(self, symbol: str, holder: str, now: int) -> int:
        swept = self.buckets[symbol].sweep(holder, month_of(now))
        gone = sum(part for _, part in swept)
        self.burned[symbol] += gone
        return gone


@dataclass(frozen=True)
class Ticket:
    """A signed order, and who really signed it (None: a malformed signature)."""

    order: SwapOrder
    signature: bytes
    digest: bytes
    signer: str | None


# Rejections settle refuses before it has verified the owner's signature: no nonce consumed.
UNVERIFIED_REJECTIONS = frozenset(
    {"ExchangeOrderExpired", "ExchangeOrderCancelled", "ExchangeNonceUsed", "ExchangeInvalidSigner"}
)


# ─── Predictions ────────────────────────────────────────────────────────────────────────────


def predict(
    world: World, model: Model, ticket: Ticket, now: int, relayer: str | None, sender: str
) -> tuple[str | None, Quote | None]:
    """The error the exchange must raise for this order, in its checks' order, or None
    and the quote if it must settle."""
    order = ticket.order
    if relayer is None and sender != order.owner:
        return "ExchangeNotOwner", None
    if now > order.deadline:
        return "ExchangeOrderExpired", None
    if order.counter != model.counters[order.owner]:
        return "ExchangeOrderCancelled", None
    if order.nonce in model.nonce_bits.setdefault(order.owner, set()):
        return "ExchangeNonceUsed", None
    if relayer is not None and ticket.signer != order.owner:
        return "ExchangeInvalidSigner", None
    if order.amount_in == 0:
        return "ExchangeZeroAmount", None
    if order.from_token == order.to_token:
        return "ExchangeSameToken", None
    source = world.symbol_of[order.from_token]
    target = world.symbol_of[order.to_token]
    q = quote(order.amount_in, model.values[source], model.values[target], world.fee_bps)
    if q.gross_value < world.min_order_value:
        return "ExchangeOrderValueTooLow", None
    if q.amount_out == 0:
        return "ExchangeZeroOutput", None
    if q.amount_out < order.min_amount_out:
        return "ExchangeInsufficientOutput", None
    if world.limit_cap and usage(world, model, order.owner, now) + q.gross_value > world.limit_cap:
        return "ExchangeUserLimitExceeded", None
    if model.settlement[source] < q.gross_value:
        return "ExchangeInsufficientCover", None
    if (source, order.owner) in model.frozen:
        return "PointsTokenAccountFrozen", None
    if model.spendable(source, order.owner, now) < order.amount_in:
        return "ERC20InsufficientBalance", None
    if (target, order.owner) in model.frozen:
        return "PointsTokenAccountFrozen", None
    return None, q


def usage(world: World, model: Model, owner: str, now: int) -> int:
    at, used = model.limit_used.get(owner, (0, 0))
    return decayed(used, now - at, world.limit_cap, world.limit_window)


def apply_swap(
    world: World, model: Model, ticket: Ticket, q: Quote, relayer: str | None, now: int
) -> None:
    order = ticket.order
    if world.limit_cap:
        model.limit_used[order.owner] = (now, usage(world, model, order.owner, now) + q.gross_value)
    source = world.symbol_of[order.from_token]
    target = world.symbol_of[order.to_token]
    model.nonce_bits[order.owner].add(order.nonce)
    model.burn(source, order.owner, order.amount_in, now)
    model.mint(target, order.owner, q.amount_out, now)
    platform, source_part, target_part, relayer_part = split_fee(
        world.shares, q.fee, relayer is not None
    )
    model.settlement[source] -= q.gross_value
    model.settlement[target] += q.paid_to_target
    model.merchant_credit[source] += source_part
    model.merchant_credit[target] += target_part
    model.payee_credit[world.platform_payee.address] += platform
    if relayer is not None:
        model.payee_credit[relayer] += relayer_part
