"""The coordinator: drives every open cross-chain swap to one of its ends.

State per swap (``models``): quoted → locked_a → locked_b → claimed_b → claimed_a, or
→ refunded_b → refunded_a, or failed (never locked on A). Every pass re-derives each swap's
state from the two contracts *at each chain's final block* (head − confirmations), not from
what this process remembers: a lock a reorg took away reads as absent again, so the bridge
member never locks on B against a lock on A that is not final (issue 17, "a reorg on A after
step 1"). Actions are then decided from the *head* state and the chains' clocks:

    lock_a    the user's signed Lock not on A yet and its deadline not passed  → lockWithSig *
    lock_b    A's lock final, B has none, and T_A − T_B ≥ margin             → lock on B
    claim_b   the user revealed the secret, B's lock open before T_B          → claim on B *
    claim_a   B's claim final (its preimage read from HtlcClaimed), before T_A → claim on A
    refund_b  B's lock open at/after T_B                                      → refund on B
    refund_a  A's lock open at/after T_A and B never claimed                  → refund on A

(*) the user's actions: a cross-chain relayer key sends them, so the user never pays gas on
either chain; the bridge member's own key sends the others.

Each action is idempotent twice over: it is only chosen when the chain says it is still
needed (``getLock`` / ``hashlockUsed``), and never while a transaction for it is in flight or
not yet final in the write-ahead log (``legs``). So a coordinator killed at any point and
restarted sends nothing twice and leaves nothing undone. A chain that is down only stops the
actions that need it: with B unreachable the user's lock on A is still refunded after T_A.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass

import requests
from eth_utils import to_checksum_address
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError

from ..chain.transactions import revert_error
from ..core.db import transaction
from ..core.errors import ChainUnavailableError
from .htlc import LockState, LockTerms, LockView, read_lock
from .legs import Head, Leg
from .margin import TimelockPolicy
from .models import (
    CLAIM_A,
    CLAIM_B,
    CLAIMED_A,
    CLAIMED_B,
    FAILED,
    FINAL_STATES,
    LOCK_A,
    LOCK_B,
    LOCKED_A,
    LOCKED_B,
    QUOTED,
    REFUND_A,
    REFUND_B,
    REFUNDED_A,
    REFUNDED_B,
    TX_OPEN,
    CrossSwap,
    CrossTransaction,
)

log = logging.getLogger("tongdui.crosschain")

CHAIN_DOWN = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ChainUnavailableError,
)
GAS = {
    LOCK_A: 400_000,
    LOCK_B: 300_000,
    CLAIM_A: 200_000,
    CLAIM_B: 200_000,
    REFUND_A: 150_000,
    REFUND_B: 150_000,
}
MAX_ATTEMPTS = 3  # transactions per action and swap before the coordinator stops retrying it
CLAIM_GUARD = 3  # s before a timelock a claim is no longer sent (it would land too late)
MAX_UINT = 2**256 - 1


def terms_a(swap: CrossSwap) -> LockTerms:
    return LockTerms(
        swap.chain_a,
        swap.htlc_a,
        swap.token_a,
        swap.user,
        swap.bridge_a,
        swap.amount_a,
        bytes.fromhex(swap.hashlock[2:]),
        swap.timelock_a,
        0,
    )


def terms_b(swap: CrossSwap) -> LockTerms:
    return LockTerms(
        swap.chain_b,
        swap.htlc_b,
        swap.token_b,
        swap.bridge_b,
        swap.user,
        swap.amount_b,
        bytes.fromhex(swap.hashlock[2:]),
        swap.timelock_b,
        swap.timelock_a,
    )


@dataclass
class Views:
    """One leg's lock at the final block and at the head (None: chain unreachable)."""

    final: LockView
    head: LockView


def derive_state(stored: str, a: Views, b: Views | None, swap: CrossSwap, ha: Head) -> str:
    """The swap's state as the final blocks of both chains say it is."""
    a_final = a.final.state
    b_final = b.final.state if b is not None else None
    b_open = b_final == LockState.OPEN if b is not None else stored in (LOCKED_B,)
    if a_final == LockState.CLAIMED and not b_open:
        return CLAIMED_A
    if a_final == LockState.REFUNDED and not b_open:
        return REFUNDED_A
    if b is None:  # B unreachable: keep what B last said
        return stored if stored in (LOCKED_B, CLAIMED_B, REFUNDED_B) else _state_from_a(a, ha, swap)
    if b_final == LockState.CLAIMED:
        return CLAIMED_B
    if b_final == LockState.REFUNDED:
        return REFUNDED_B
    if b_final == LockState.OPEN:
        return LOCKED_B
    return _state_from_a(a, ha, swap)


def _state_from_a(a: Views, ha: Head, swap: CrossSwap) -> str:
    if a.final.state == LockState.OPEN:
        return LOCKED_A
    if a.final.state == LockState.NONE and (
        ha.final_timestamp > swap.lock_deadline or swap.state == FAILED
    ):
        return FAILED  # no block after the final one can hold a lock signed until then
    return QUOTED


class Coordinator:
    """``Coordinator(...).run(stop)`` in ``tongdui up --cross-chain``; ``run_once`` in tests."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        leg_a: Leg,
        leg_b: Leg,
        policy: TimelockPolicy,
        poll_interval: float = 0.5,
    ) -> None:
        self.sessions = sessions
        self.a = leg_a
        self.b = leg_b
        self.policy = policy
        self.poll_interval = poll_interval
        self._allowance_checked = False

    # ── the loop ────────────────────────────────────────────────────────────────────────────

    def run(self, stop: threading.Event) -> None:
        first = True
        while not stop.is_set():
            try:
                counts = self.run_once()
                if first:  # the fault tests wait for this line before they kill again
                    log.info("coordinator: first pass done, open swaps %s", counts)
                    first = False
            except Exception:
                log.exception("coordinator pass failed; retrying")
            stop.wait(self.poll_interval)

    def run_once(self) -> dict[str, int]:
        """One pass over every open swap; returns how many swaps are in each state."""
        ha = self.a.head()  # A is the user's chain: nothing can be decided without it
        hb = self._head_or_none(self.b)
        self.a.reconcile(self.sessions, ha)
        if hb is not None:
            self.b.reconcile(self.sessions, hb)
            self._ensure_allowance(hb)
        with self.sessions() as session:
            swaps = session.scalars(
                select(CrossSwap).where(CrossSwap.state.not_in(FINAL_STATES)).order_by(CrossSwap.id)
            ).all()
        counts: dict[str, int] = {}
        for swap in swaps:
            try:
                state = self.step(swap, ha, hb)
            except CHAIN_DOWN:
                raise
            except Web3RPCError as error:
                log.warning("swap %s: node refused a call: %s", swap.id, error)
                state = swap.state
            counts[state] = counts.get(state, 0) + 1
        return counts

    @staticmethod
    def _head_or_none(leg: Leg) -> Head | None:
        try:
            return leg.head()
        except CHAIN_DOWN as error:
            log.warning(
                "chain %s unreachable (%s): its actions wait", leg.name, type(error).__name__
            )
            return None

    def _ensure_allowance(self, hb: Head) -> None:
        """The bridge member lets HTLC_B pull its inventory (once; an approve is one action)."""
        if self._allowance_checked:
            return
        with self.sessions() as session:
            tokens = set(session.scalars(select(CrossSwap.token_b).distinct()).all())
            in_flight = session.scalar(
                select(CrossTransaction.id).where(
                    CrossTransaction.chain == self.b.name,
                    CrossTransaction.action == "approve",
                    CrossTransaction.state.in_(TX_OPEN),
                )
            )
        if in_flight is not None or not tokens:
            return
        from ..chain.artifacts import abi

        for token in tokens:
            erc20 = self.b.w3.eth.contract(
                address=to_checksum_address(token), abi=abi("PointsToken")
            )
            allowance = erc20.functions.allowance(self.b.address, self.b.htlc.address).call()
            if allowance < 2**128:
                self.b.send(
                    self.sessions,
                    None,
                    "approve",
                    erc20.functions.approve(self.b.htlc.address, MAX_UINT),
                    100_000,
                )
        self._allowance_checked = True

    # ── one swap ────────────────────────────────────────────────────────────────────────────

    def step(self, swap: CrossSwap, ha: Head, hb: Head | None) -> str:
        ta, tb = terms_a(swap), terms_b(swap)
        id_a, id_b = ta.lock_id(), tb.lock_id()
        a = Views(read_lock(self.a.htlc, id_a, ha.final), read_lock(self.a.htlc, id_a))
        b = (
            Views(read_lock(self.b.htlc, id_b, hb.final), read_lock(self.b.htlc, id_b))
            if hb is not None
            else None
        )
        state = derive_state(swap.state, a, b, swap, ha)
        if b is not None and b.final.state == LockState.CLAIMED and swap.preimage is None:
            swap.preimage = self._preimage_from_b(id_b)
        self._save(swap, state)
        if state in FINAL_STATES:
            return state
        with self.sessions() as session:
            self._act(session, swap, state, a, b, ha, hb)
        return state

    def _act(
        self,
        session: Session,
        swap: CrossSwap,
        state: str,
        a: Views,
        b: Views | None,
        ha: Head,
        hb: Head | None,
    ) -> None:
        htlc_a, htlc_b = self.a.htlc.functions, self.b.htlc.functions
        id_a, id_b = terms_a(swap).lock_id(), terms_b(swap).lock_id()
        b_claimed = state == CLAIMED_B or (b is not None and b.final.state == LockState.CLAIMED)

        if a.head.state == LockState.NONE and state == QUOTED and ha.timestamp < swap.lock_deadline:
            if not self.a.pending_action(session, swap.id, LOCK_A, ha):
                self._lock_a(session, swap)
            return
        if b is not None and hb is not None:
            if (
                a.final.state == LockState.OPEN
                and b.head.state == LockState.NONE
                and self.policy.leaves_margin(swap.timelock_a, swap.timelock_b)
                and hb.timestamp + self.policy.duration_b() // 2 < swap.timelock_b
                and hb.timestamp + self.policy.contract_min_lock + 2 < swap.timelock_b
                and ha.timestamp + self.policy.margin() < swap.timelock_a
            ):
                self._once(
                    session,
                    self.b,
                    swap,
                    LOCK_B,
                    hb,
                    htlc_b.lock(
                        to_checksum_address(swap.token_b),
                        to_checksum_address(swap.user),
                        swap.amount_b,
                        bytes.fromhex(swap.hashlock[2:]),
                        swap.timelock_b,
                        swap.timelock_a,
                    ),
                )
            if b.head.state == LockState.OPEN:
                if swap.preimage is not None and hb.timestamp + CLAIM_GUARD < swap.timelock_b:
                    self._once(
                        session,
                        self.b,
                        swap,
                        CLAIM_B,
                        hb,
                        htlc_b.claim(id_b, bytes.fromhex(swap.preimage[2:])),
                        relayed=True,  # the user's claim: the user pays no gas on B
                    )
                elif hb.timestamp >= swap.timelock_b:
                    self._once(session, self.b, swap, REFUND_B, hb, htlc_b.refund(id_b))
        if a.head.state == LockState.OPEN:
            if b_claimed and swap.preimage is not None:
                if ha.timestamp + CLAIM_GUARD < swap.timelock_a:
                    self._once(
                        session,
                        self.a,
                        swap,
                        CLAIM_A,
                        ha,
                        htlc_a.claim(id_a, bytes.fromhex(swap.preimage[2:])),
                    )
                else:
                    log.error("swap %s: B claimed but T_A passed before A was claimed", swap.id)
            elif ha.timestamp >= swap.timelock_a:
                self._once(session, self.a, swap, REFUND_A, ha, htlc_a.refund(id_a))

    def _once(
        self,
        session: Session,
        leg: Leg,
        swap: CrossSwap,
        action: str,
        head: Head,
        call: object,
        relayed: bool = False,
    ) -> None:
        """Sends ``call`` unless a transaction for it is in flight or it was tried enough."""
        if leg.pending_action(session, swap.id, action, head):
            return
        if leg.attempts(session, swap.id, action) >= MAX_ATTEMPTS:
            return
        leg.send(self.sessions, swap.id, action, call, GAS[action], relayed)  # type: ignore[arg-type]

    def _lock_a(self, session: Session, swap: CrossSwap) -> None:
        """Relays the user's signed Lock (a relayer key sends it: the user pays no gas, and the
        bridge member's key never carries the user's side); a lock the chain would refuse
        fails the swap."""
        permit = json.loads(swap.permit)
        call = self.a.htlc.functions.lockWithSig(
            terms_a(swap).as_tuple(),
            swap.lock_deadline,
            bytes.fromhex(swap.lock_signature[2:]),
            int(permit["deadline"]),
            int(permit["v"]),
            bytes.fromhex(permit["r"][2:]),
            bytes.fromhex(permit["s"][2:]),
        )
        if self.a.attempts(session, swap.id, LOCK_A) >= MAX_ATTEMPTS:
            self._save(swap, FAILED, "the lock on A was tried three times and never held")
            return
        try:
            call.call({"from": self.a.relayers[0].address})
        except (ContractCustomError, ContractLogicError) as error:
            refusal = revert_error(error)
            self._save(swap, FAILED, f"{refusal.code}: {refusal.message}")
            return
        self.a.send(self.sessions, swap.id, LOCK_A, call, GAS[LOCK_A], relayed=True)

    def _preimage_from_b(self, lock_id: bytes) -> str | None:
        logs = self.b.htlc.events.HtlcClaimed().get_logs(
            from_block=self.b.from_block, argument_filters={"lockId": lock_id}
        )
        for entry in logs:
            return "0x" + bytes(entry["args"]["preimage"]).hex()
        return None

    def _save(self, swap: CrossSwap, state: str, reason: str | None = None) -> None:
        with transaction(self.sessions) as session:
            stored = session.get(CrossSwap, swap.id)
            assert stored is not None
            changed = stored.state != state or (reason is not None and stored.reason != reason)
            if swap.preimage is not None and stored.preimage is None:
                stored.preimage, changed = swap.preimage, True
            if not changed:
                return
            if stored.state != state:
                log.info("swap %s: %s → %s", swap.id, stored.state, state)
            stored.state = state
            if reason is not None:
                stored.reason = reason
            stored.updated_at = time.time()
        swap.state = state
        if reason is not None:
            swap.reason = reason
