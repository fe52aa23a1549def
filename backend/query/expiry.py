"""Reads of the indexed expiry buckets (issue 16): a holder's points by the day they expire.

As of the indexer's checkpoint; whether a bucket is expired (or expires soon) is judged at
``now``, the chain's latest block time (the moment the contract would judge a spend at), not
the server's clock: a chain whose clock was moved (a test's ``evm_increaseTime``) is read as
the contract sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..chain import expiry
from ..indexer.expiry_models import ExpiryBucket, ExpiryRule
from ..indexer.models import Merchant
from .block_reads import BlockReads

SOON_DAYS = 90
HEAD_TIME = ("head block timestamp",)  # the BlockReads key of ``head_time``


def head_time(reads: BlockReads) -> int:
    """``now``: the latest block's timestamp, asked of the node once per head block.

    Why not ``w3.eth.get_block("latest")`` per request: that was a JSON-RPC round trip (and
    web3's block formatting) on every uncached ``/balances`` and ``/accounts/{a}/expiry``, the
    read path issue 19 keeps off the network; a block's timestamp never changes, so the one
    read per head block is the same answer."""
    _block, timestamp = reads.get(
        HEAD_TIME, lambda block: int(reads.w3.eth.get_block(block)["timestamp"])
    )
    return timestamp


@dataclass(frozen=True, slots=True)
class Bucket:
    token: str
    symbol: str
    key: int
    amount: int
    expires_at: int | None  # unix seconds of the instant; None: never
    last_day: str | None  # ISO date of the last day the points can be spent
    expired: bool
    soon: bool  # not expired, and the instant is within SOON_DAYS of ``now``


def holder_buckets(session: Session, holder: str, now: int) -> list[Bucket]:
    """``holder``'s buckets of every program, earliest expiry first (never-expiring last)."""
    rows = session.execute(
        select(ExpiryBucket.token, Merchant.symbol, ExpiryBucket.key, ExpiryBucket.amount)
        .join(Merchant, Merchant.token == ExpiryBucket.token)
        .where(ExpiryBucket.holder == holder, ExpiryBucket.amount > 0)
        .order_by(ExpiryBucket.key, Merchant.id)
    )
    found = []
    for token, symbol, key, amount in rows:
        moment = expiry.expires_at(key)
        expired = moment is not None and now >= moment
        soon = moment is not None and not expired and moment - now <= SOON_DAYS * 86_400
        found.append(
            Bucket(token, symbol, key, amount, moment, expiry.last_day_iso(key), expired, soon)
        )
    return found


def rule(session: Session, token: str) -> tuple[int, int]:
    """The token's indexed rule (validity, rounding months); (0, 0): never expires."""
    row = session.get(ExpiryRule, token)
    return (0, 0) if row is None else (row.validity_months, row.rounding_months)


def expired_by_token(session: Session, holder: str, now: int) -> dict[str, int]:
    """token → ``holder``'s points expired at ``now`` and not yet swept: in the indexed
    balance (a ``Transfer`` sum), not in ``balanceOf``, so a balance shown subtracts them."""
    expired: dict[str, int] = {}
    for row in session.execute(
        select(ExpiryBucket.token, ExpiryBucket.key, ExpiryBucket.amount).where(
            ExpiryBucket.holder == holder, ExpiryBucket.amount > 0
        )
    ):
        if expiry.is_expired(row.key, now):
            expired[row.token] = expired.get(row.token, 0) + row.amount
    return expired
