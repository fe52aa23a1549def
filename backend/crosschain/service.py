"""What the cross-chain API does: quote, start, reveal the secret, status.

The API never sends a transaction itself: ``start`` stores the user's signed Lock and permit
(after checking them against the bridge member's quote) and ``reveal`` stores the secret; the
coordinator's loop submits ``lockWithSig`` on A and ``claim`` on B from the bridge member's keys,
so the user pays no gas on either chain.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..chain.artifacts import abi
from ..chain.client import Platform
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..query.chain import market
from .coordinator import terms_a, terms_b
from .errors import (
    InsufficientLiquidityError,
    LockSignatureError,
    SwapNotFoundError,
    SwapStateError,
    WrongSecretError,
)
from .htlc import LockTerms, hashlock_of, lock_typed_data
from .legs import Leg
from .margin import TimelockPolicy
from .models import CLAIMED_A, FAILED, LOCKED_B, OUTCOME, QUOTED, REFUNDED_A, CrossSwap
from .quotes import Quote, Rate, new_quote_id, quote_typed_data, sign_quote, verify_quote

QUOTE_TTL = 60  # s a quote (and the user's Lock signature made from it) stays valid


@dataclass
class Bridge:
    """The bridge member's offer: which tokens, at what rate, its keys' legs on both chains."""

    leg_a: Leg
    leg_b: Leg
    platform_a: Platform
    platform_b: Platform
    token_a: str
    token_b: str
    fx_num: int  # B's settlement units per A's settlement unit, as a fraction
    fx_den: int
    spread_bps: int  # the bridge member's fee
    policy: TimelockPolicy
    quote_key: str  # the bridge member's key on A (signs quotes; never shown)

    def rate(self) -> Rate:
        """Both points' settlement values read live from each chain's exchange."""
        value_a = int(market(self.platform_a, to_checksum_address(self.token_a))["pointValue"])
        value_b = int(market(self.platform_b, to_checksum_address(self.token_b))["pointValue"])
        return Rate(value_a, value_b, self.fx_num, self.fx_den, self.spread_bps)

    def __repr__(self) -> str:
        return f"Bridge({self.token_a} → {self.token_b}, {self.leg_a.address})"


class CrossChain:
    """The API's handle on the bridge (``app.state.crosschain``)."""

    def __init__(self, bridge: Bridge, sessions: sessionmaker[Session]) -> None:
        self.bridge = bridge
        self.sessions = sessions

    def info(self) -> dict[str, Any]:
        bridge = self.bridge
        rate = bridge.rate()
        return {
            "bridge": bridge.leg_a.address,
            "chainA": bridge.leg_a.chain_id,
            "chainB": bridge.leg_b.chain_id,
            "htlcA": bridge.leg_a.htlc.address,
            "htlcB": bridge.leg_b.htlc.address,
            "tokenA": bridge.token_a,
            "tokenB": bridge.token_b,
            "symbolA": _symbol(bridge.platform_a, bridge.token_a),
            "symbolB": _symbol(bridge.platform_b, bridge.token_b),
            "pointValueA": rate.value_a,
            "pointValueB": rate.value_b,
            "fx": [rate.fx_num, rate.fx_den],
            "spreadBps": rate.spread_bps,
            "marginSeconds": bridge.policy.margin(),
            "quoteSeconds": QUOTE_TTL,
            "inventoryB": self._inventory(),
        }

    # ── quote ───────────────────────────────────────────────────────────────────────────────

    def quote(self, user: str, amount_in: int) -> dict[str, Any]:
        bridge = self.bridge
        if amount_in <= 0:
            raise ValidationError("the amount to swap must be at least one point")
        amount_out = bridge.rate().amount_out(amount_in)
        if amount_out <= 0:
            raise ValidationError(
                "this amount buys less than one point on the other chain: swap more",
                code=ErrorCode.CROSSCHAIN_AMOUNT_TOO_SMALL,
            )
        available = self._inventory()
        if amount_out > available:
            raise InsufficientLiquidityError(
                f"the bridge member holds {available} points on the other chain, fewer than "
                f"the {amount_out} this swap needs: swap less, or try later",
                available=available,
            )
        now_b = bridge.leg_b.head().timestamp
        timelock_a, timelock_b = bridge.policy.choose(now_b, QUOTE_TTL)
        quote = Quote(
            quoteId=new_quote_id(),
            user=to_checksum_address(user),
            tokenA=to_checksum_address(bridge.token_a),
            amountIn=amount_in,
            tokenB=to_checksum_address(bridge.token_b),
            amountOut=amount_out,
            bridgeA=bridge.leg_a.address,
            bridgeB=bridge.leg_b.address,
            chainB=bridge.leg_b.chain_id,
            timelockA=timelock_a,
            timelockB=timelock_b,
            expiry=int(time.time()) + QUOTE_TTL,
        )
        htlc_a = bridge.leg_a.htlc.address
        signature = sign_quote(bridge.quote_key, quote, bridge.leg_a.chain_id, htlc_a)
        token = bridge.platform_a.points_token(quote.tokenA)
        return {
            "quote": quote.message(),
            "signature": signature,
            "chainA": bridge.leg_a.chain_id,
            "htlcA": htlc_a,
            "htlcB": bridge.leg_b.htlc.address,
            "margin": bridge.policy.margin(),
            "lockDeadline": quote.expiry,
            "permit": {
                "name": token.functions.name().call(),
                "nonce": int(token.functions.nonces(quote.user).call()),
                "spender": htlc_a,
            },
            "typedData": quote_typed_data(quote, bridge.leg_a.chain_id, htlc_a),
        }

    def _inventory(self) -> int:
        """The bridge member's points on B not yet promised to an open swap."""
        bridge = self.bridge
        token = bridge.leg_b.w3.eth.contract(
            address=to_checksum_address(bridge.token_b), abi=abi("PointsToken")
        )
        balance = int(token.functions.balanceOf(bridge.leg_b.address).call())
        with self.sessions() as session:
            promised = session.scalars(
                select(CrossSwap.amount_b).where(CrossSwap.state.in_((QUOTED, "locked_a")))
            ).all()
        return balance - sum(promised)

    # ── start ───────────────────────────────────────────────────────────────────────────────

    def start(
        self,
        quote: Quote,
        quote_signature: str,
        hashlock: str,
        lock_signature: str,
        permit: dict[str, Any],
    ) -> dict[str, Any]:
        bridge = self.bridge
        htlc_a = bridge.leg_a.htlc.address
        verify_quote(quote, quote_signature, bridge.leg_a.address, bridge.leg_a.chain_id, htlc_a)
        if (
            quote.tokenA.lower() != bridge.token_a.lower()
            or quote.tokenB.lower() != bridge.token_b.lower()
        ):
            raise ValidationError(
                "this quote is for another pair of points", code=ErrorCode.CROSSCHAIN_QUOTE_INVALID
            )
        hashlock_bytes = _bytes32(hashlock, "hashlock")
        terms = LockTerms(
            bridge.leg_a.chain_id,
            htlc_a,
            quote.tokenA,
            quote.user,
            quote.bridgeA,
            quote.amountIn,
            hashlock_bytes,
            quote.timelockA,
            0,
        )
        typed = lock_typed_data(terms, quote.expiry)
        try:
            signer = Account.recover_message(
                encode_typed_data(full_message=typed), signature=lock_signature
            )
        except Exception:
            signer = None
        if signer is None or signer.lower() != quote.user.lower():
            raise LockSignatureError(
                "the Lock signature is not the quoted user's signature of the quoted lock: sign "
                "the Lock the quote describes with the quoted address"
            )
        permit_fields = {
            "deadline": int(permit["deadline"]),
            "v": int(permit["v"]),
            "r": "0x" + _bytes32(str(permit["r"]), "permit r").hex(),
            "s": "0x" + _bytes32(str(permit["s"]), "permit s").hex(),
        }
        now = time.time()
        swap = CrossSwap(
            hashlock="0x" + hashlock_bytes.hex(),
            quote_id=quote.quoteId.lower(),
            state=QUOTED,
            user=quote.user,
            bridge_a=quote.bridgeA,
            bridge_b=quote.bridgeB,
            chain_a=bridge.leg_a.chain_id,
            chain_b=bridge.leg_b.chain_id,
            htlc_a=htlc_a,
            htlc_b=bridge.leg_b.htlc.address,
            token_a=quote.tokenA,
            token_b=quote.tokenB,
            amount_a=quote.amountIn,
            amount_b=quote.amountOut,
            timelock_a=quote.timelockA,
            timelock_b=quote.timelockB,
            lock_id_a="0x" + terms.lock_id().hex(),
            lock_id_b="",
            lock_deadline=quote.expiry,
            lock_signature=lock_signature,
            permit=json.dumps(permit_fields),
            created_at=now,
            updated_at=now,
        )
        swap.lock_id_b = "0x" + terms_b(swap).lock_id().hex()
        if quote.amountOut > self._inventory():
            raise InsufficientLiquidityError(
                "the bridge member's points on the other chain are promised to other swaps now: "
                "ask for a new quote"
            )
        try:
            with transaction(self.sessions) as session:
                session.add(swap)
        except IntegrityError:
            raise ValidationError(
                "this quote or this hashlock was already used for a swap: ask for a new quote "
                "and make a new secret",
                code=ErrorCode.CROSSCHAIN_QUOTE_USED,
            ) from None
        return swap_out(swap)

    # ── reveal and status ───────────────────────────────────────────────────────────────────

    def reveal(self, swap_id: int, secret: str) -> dict[str, Any]:
        preimage = _bytes32(secret, "secret")
        with transaction(self.sessions) as session:
            swap = session.get(CrossSwap, swap_id)
            if swap is None:
                raise SwapNotFoundError(f"no cross-chain swap {swap_id}")
            if "0x" + hashlock_of(preimage).hex() != swap.hashlock:
                raise WrongSecretError(
                    "this secret does not open the swap's hashlock: send the secret this wallet "
                    "made when it started the swap"
                )
            if swap.state != LOCKED_B and swap.preimage is None:
                raise SwapStateError(
                    f"the swap is {swap.state}: the secret is revealed only once the bridge "
                    "member's points are locked for you on the other chain",
                    state=swap.state,
                )
            swap.preimage = "0x" + preimage.hex()
            swap.updated_at = time.time()
        return swap_out(swap)

    def status(self, swap_id: int) -> dict[str, Any]:
        with self.sessions() as session:
            swap = session.get(CrossSwap, swap_id)
            if swap is None:
                raise SwapNotFoundError(f"no cross-chain swap {swap_id}")
            return swap_out(swap)

    def swaps(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest swaps, both legs each (what the auditors of both sides look at)."""
        with self.sessions() as session:
            rows = session.scalars(
                select(CrossSwap).order_by(CrossSwap.id.desc()).limit(limit)
            ).all()
            return [swap_out(row) for row in rows]


def swap_out(swap: CrossSwap) -> dict[str, Any]:
    """A swap as the API shows it: never the secret before the user revealed it on B."""
    return {
        "id": swap.id,
        "state": swap.state,
        "outcome": OUTCOME.get(swap.state),
        "hashlock": swap.hashlock,
        "user": swap.user,
        "reason": swap.reason,
        "legs": {
            "A": {
                "chainId": swap.chain_a,
                "htlc": swap.htlc_a,
                "lockId": swap.lock_id_a,
                "token": swap.token_a,
                "amount": swap.amount_a,
                "sender": swap.user,
                "receiver": swap.bridge_a,
                "timelock": swap.timelock_a,
                "state": _leg_state(swap.state, "A"),
            },
            "B": {
                "chainId": swap.chain_b,
                "htlc": swap.htlc_b,
                "lockId": swap.lock_id_b,
                "token": swap.token_b,
                "amount": swap.amount_b,
                "sender": swap.bridge_b,
                "receiver": swap.user,
                "timelock": swap.timelock_b,
                "state": _leg_state(swap.state, "B"),
            },
        },
    }


LEG_STATES = {
    # swap state: (leg A, leg B)
    QUOTED: ("pending", "none"),
    "locked_a": ("locked", "pending"),
    LOCKED_B: ("locked", "locked"),
    "claimed_b": ("locked", "claimed"),
    CLAIMED_A: ("claimed", "claimed"),
    "refunded_b": ("locked", "refunded"),
    REFUNDED_A: ("refunded", "refunded"),
    FAILED: ("none", "none"),
}


def _leg_state(state: str, leg: str) -> str:
    a, b = LEG_STATES.get(state, ("?", "?"))
    return a if leg == "A" else b


def _symbol(platform: Platform, token: str) -> str:
    contract = platform.points_token(token)
    return str(contract.functions.symbol().call())


def _bytes32(value: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(value[2:] if value.startswith("0x") else value)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValidationError(
            f"the {what} must be 32 bytes as 0x-hex", code=ErrorCode.CROSSCHAIN_MALFORMED
        )
    return raw


__all__ = ["QUOTE_TTL", "Bridge", "CrossChain", "swap_out", "terms_a"]
