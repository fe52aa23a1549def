"""The bridge member's signed cross rate.

The bridge member holds points on both consortia. For ``amount_in`` points of ``token_a`` it
offers ``amount_out`` points of ``token_b``: both points' settlement values (read live from
each chain's exchange), converted by its FX rate (B's settlement units per A's), less its
spread (its fee). It signs the quote (EIP-712, its key on A) with an expiry, and the timelocks
the swap will use, so the API can later take the quote back from the user and know nothing in
it was changed.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address

from ..chain.eip712 import DOMAIN_FIELDS
from .errors import QuoteExpiredError, QuoteInvalidError

QUOTE_FIELDS: list[dict[str, str]] = [
    {"name": "quoteId", "type": "bytes32"},
    {"name": "user", "type": "address"},
    {"name": "tokenA", "type": "address"},
    {"name": "amountIn", "type": "uint256"},
    {"name": "tokenB", "type": "address"},
    {"name": "amountOut", "type": "uint256"},
    {"name": "bridgeA", "type": "address"},
    {"name": "bridgeB", "type": "address"},
    {"name": "chainB", "type": "uint256"},
    {"name": "timelockA", "type": "uint64"},
    {"name": "timelockB", "type": "uint64"},
    {"name": "expiry", "type": "uint64"},
]
BPS = 10_000


@dataclass(frozen=True)
class Rate:
    """value_a, value_b: settlement units per point on each chain; fx: B units per A unit
    (as a fraction); spread_bps: the bridge member's fee."""

    value_a: int
    value_b: int
    fx_num: int
    fx_den: int
    spread_bps: int

    def amount_out(self, amount_in: int) -> int:
        gross = amount_in * self.value_a * self.fx_num * (BPS - self.spread_bps)
        return gross // (self.fx_den * self.value_b * BPS)


@dataclass(frozen=True)
class Quote:
    quoteId: str
    user: str
    tokenA: str
    amountIn: int
    tokenB: str
    amountOut: int
    bridgeA: str
    bridgeB: str
    chainB: int
    timelockA: int
    timelockB: int
    expiry: int

    def message(self) -> dict[str, Any]:
        return asdict(self)


def quote_typed_data(quote: Quote, chain_a: int, htlc_a: str) -> dict[str, Any]:
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, "CrossQuote": QUOTE_FIELDS},
        "primaryType": "CrossQuote",
        "domain": {
            "name": "Tongdui Bridge",
            "version": "1",
            "chainId": chain_a,
            "verifyingContract": to_checksum_address(htlc_a),
        },
        "message": quote.message(),
    }


def new_quote_id() -> str:
    return "0x" + os.urandom(32).hex()


def sign_quote(key: str, quote: Quote, chain_a: int, htlc_a: str) -> str:
    signable = encode_typed_data(full_message=quote_typed_data(quote, chain_a, htlc_a))
    return "0x" + bytes(Account.sign_message(signable, key).signature).hex()


def verify_quote(
    quote: Quote, signature: str, bridge: str, chain_a: int, htlc_a: str, now: float | None = None
) -> None:
    """The bridge member signed exactly this quote, and it has not expired."""
    try:
        signable = encode_typed_data(full_message=quote_typed_data(quote, chain_a, htlc_a))
        signer = Account.recover_message(signable, signature=signature)
    except Exception:
        signer = None
    if signer is None or signer.lower() != bridge.lower():
        raise QuoteInvalidError(
            "this quote was not signed by the bridge member as sent: ask for a new quote"
        )
    if (time.time() if now is None else now) >= quote.expiry:
        raise QuoteExpiredError(
            "the quote has expired: ask for a new one (quotes are valid for about a minute)",
            expiry=quote.expiry,
        )
