"""Bad swap orders, one per way an order can fail, shared by the settle and swap tests.

Why one table: a relayed batch rejects a bad order with its error's selector only
(``OrderRejected.reason``), while a direct ``swap`` reverts with the full error. Building each
bad order once lets the settle tests check the selector and the swap tests check the very
same error with its arguments.

Every bad order belongs to the third demo user (20 000 … 80 000 FRESH), so the two good orders
the settle tests put around it (user 0 SKYM→BEAN, user 1 BEAN→SKYM) never touch FRESH, the
market the risk cases disturb.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from brownie import chain, web3

from tongdui.chain.eip712 import Domain, SwapOrder, order_digest, recover_signer, sign_order

ZERO_ADDRESS = "0x" + "00" * 20


@dataclass
class Scene:
    """What a case needs to set the chain up and build its order."""

    platform: Any
    users: list[Any]
    tokens: dict[str, Any]
    admins: dict[str, Any]
    make_order: Callable[..., SwapOrder]
    vote: Callable[..., Any]
    domain: Domain

    @property
    def owner(self) -> Any:
        return self.users[2]


@dataclass(frozen=True)
class BadOrder:
    """An order that must fail with ``error`` (its signature text) and ``args``."""

    order: SwapOrder
    error: str  # e.g. "ExchangeOrderExpired(uint256)"
    args: tuple[Any, ...] = ()
    signature: bytes | None = None  # None: the owner's own valid signature

    @property
    def name(self) -> str:
        return self.error.split("(")[0]

    @property
    def selector(self) -> bytes:
        return bytes(web3.keccak(text=self.error)[:4])

    def signed_by_owner(self, owner: Any, domain: Domain) -> bytes:
        if self.signature is not None:
            return self.signature
        return sign_order(owner.private_key, domain, self.order)


def _fresh_to_sky(s: Scene, amount: int = 1_000, **kwargs: Any) -> SwapOrder:
    return s.make_order(s.owner, "FRESH", "SKYM", amount, **kwargs)


# ─── Failures of the order itself ───────────────────────────────────────────────────────────


def expired(s: Scene) -> BadOrder:
    # A minute before the chain's last block, not before brownie's clock: the two drift apart
    # when a test's time travel is reverted, and a clean-clone CI run saw this order pass as
    # unexpired ("Transaction did not revert") with anvil's clock more than 60 s behind.
    order = _fresh_to_sky(s, deadline=chain[-1].timestamp - 60)
    return BadOrder(order, "ExchangeOrderExpired(uint256)", (order.deadline,))


def used_nonce(s: Scene) -> BadOrder:
    first = _fresh_to_sky(s, nonce=4_242)
    s.platform.exchange.swap(first.as_tuple(), {"from": s.owner})
    return BadOrder(
        _fresh_to_sky(s, nonce=4_242), "ExchangeNonceUsed(address,uint256)", (s.owner, 4_242)
    )


def cancelled_nonce(s: Scene) -> BadOrder:
    nonce = 777  # word 3, bit 9
    s.platform.exchange.cancelNonces(nonce >> 8, 1 << (nonce & 0xFF), {"from": s.owner})
    return BadOrder(
        _fresh_to_sky(s, nonce=nonce), "ExchangeNonceUsed(address,uint256)", (s.owner, nonce)
    )


def stale_counter(s: Scene) -> BadOrder:
    s.platform.exchange.incrementCounter({"from": s.owner})
    return BadOrder(
        _fresh_to_sky(s, counter=0), "ExchangeOrderCancelled(address,uint256)", (s.owner, 1)
    )


def future_counter(s: Scene) -> BadOrder:
    return BadOrder(
        _fresh_to_sky(s, counter=5), "ExchangeOrderCancelled(address,uint256)", (s.owner, 0)
    )


def same_token(s: Scene) -> BadOrder:
    order = s.make_order(s.owner, "FRESH", "FRESH", 1_000)
    return BadOrder(order, "ExchangeSameToken(address)", (s.tokens["FRESH"],))


def zero_amount(s: Scene) -> BadOrder:
    return BadOrder(_fresh_to_sky(s, amount=0), "ExchangeZeroAmount()")


def zero_output(s: Scene) -> BadOrder:
    # 100 FRESH are worth 100 fen (the minimum order), the fee rounds up to 1, and a BEAN
    # star costs 100 fen.
    order = s.make_order(s.owner, "FRESH", "BEAN", 100)
    return BadOrder(order, "ExchangeZeroOutput(uint256)", (100,))


def below_min_order_value(s: Scene) -> BadOrder:
    # 99 FRESH are worth 99 fen, under the default minimum order of 100 fen (¥1).
    return BadOrder(
        _fresh_to_sky(s, amount=99), "ExchangeOrderValueTooLow(uint256,uint256)", (99, 100)
    )


def below_min_amount_out(s: Scene) -> BadOrder:
    # 1 000 fen - 3 fee = 997 fen → 99 SKYM (7 fen dust), one short of the 100 asked for.
    order = _fresh_to_sky(s, min_out=100)
    return BadOrder(order, "ExchangeInsufficientOutput(uint256,uint256)", (99, 100))


def unknown_market(s: Scene) -> BadOrder:
    settlement = s.platform.settlement
    order = s.make_order(s.owner, "FRESH", "SKYM", 1_000)
    order = replace(order, to_token=settlement.address)
    return BadOrder(order, "ExchangeUnknownMarket(address)", (settlement,))


# ─── Failures of the markets, the limits and the tokens ─────────────────────────────────────


def inactive_market(s: Scene) -> BadOrder:
    fresh = s.tokens["FRESH"]
    s.vote((s.platform.registry, "suspendMerchant", (s.platform.registry.merchantIdOf(fresh),)))
    return BadOrder(_fresh_to_sky(s), "ExchangeMarketInactive(address)", (fresh,))


def insufficient_cover(s: Scene) -> BadOrder:
    fresh, admin = s.tokens["FRESH"], s.admins["FRESH"]
    balance = s.platform.exchange.market(fresh)["settlementBalance"]
    s.platform.exchange.withdraw(fresh, admin, balance - 100, {"from": admin})
    return BadOrder(
        _fresh_to_sky(s),
        "ExchangeInsufficientCover(address,uint256,uint256)",
        (fresh, 100, 1_000),
    )


def user_limit_exceeded(s: Scene) -> BadOrder:
    s.vote((s.platform.exchange, "setUserLimit", (50_000, 86_400)))
    return BadOrder(
        _fresh_to_sky(s, amount=60_000),
        "ExchangeUserLimitExceeded(address,uint256,uint256)",
        (s.owner, 60_000, 50_000),
    )


def frozen_user(s: Scene) -> BadOrder:
    fresh = s.tokens["FRESH"]
    fresh.setFrozen(s.owner, True, {"from": s.admins["FRESH"]})
    return BadOrder(_fresh_to_sky(s), "PointsTokenAccountFrozen(address)", (s.owner,))


def paused_token(s: Scene) -> BadOrder:
    s.vote((s.tokens["FRESH"], "pause", ()))
    return BadOrder(_fresh_to_sky(s), "EnforcedPause()")


# ─── Failures of the signature (relayed orders only) ────────────────────────────────────────


def malformed_signature(s: Scene) -> BadOrder:
    return BadOrder(
        _fresh_to_sky(s),
        "ExchangeInvalidSigner(address,address)",
        (ZERO_ADDRESS, s.owner),
        signature=b"\x00" * 65,
    )


def wrong_signer(s: Scene) -> BadOrder:
    order = _fresh_to_sky(s)
    intruder = s.users[0]
    return BadOrder(
        order,
        "ExchangeInvalidSigner(address,address)",
        (intruder, s.owner),
        signature=sign_order(intruder.private_key, s.domain, order),
    )


def tampered_order(s: Scene) -> BadOrder:
    signed = _fresh_to_sky(s)
    signature = sign_order(s.owner.private_key, s.domain, signed)
    tampered = replace(signed, amount_in=2_000)
    recovered = recover_signer(order_digest(s.domain, tampered), signature)
    return BadOrder(
        tampered,
        "ExchangeInvalidSigner(address,address)",
        (recovered, s.owner),
        signature=signature,
    )


ORDER_CASES: dict[str, Callable[[Scene], BadOrder]] = {
    "expired": expired,
    "used_nonce": used_nonce,
    "cancelled_nonce": cancelled_nonce,
    "stale_counter": stale_counter,
    "future_counter": future_counter,
    "same_token": same_token,
    "zero_amount": zero_amount,
    "zero_output": zero_output,
    "below_min_order_value": below_min_order_value,
    "below_min_amount_out": below_min_amount_out,
    "unknown_market": unknown_market,
    "inactive_market": inactive_market,
    "insufficient_cover": insufficient_cover,
    "user_limit_exceeded": user_limit_exceeded,
    "frozen_user": frozen_user,
    "paused_token": paused_token,
}
"""Cases that fail the same way whether relayed or swapped directly by the owner."""

SIGNATURE_CASES: dict[str, Callable[[Scene], BadOrder]] = {
    "malformed_signature": malformed_signature,
    "wrong_signer": wrong_signer,
    "tampered_order": tampered_order,
}
"""Cases only a relayed order can have: a direct swap needs no signature."""

UNVERIFIED_CASES = frozenset(
    {"expired", "used_nonce", "cancelled_nonce", "stale_counter", "future_counter"}
    | set(SIGNATURE_CASES)
)
"""Cases settle refuses before it has verified the owner's signature: the rejection consumes no
nonce (and names an owner only the relayer claimed). Every other rejection is final: the
signed order's nonce is consumed."""
