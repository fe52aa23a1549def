"""The auditor's records of the hashed timelocks (issue 17): the locks rebuilt from the HTLC's
events and the rules each event is checked against as it is replayed (see ``audit.htlc``).

Why apart from ``audit.htlc``: ``replay_base.ReplayBase`` holds an ``HtlcReplay`` as it holds
the other families' state, and the handlers in ``audit.htlc`` are functions of the replay; so
this module knows the replay's records (merchants, tokens, findings), never the replay.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from .findings import Finding

if TYPE_CHECKING:
    from .decode import Log
    from .state import MerchantState, TokenState

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
    """The locks rebuilt from events, kept on the replay as ``replay.htlc``; the handlers of
    ``audit.htlc`` (the HTLC's rows of ``replay.HANDLERS``) call its methods."""

    def __init__(
        self,
        merchants: dict[int, MerchantState],
        tokens: dict[str, TokenState],
        findings: list[Finding],
    ) -> None:
        self.merchants = merchants  # the replay's own records, shared (never reassigned)
        self.tokens = tokens
        self.chain_id: int | None = None  # set by the driver; the lock-id check needs it
        self.locks: dict[str, LockRecord] = {}
        self.used: set[tuple[str, str]] = set()  # (sender, hashlock)
        self.findings = findings  # reported with the replay's own
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
        registered = {m.token for m in self.merchants.values()}
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
