"""Order intake's checks: pure functions of the order, what the chain said and what pending
orders hold, each refusal a stable code and a sentence saying what to do.

They mirror the contract's own checks (PointsExchange.settle), so that a user hears at once
what ``settle`` would reject later; no I/O here (``chain_facts`` reads the chain,
``order_store`` the pending amounts).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_utils import to_checksum_address

from ..chain.eip712 import Domain, SwapOrder, recover_signer
from ..chain.signature_rules import canonical_hex
from ..core.db import INT64_MAX
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from .reads import CallReverted
from .schemas import SwapOrderIn


@lru_cache(maxsize=65_536)
def checksum(address: str) -> str:
    """``to_checksum_address``, remembered: it costs two keccaks and owners come back often."""
    return str(to_checksum_address(address))


def refuse(code: ErrorCode, message: str, **details: Any) -> ValidationError:
    """A 4xx with a stable code, answering the code's catalogue status (raise the result)."""
    return ValidationError(message, code=code, status=code.status, **details)


def to_order(body: SwapOrderIn) -> SwapOrder:
    """The typed order, with the index's int64 bounds checked (MALFORMED_ORDER)."""
    for name in ("amount_in", "min_amount_out", "deadline", "counter"):
        if getattr(body, name) > INT64_MAX:
            raise refuse(
                ErrorCode.MALFORMED_ORDER,
                f"{name} is larger than this relayer accepts "
                "(2^63-1); points amounts and unix times are far below that.",
                field=name,
            )
    return SwapOrder(
        owner=checksum(body.owner),
        from_token=checksum(body.from_token),
        to_token=checksum(body.to_token),
        amount_in=body.amount_in,
        min_amount_out=body.min_amount_out,
        nonce=body.nonce,
        deadline=body.deadline,
        counter=body.counter,
    )


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """What the chain says about an order (one batched read, before the owner's lock)."""

    nonce_used: bool
    counter: int
    limit_updated_at: int  # the owner's decaying limit usage, as of limit_updated_at
    limit_used: int
    quoted: tuple[int, int, int] | CallReverted  # (amountOut, fee, grossValue)
    balance: int
    cover: int  # the source merchant's settlement balance
    window: int  # the per-user limit's window (seconds) and cap; cap 0 = no limit
    max_value: int
    target_supply: int  # to_token's outstanding points and its cap (a swap in mints within it)
    target_cap: int
    min_order_value: int = 0  # the smallest gross value the exchange accepts


@dataclass(frozen=True, slots=True)
class Pending:
    """Amounts promised to pending orders, from one query under the owner's lock."""

    nonce_order: str | None  # a pending order of the owner with the same nonce
    owner_token_in: int  # points of from_token the owner's pending orders give
    token_gross: int  # settlement value all pending orders take from from_token's merchant
    owner_gross: int  # settlement value of the owner's pending orders (window limit)


def check_domain(domain: Domain, body: SwapOrderIn) -> None:
    """The order is signed for this chain and exchange (when it says which)."""
    if body.chain_id is not None and body.chain_id != domain.chain_id:
        raise refuse(
            ErrorCode.WRONG_CHAIN,
            f"The order was signed for chain {body.chain_id}, but "
            f"this relayer serves chain {domain.chain_id}; switch your wallet's "
            "network and sign again.",
            expected=domain.chain_id,
        )
    if (
        body.verifying_contract is not None
        and body.verifying_contract.lower() != domain.verifying_contract.lower()
    ):
        raise refuse(
            ErrorCode.WRONG_DOMAIN,
            "The order was signed for another exchange contract "
            f"({body.verifying_contract}); sign for {domain.verifying_contract} "
            "(see GET /orders/domain).",
            expected=domain.verifying_contract,
        )


def check_signed(order: SwapOrder, order_hash: str, signature: str) -> str:
    """The checks that need only the order and its signature; returns the signature in the
    one form ever stored, the contract's (``canonical_hex``): a copy with v shifted or s
    flipped would otherwise be kept under this digest and shadow the real one."""
    canonical = canonical_hex(signature)
    check_signature(order, order_hash, canonical)
    check_fields(order)
    return canonical


def check_signature(order: SwapOrder, order_hash: str, signature: str) -> None:
    try:
        signer = recover_signer(bytes.fromhex(order_hash[2:]), bytes.fromhex(signature[2:]))
    except Exception as error:  # malformed r/s/v: no signer at all
        raise refuse(
            ErrorCode.INVALID_SIGNER,
            "The signature is not a valid secp256k1 signature; "
            "sign the order's EIP-712 digest with the owner's wallet.",
        ) from error
    if signer != order.owner:
        raise refuse(
            ErrorCode.INVALID_SIGNER,
            ErrorCode.INVALID_SIGNER.message
            + " (If you did, check the domain: GET /orders/domain.)",
            signer=signer,
            owner=order.owner,
        )


def check_fields(order: SwapOrder) -> None:
    """The checks that need nothing but the order itself."""
    if order.deadline < time.time():
        raise refuse(
            ErrorCode.ORDER_EXPIRED, ErrorCode.ORDER_EXPIRED.message, deadline=order.deadline
        )
    if order.amount_in == 0:
        raise refuse(ErrorCode.ZERO_AMOUNT, ErrorCode.ZERO_AMOUNT.message)
    if order.from_token == order.to_token:
        raise refuse(ErrorCode.SAME_TOKEN, ErrorCode.SAME_TOKEN.message)


def check_chain(order: SwapOrder, facts: ChainFacts, pending: Pending) -> int:
    """The on-chain checks, pending orders counted; returns the quoted gross value."""
    if facts.nonce_used:
        raise refuse(ErrorCode.NONCE_USED, ErrorCode.NONCE_USED.message, nonce=str(order.nonce))
    counter = facts.counter
    if order.counter != counter:
        code = ErrorCode.ORDER_CANCELLED if order.counter < counter else ErrorCode.WRONG_COUNTER
        raise refuse(
            code,
            f"The order carries counter {order.counter} but your current "
            f"counter is {counter}: sign the order again with counter {counter}.",
            counter=counter,
        )
    if isinstance(facts.quoted, CallReverted):
        error = facts.quoted.error
        # a refusal of the quote call answers 400 whatever the contract's code
        raise ValidationError(error.message, code=error.code, **error.args)
    amount_out, _fee, gross = facts.quoted
    if gross < facts.min_order_value:
        raise refuse(
            ErrorCode.ORDER_VALUE_TOO_LOW,
            f"The order is worth {gross} settlement units, below the smallest order the "
            f"exchange accepts ({facts.min_order_value}); swap more points at once.",
            gross_value=gross,
            min_order_value=facts.min_order_value,
        )
    if amount_out == 0:
        raise refuse(
            ErrorCode.ZERO_OUTPUT, ErrorCode.ZERO_OUTPUT.message, amount_in=order.amount_in
        )
    if amount_out < order.min_amount_out:
        raise refuse(
            ErrorCode.INSUFFICIENT_OUTPUT,
            f"The swap would give {amount_out} points, fewer "
            f"than your minimum {order.min_amount_out}; quote again and re-sign.",
            amount_out=amount_out,
            min_amount_out=order.min_amount_out,
        )
    if facts.target_supply + amount_out > facts.target_cap:
        supply_after = facts.target_supply + amount_out
        raise refuse(
            ErrorCode.CAP_EXCEEDED,
            ErrorCode.CAP_EXCEEDED.message,
            supply_after=supply_after,
            cap=facts.target_cap,
        )
    pending_in = pending.owner_token_in
    if facts.balance < order.amount_in + pending_in:
        raise refuse(
            ErrorCode.INSUFFICIENT_BALANCE,
            f"You hold {facts.balance} points of this program and "
            f"{pending_in} are promised to pending orders, so {order.amount_in} more "
            "cannot be swapped; lower the amount or wait for them to settle.",
            balance=facts.balance,
            pending=pending_in,
            needed=order.amount_in,
        )
    if facts.cover - pending.token_gross < gross:
        raise refuse(
            ErrorCode.INSUFFICIENT_COVER,
            ErrorCode.INSUFFICIENT_COVER.message,
            balance=facts.cover,
            pending=pending.token_gross,
            needed=gross,
        )
    if facts.max_value:
        used_value = decayed_usage(
            facts.limit_used,
            max(0, int(time.time()) - facts.limit_updated_at),
            facts.max_value,
            facts.window,
        )
        total = used_value + pending.owner_gross + gross
        if total > facts.max_value:
            raise refuse(
                ErrorCode.USER_LIMIT_EXCEEDED,
                f"This swap would bring your recent swapped value to {total}, above the "
                f"limit {facts.max_value} (it recovers over {facts.window} s); "
                "swap less or wait a while.",
                used=used_value + pending.owner_gross,
                limit=facts.max_value,
                needed=gross,
            )
    return int(gross)


def decayed_usage(used: int, elapsed: int, limit: int, window: int) -> int:
    """PointsExchange._enforceUserLimit's decaying window: usage falls by limit / window per
    second, rounded down, never below zero (kept here, apart from the audit's copy, so that
    the relayer and the auditor do not share a bug)."""
    recovered = elapsed * limit // window if window else used
    return used - recovered if used > recovered else 0


def check_pending_nonce(order: SwapOrder, pending: Pending) -> None:
    taken = pending.nonce_order
    if taken is not None:
        raise refuse(
            ErrorCode.NONCE_USED,
            f"Nonce {order.nonce} is already taken by your pending "
            f"order {taken}; sign with a fresh nonce.",
            order=taken,
        )
