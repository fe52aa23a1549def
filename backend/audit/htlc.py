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

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from .findings import Finding

if TYPE_CHECKING:
    from .decode import Log
    from .replay import Replay

CHECK = "htlc"
OPEN, CLAIMED, REFUNDED = "open", "claimed", "refunded"
STATE_CODE = {OPEN: 1, CLAIMED: 2, REFUNDED: 3}  # IHashedTimelock.State
LOCK_OUTPUT = "(address,address,address,uint256,bytes32,uint64,uint64,uint8)"
LOCK_FIELDS = (
    "token",
    "sender",
    "receiver",
    "amount",
    "hashlock",
    "timelock",
    "counterpartTimelock",
    "state",
)


@dataclass
class LockRecord:
    """A lock as its events describe it (addresses lower case, hex lower case)."""

    lock_id: str
    htlc: str
    token: str
    sender: str
    receiver: str
    amount: int
    hashlock: str
    timelock: int
    counterpart_timelock: int
    locked_block: int
    locked_tx: str
    locked_at: int
    state: str = OPEN
    preimage: str | None = None
    settled_block: int | None = None
    settled_tx: str | None = None
    settled_at: int | None = None


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


class HtlcReplay:
    """The locks rebuilt from events, kept on the replay as ``replay.htlc``; ``HANDLERS``
    (below) plug its methods into ``Replay``'s dispatch."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.chain_id: int | None = None  # set by the driver; the lock-id check needs it
        self.locks: dict[str, LockRecord] = {}
        self.used: set[tuple[str, str]] = set()  # (sender, hashlock)
        self.findings = replay.findings  # reported with the replay's own
        self.stray: dict[str, int] = {}  # token → points held beyond the open locks

    def _find(self, log: Log, field: str, expected: Any, actual: Any, message: str) -> None:
        self.findings.append(
            Finding(
                CHECK,
                f"HashedTimelock.{log.name}",
                f"block {log.block_number} log {log.log_index} tx {_hex(log.tx_hash)}",
                field,
                expected,
                actual,
                message,
            )
        )

    # ─── events ──────────────────────────────────────────────────────────────────────────

    def on_locked(self, log: Log) -> None:
        a = log.args
        lock = LockRecord(
            a["lockId"],
            log.address,
            a["token"],
            a["sender"],
            a["receiver"],
            a["amount"],
            a["hashlock"],
            a["timelock"],
            a["counterpartTimelock"],
            log.block_number,
            _hex(log.tx_hash),
            log.timestamp,
        )
        registered = {m.token for m in self.replay.merchants.values()}
        if lock.token not in registered:
            self._find(
                log, "token", "a points token", lock.token, "a lock of an unregistered token"
            )
        if lock.amount == 0:
            self._find(log, "amount", "> 0", 0, "a lock of zero points")
        if int(lock.receiver, 16) == 0:
            self._find(log, "receiver", "an address", lock.receiver, "a lock paying nobody")
        if (lock.sender, lock.hashlock) in self.used:
            self._find(log, "hashlock", "unused", lock.hashlock, "the sender reused a hashlock")
        if lock.lock_id in self.locks:
            self._find(log, "lockId", "unused", lock.lock_id, "a lock id seen before")
        if self.chain_id is not None and lock.lock_id != expected_lock_id(self.chain_id, lock):
            self._find(
                log,
                "lockId",
                expected_lock_id(self.chain_id, lock),
                lock.lock_id,
                "the lock id is not the hash of the lock's terms",
            )
        if lock.counterpart_timelock and lock.counterpart_timelock <= lock.timelock:
            self._find(
                log,
                "counterpartTimelock",
                f"> {lock.timelock}",
                lock.counterpart_timelock,
                "the counterpart lock expires before this one",
            )
        self.used.add((lock.sender, lock.hashlock))
        self.locks[lock.lock_id] = lock

    def _open(self, log: Log) -> LockRecord | None:
        lock = self.locks.get(log.args["lockId"])
        if lock is None:
            self._find(log, "lockId", "a lock", log.args["lockId"], "settles a lock never made")
            return None
        if lock.state != OPEN:
            self._find(log, "state", OPEN, lock.state, "settles a lock already settled")
            return None
        return lock

    def _settle(self, lock: LockRecord, log: Log, state: str) -> None:
        lock.state = state
        lock.settled_block = log.block_number
        lock.settled_tx = _hex(log.tx_hash)
        lock.settled_at = log.timestamp

    def on_claimed(self, log: Log) -> None:
        lock = self._open(log)
        if lock is None:
            return
        preimage: str = log.args["preimage"]
        digest = _hex(hashlib.sha256(bytes.fromhex(preimage[2:])).digest())
        if digest != lock.hashlock:
            self._find(
                log, "preimage", lock.hashlock, digest, "sha256(preimage) is not the hashlock"
            )
        if log.timestamp >= lock.timelock:
            self._find(log, "timestamp", f"< {lock.timelock}", log.timestamp, "claimed too late")
        self._settle(lock, log, CLAIMED)
        lock.preimage = preimage

    def on_refunded(self, log: Log) -> None:
        lock = self._open(log)
        if lock is None:
            return
        if log.timestamp < lock.timelock:
            self._find(log, "timestamp", f">= {lock.timelock}", log.timestamp, "refunded early")
        self._settle(lock, log, REFUNDED)

    # ─── figures ─────────────────────────────────────────────────────────────────────────

    def summary(self) -> dict[str, Any]:
        """The report's ``state.htlc``: locks by state, points in open locks per token, and
        points held beyond them (``stray``, filled in by ``custody_findings``)."""
        states = [lock.state for lock in self.locks.values()]
        return {
            "locks": len(states),
            **{state: states.count(state) for state in (OPEN, CLAIMED, REFUNDED)},
            "openPoints": {to_checksum_address(t): n for t, n in sorted(self.open_sums().items())},
            "stray": dict(sorted(self.stray.items())),
        }

    def open_sums(self) -> dict[str, int]:
        """token → Σ amount of its open locks (tokens with no lock left out)."""
        sums: dict[str, int] = {}
        for lock in self.locks.values():
            sums.setdefault(lock.token, 0)
            if lock.state == OPEN:
                sums[lock.token] += lock.amount
        return sums


# ─── dispatch: (contract kind, event) → handler, as a per-family table ───────────────────


def on_HtlcLocked(replay: Replay, log: Log) -> None:
    replay.htlc.on_locked(log)


def on_HtlcClaimed(replay: Replay, log: Log) -> None:
    replay.htlc.on_claimed(log)


def on_HtlcRefunded(replay: Replay, log: Log) -> None:
    replay.htlc.on_refunded(log)


HANDLERS: dict[tuple[str, str], Callable[[Replay, Log], None]] = {
    ("HashedTimelock", "HtlcLocked"): on_HtlcLocked,
    ("HashedTimelock", "HtlcClaimed"): on_HtlcClaimed,
    ("HashedTimelock", "HtlcRefunded"): on_HtlcRefunded,
}


def expected_lock_id(chain_id: int, lock: LockRecord) -> str:
    """``HtlcLib.lockId`` of the lock's terms."""
    return _hex(
        keccak(
            encode(
                [
                    *("uint256", "address", "address", "address", "address"),
                    *("uint256", "bytes32", "uint64"),
                ],
                [
                    chain_id,
                    lock.htlc,
                    lock.token,
                    lock.sender,
                    lock.receiver,
                    lock.amount,
                    bytes.fromhex(lock.hashlock[2:]),
                    lock.timelock,
                ],
            )
        )
    )


# ─── comparisons (called from checks, run and dbcompare) ─────────────────────────────────


ReadSpec = tuple[str, str, list[Any], str, str, str, dict[str, Any]]


def _custody_tokens(htlc: HtlcReplay, htlc_address: str) -> list[str]:
    """Every points token, and any token a lock or a transfer put in the HTLC's hands."""
    tokens = {a for a, t in htlc.replay.tokens.items() if t.kind == "points"}
    tokens |= set(htlc.open_sums())
    tokens |= {a for a, t in htlc.replay.tokens.items() if t.balances.get(htlc_address)}
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
                "balanceOf(address)",
                [htlc_address],
                "uint256",
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
                "getLock(bytes32)",
                [bytes.fromhex(lock.lock_id[2:])],
                LOCK_OUTPUT,
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
        state = htlc.replay.tokens.get(token)
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
