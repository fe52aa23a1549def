"""The auditor's replay of the hashed timelocks (issue 17), from the HTLC's events alone.

Written apart from the indexer's ``indexer.htlc`` on purpose, as the rest of the audit is.
Each event is checked against the rules of ``HashedTimelock.sol`` as it is replayed:

- ``HtlcLocked``: a registered points token, a non-zero amount and receiver, a hashlock its
  sender never used before, an unused lock id equal to the hash of the lock's terms, and a
  counterpart timelock (when named) later than the lock's own;
- ``HtlcClaimed``: an open lock, before its timelock, with a preimage whose sha256 is the
  hashlock;
- ``HtlcRefunded``: an open lock, at or after its timelock.

The rebuilt locks are then compared with the contract (``getLock`` at the audited block), with
the index's ``htlc_locks`` table, and with the custody invariant per token:
``token.balanceOf(htlc) == Σ amount of open locks`` (on the replayed Transfer balances and on
the contract's). More than that is reported in ``stray`` (points sent to the HTLC outside a
lock: they stay there for good), less is a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from eth_utils import to_checksum_address

from .findings import Finding
from .htlc_state import (
    CHECK,
    STATE_CODE,
    HtlcReplay,
)
from .replay_base import DOMAIN_FIXED

if TYPE_CHECKING:
    from .decode import Log
    from .replay_base import ReplayBase

# ─── dispatch: (contract kind, event) → handler, as a per-family table ───────────────────


def on_HtlcLocked(replay: ReplayBase, log: Log) -> None:
    replay.htlc.on_locked(log)


def on_HtlcClaimed(replay: ReplayBase, log: Log) -> None:
    replay.htlc.on_claimed(log)


def on_HtlcRefunded(replay: ReplayBase, log: Log) -> None:
    replay.htlc.on_refunded(log)


HANDLERS: dict[tuple[str, str], Callable[[ReplayBase, Log], None]] = {
    ("HashedTimelock", "HtlcLocked"): on_HtlcLocked,
    ("HashedTimelock", "HtlcClaimed"): on_HtlcClaimed,
    ("HashedTimelock", "HtlcRefunded"): on_HtlcRefunded,
}
IGNORED: dict[tuple[str, str], str] = {("HashedTimelock", "EIP712DomainChanged"): DOMAIN_FIXED}


# ─── comparisons (called from checks, run and dbcompare) ─────────────────────────────────


# (to, contract, function, args, where, key, expected): ``checks.Read``'s fields
ReadSpec = tuple[str, str, str, list[Any], str, str, dict[str, Any]]


def _custody_tokens(htlc: HtlcReplay, htlc_address: str) -> list[str]:
    """Every points token, and any token a lock or a transfer put in the HTLC's hands."""
    tokens = {a for a, t in htlc.tokens.items() if t.kind == "points"}
    tokens |= set(htlc.open_sums())
    tokens |= {a for a, t in htlc.tokens.items() if t.balances.get(htlc_address)}
    return sorted(tokens)


def lock_reads(
    htlc: HtlcReplay, htlc_address: str | None, label: Callable[[str], str]
) -> list[ReadSpec]:
    """As ``checks.Read`` arguments: one ``getLock`` per replayed lock, and the HTLC's balance
    of every token it may hold (compared in ``custody_findings``, not as a holder's)."""
    reads: list[ReadSpec] = []
    if htlc_address is None:
        return reads
    for token in _custody_tokens(htlc, htlc_address):
        where = f"{label(token)}.balanceOf"
        reads.append(
            (
                token,
                "PointsToken",
                "balanceOf",
                [htlc_address],
                where,
                htlc_address,
                {"balance": None},
            )
        )
    for lock in htlc.locks.values():
        expected = {
            "token": lock.token,
            "sender": lock.sender,
            "receiver": lock.receiver,
            "amount": lock.amount,
            "hashlock": lock.hashlock,
            "timelock": lock.timelock,
            "counterpartTimelock": lock.counterpart_timelock,
            "state": STATE_CODE[lock.state],
        }
        reads.append(
            (
                lock.htlc,
                "HashedTimelock",
                "getLock",
                [bytes.fromhex(lock.lock_id[2:])],
                "HashedTimelock.getLock",
                lock.lock_id,
                expected,
            )
        )
    return reads


def custody_findings(
    htlc: HtlcReplay,
    htlc_address: str | None,
    chain: dict[tuple[str, str], dict[str, Any]],
    label: Callable[[str], str],
) -> tuple[list[Finding], int, dict[str, int]]:
    """Per token: the HTLC's balance (replayed from Transfer, and the contract's at the audited
    block) against Σ open locks. Returns the findings, the checks run and the stray points."""
    findings: list[Finding] = []
    stray: dict[str, int] = {}
    checks = 0
    if htlc_address is None:
        return findings, checks, stray
    sums = htlc.open_sums()
    for token in _custody_tokens(htlc, htlc_address):
        owed = sums.get(token, 0)
        name = label(token)
        state = htlc.tokens.get(token)
        held = 0 if state is None else state.balances.get(htlc_address, 0)
        on_chain = chain.get((f"{name}.balanceOf", htlc_address), {}).get("balance")
        for side, value in (("replay", held), ("contract", on_chain)):
            if value is None:
                continue
            checks += 1
            if value < owed:
                findings.append(
                    Finding(
                        CHECK,
                        f"{name}.balanceOf",
                        f"HashedTimelock ({side})",
                        "== Σ open locks",
                        owed,
                        value,
                        "the HTLC holds fewer points than its open locks",
                    )
                )
            elif value > owed and side == "replay":
                stray[to_checksum_address(token)] = value - owed
    return findings, checks, stray


def expected_lock_rows(htlc: HtlcReplay) -> dict[tuple[str], dict[str, Any]]:
    """``htlc_locks`` as the index must hold it, keyed by lock id."""
    return {
        (lock.lock_id,): {
            "htlc": lock.htlc,
            "token": lock.token,
            "sender": lock.sender,
            "receiver": lock.receiver,
            "amount": lock.amount,
            "hashlock": lock.hashlock,
            "timelock": lock.timelock,
            "counterpart_timelock": lock.counterpart_timelock,
            "state": lock.state,
            "preimage": lock.preimage,
            "locked_block": lock.locked_block,
            "locked_tx": lock.locked_tx,
            "locked_at": lock.locked_at,
            "settled_block": lock.settled_block,
            "settled_tx": lock.settled_tx,
            "settled_at": lock.settled_at,
        }
        for lock in htlc.locks.values()
    }
