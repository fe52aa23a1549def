"""The HTLC's invariants hold after every step of random programs of locks, claims (right and
wrong secrets), refunds (early and late), signed locks and the passing of time.

Ghost state: every lock's model (terms and state) and, per token, the sum of open locks.
After every step, per token: ``token.balanceOf(htlc) == Σ amount of open locks``, the total
supply is the one the program started with (the HTLC mints and burns nothing), the holders'
balances plus the HTLC's add up to what they started with, and every lock's on-chain state is
the model's. Hypothesis draws one seed per example (as tests/contracts/test_invariants.py does,
for the same reason) and the seed drives a weighted program of STEPS steps; every step is
noted, so a failure prints its program. Replay one with TONGDUI_HTLC_INVARIANT_SEED=<n>.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brownie import chain
from brownie.exceptions import VirtualMachineError
from hexbytes import HexBytes
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.contracts.htlc_helpers import (
    domain_of,
    latest_timestamp,
    permit_signature,
    secret,
    split,
    terms,
)
from tongdui.chain.htlc_eip712 import LockTerms, hashlock_of, sign_lock

EXAMPLES = int(os.environ.get("TONGDUI_HTLC_INVARIANT_EXAMPLES", "8"))
STEPS = int(os.environ.get("TONGDUI_HTLC_INVARIANT_STEPS", "20"))
SEED = os.environ.get("TONGDUI_HTLC_INVARIANT_SEED")
OPEN, CLAIMED, REFUNDED = 1, 2, 3
NEAR = 3  # seconds around a timelock in which the next block's time is not known


def _now() -> int:
    """The time of a block mined just now: the next transaction's block is a second or two
    later (anvil's clock), never earlier."""
    chain.mine()
    return latest_timestamp() + 1


@dataclass
class Model:
    lock: LockTerms
    preimage: bytes
    state: int = OPEN


@dataclass
class Machine:
    htlc: Any
    tokens: dict[str, Any]
    holders: list[tuple[Any, str]]  # (account, symbol of the points it locks)
    relayer: Any
    rng: random.Random
    locks: dict[bytes, Model] = field(default_factory=dict)
    next_secret: int = 1_000

    def run(self, steps: int) -> None:
        supplies = {s: t.totalSupply() for s, t in self.tokens.items()}
        held = {s: self._held(s) for s in self.tokens}
        actions: list[tuple[int, Callable[[], None]]] = [
            (4, self.lock),
            (2, self.lock_with_sig),
            (3, self.claim),
            (1, self.claim_wrong_secret),
            (2, self.refund),
            (2, self.sleep),
        ]
        weights = [w for w, _ in actions]
        for _ in range(steps):
            _, action = self.rng.choices(actions, weights=weights)[0]
            action()
            self.check(supplies, held)

    # ─── steps ──────────────────────────────────────────────────────────────────────────────

    def _new_lock(self) -> tuple[Any, Any, LockTerms, bytes]:
        sender, symbol = self.rng.choice(self.holders)
        receiver, _ = self.rng.choice(self.holders)
        preimage = secret(self.next_secret)
        self.next_secret += 1
        token = self.tokens[symbol]
        lock = terms(
            token,
            sender,
            receiver,
            amount=self.rng.randint(1, 300),
            hashlock=hashlock_of(preimage),
            duration=self.rng.randint(120, 3_600),
        )
        return sender, token, lock, preimage

    def lock(self) -> None:
        sender, token, lock, preimage = self._new_lock()
        note(f"lock {lock.amount} by {sender.address[:8]} until {lock.timelock}")
        tx = self.htlc.lock(
            token, lock.receiver, lock.amount, lock.hashlock, lock.timelock, 0, {"from": sender}
        )
        self.locks[bytes(HexBytes(tx.return_value))] = Model(lock, preimage)

    def lock_with_sig(self) -> None:
        sender, token, lock, preimage = self._new_lock()
        note(f"lockWithSig {lock.amount} by {sender.address[:8]} until {lock.timelock}")
        deadline = chain.time() + 600
        signature = sign_lock(sender.private_key, domain_of(self.htlc), lock, deadline)
        v, r, s = split(permit_signature(token, sender, self.htlc, 2**255, deadline))
        tx = self.htlc.lockWithSig(
            lock.as_tuple(), deadline, signature, deadline, v, r, s, {"from": self.relayer}
        )
        self.locks[bytes(HexBytes(tx.return_value))] = Model(lock, preimage)

    def _pick(self) -> tuple[bytes, Model] | None:
        if not self.locks:
            return None
        lock_id = self.rng.choice(sorted(self.locks))
        return lock_id, self.locks[lock_id]

    def claim(self) -> None:
        picked = self._pick()
        if picked is None:
            return
        lock_id, model = picked
        now = _now()
        expect = model.state == OPEN and now < model.lock.timelock
        note(f"claim {lock_id.hex()[:8]} (state {model.state}, expect ok: {expect})")
        if model.state == OPEN and abs(now - model.lock.timelock) <= NEAR:
            return  # too close to the timelock to know which block time the node picks
        if self._tries(self.htlc.claim, lock_id, model.preimage):
            assert expect, "a claim went through that the model refuses"
            model.state = CLAIMED
        else:
            assert not expect, "a claim the model allows was refused"

    def claim_wrong_secret(self) -> None:
        picked = self._pick()
        if picked is None:
            return
        lock_id, _ = picked
        note(f"claim {lock_id.hex()[:8]} with a wrong secret")
        assert not self._tries(self.htlc.claim, lock_id, secret(1))

    def refund(self) -> None:
        picked = self._pick()
        if picked is None:
            return
        lock_id, model = picked
        now = _now()
        expect = model.state == OPEN and now >= model.lock.timelock
        note(f"refund {lock_id.hex()[:8]} (state {model.state}, expect ok: {expect})")
        if model.state == OPEN and abs(now - model.lock.timelock) <= NEAR:
            return
        if self._tries(self.htlc.refund, lock_id):
            assert expect, "a refund went through that the model refuses"
            model.state = REFUNDED
        else:
            assert not expect, "a refund the model allows was refused"

    def sleep(self) -> None:
        seconds = self.rng.randint(60, 1_800)
        note(f"sleep {seconds}")
        chain.sleep(seconds)
        chain.mine()

    def _tries(self, fn: Any, *args: Any) -> bool:
        try:
            fn(*args, {"from": self.relayer})
        except VirtualMachineError:
            return False
        return True

    # ─── invariants ─────────────────────────────────────────────────────────────────────────

    def _held(self, symbol: str) -> int:
        token = self.tokens[symbol]
        return sum(token.balanceOf(a) for a, _ in self.holders) + token.balanceOf(self.htlc)

    def check(self, supplies: dict[str, int], held: dict[str, int]) -> None:
        for symbol, token in self.tokens.items():
            open_sum = sum(
                m.lock.amount
                for m in self.locks.values()
                if m.state == OPEN and m.lock.token == token.address
            )
            assert token.balanceOf(self.htlc) == open_sum, symbol
            assert token.totalSupply() == supplies[symbol], symbol
            assert self._held(symbol) == held[symbol], symbol
        for lock_id, model in self.locks.items():
            assert self.htlc.getLock(lock_id)[7] == model.state


def test_htlc_invariants_hold_after_every_step(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    holders = [(users[0], "SKYM"), (users[2], "FRESH"), (bridge, "BEAN")]
    for holder, symbol in holders:
        tokens[symbol].approve(htlc, 2**255, {"from": holder})
    watched = {s: tokens[s] for s in ("SKYM", "FRESH", "BEAN")}
    chain.snapshot()

    def run_program(seed: int) -> None:
        chain.revert()
        Machine(htlc, watched, holders, relayer, random.Random(seed)).run(STEPS)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(seed=st.integers(0, 2**32 - 1))
    def random_programs(seed: int) -> None:
        run_program(seed)

    if SEED is None:
        random_programs()
    else:
        run_program(int(SEED))
