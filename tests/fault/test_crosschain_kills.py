"""The coordinator SIGKILLed again and again through a run of many cross-chain swaps on two
chains with 1 s blocks: every swap still ends claimed on both sides or refunded on both (or
only the user's lock, refunded), no value is lost and none is created, and no action was
carried out twice.

The coordinator runs as a real process (`tongdui coordinate`); this test plays the API and
the users (quote, start, reveal the secret) on the same database. Two users in three reveal
their secret; the others never do, so their swaps run into the timelocks (the chains' clocks
are moved past T_A with evm_increaseTime). Kills land at random moments, so each state of the
machine sees some; the states swaps were in at each kill are printed.

Quick by default: 20 kills over 12 swaps (95 s here); TONGDUI_SUITE=full: 30
kills over 30 swaps.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from eth_account import Account
from sqlalchemy import func, select

from tests.crosschain_support import BRIDGE, RELAYER, TwoChains, start_swap, two_chains
from tongdui.crosschain.htlc import LockState, read_lock
from tongdui.crosschain.models import (
    CLAIMED_A,
    FINAL_STATES,
    LOCKED_B,
    REFUNDED_A,
    TX_MINED,
    CrossTransaction,
)

from .conftest import FULL

KILLS = 30 if FULL else 20
SWAPS = 30 if FULL else 12
AMOUNT = 1_000
TONGDUI = str(Path(sys.executable).parent / "tongdui")
ALLOWED_ENDS = {
    (LockState.CLAIMED, LockState.CLAIMED),
    (LockState.REFUNDED, LockState.REFUNDED),
    (LockState.REFUNDED, LockState.NONE),
    (LockState.NONE, LockState.NONE),
}


def _coordinator(chains: TwoChains) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TONGDUI_POLL_INTERVAL="0.1")
    log = (chains.folder / "coordinator.log").open("ab")
    return subprocess.Popen(
        [TONGDUI, "-v", "coordinate", "--rpc", chains.a.url, "--data-dir", str(chains.data_dir)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _explain(chains: TwoChains) -> str:
    """What the coordinator sent for the swaps that did not end, and its last words."""
    lines = [str(Counter(s.state for s in chains.swaps()))]
    with chains.sessions() as session:
        for swap in chains.swaps():
            if swap.state in FINAL_STATES:
                continue
            rows = session.scalars(
                select(CrossTransaction).where(CrossTransaction.swap_id == swap.id)
            ).all()
            sent = [(r.chain, r.action, r.sender, r.nonce, r.state, r.block_number) for r in rows]
            lines.append(
                f"swap {swap.id} {swap.state} T_A={swap.timelock_a} T_B={swap.timelock_b}: {sent}"
            )
    for side in (chains.a, chains.b):
        lines.append(f"head {side.w3.eth.get_block('latest')['timestamp']}")
    log = (chains.folder / "coordinator.log").read_text().splitlines()
    return "\n".join(lines + log[-40:])


def _first_passes(chains: TwoChains) -> int:
    path = chains.folder / "coordinator.log"
    return path.read_text().count("first pass done") if path.exists() else 0


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_a_coordinator_killed_at_every_step_leaves_every_swap_whole(tmp_path: Path) -> None:
    rng = random.Random(17)
    with two_chains(tmp_path / "xc", block_time=1, confirmations=1, users=SWAPS) as chains:
        crosschain, _ = chains.build()
        before = chains.balances()
        secrets: dict[int, str] = {}
        claimers: set[int] = set()
        for index, key in enumerate(chains.users):
            swap_id, secret = start_swap(crosschain, key, AMOUNT)
            secrets[swap_id] = secret
            if index % 3 != 2:
                claimers.add(swap_id)

        kills, seen_at_kill = 0, Counter[str]()
        revealed: set[int] = set()
        moved_clocks = False
        process = _coordinator(chains)
        deadline = time.monotonic() + 600
        try:
            while time.monotonic() < deadline:
                # a restart that never got to work proves nothing: wait for its first pass
                # (the machine may be slow to start a process), then kill at a random moment
                while _first_passes(chains) <= kills and time.monotonic() < deadline:
                    time.sleep(0.1)
                until = time.monotonic() + rng.uniform(0.5, 3.0)
                while time.monotonic() < until:
                    swaps = chains.swaps()
                    for swap in swaps:
                        if (
                            swap.id in claimers
                            and swap.id not in revealed
                            and swap.state == LOCKED_B
                        ):
                            crosschain.reveal(swap.id, secrets[swap.id])
                            revealed.add(swap.id)
                    waiting = [s for s in swaps if s.state not in FINAL_STATES]
                    claimers_done = all(s.state in FINAL_STATES for s in swaps if s.id in claimers)
                    if (
                        claimers_done
                        and not moved_clocks
                        and all(s.state == LOCKED_B for s in waiting)
                    ):
                        latest_a = max(s.timelock_a for s in swaps)
                        for side in (chains.a, chains.b):
                            now = side.w3.eth.get_block("latest")["timestamp"]
                            side.rpc("evm_increaseTime", latest_a - now + 5)
                        moved_clocks = True
                    if not waiting and kills >= KILLS:
                        break
                    time.sleep(0.2)
                if kills >= KILLS and all(s.state in FINAL_STATES for s in chains.swaps()):
                    break
                seen_at_kill.update(s.state for s in chains.swaps() if s.state not in FINAL_STATES)
                _kill(process)
                kills += 1
                process = _coordinator(chains)
        finally:
            _kill(process)

        swaps = chains.swaps()
        print(f"\n{kills} kills; swaps open at each kill by state: {dict(seen_at_kill)}")
        print(f"ends: {Counter(s.state for s in swaps)}")
        assert kills >= KILLS
        assert all(s.state in FINAL_STATES for s in swaps), _explain(chains)

        coordinator_a, coordinator_b = crosschain.bridge.leg_a, crosschain.bridge.leg_b
        completed = [s for s in swaps if s.state == CLAIMED_A]
        for swap in swaps:
            ends = (
                read_lock(coordinator_a.htlc, bytes.fromhex(swap.lock_id_a[2:])).state,
                read_lock(coordinator_b.htlc, bytes.fromhex(swap.lock_id_b[2:])).state,
            )
            assert ends in ALLOWED_ENDS, (swap.id, swap.state, ends)
            assert (swap.state == CLAIMED_A) == (ends == (LockState.CLAIMED, LockState.CLAIMED))
            assert swap.state in (CLAIMED_A, REFUNDED_A)
        assert {s.id for s in completed} == claimers

        after = chains.balances()
        expected = dict(before)
        for swap in completed:
            expected[f"A:{swap.user}"] -= swap.amount_a
            expected[f"B:{swap.user}"] += swap.amount_b
            expected[f"A:{BRIDGE}"] += swap.amount_a
            expected[f"B:{BRIDGE}"] -= swap.amount_b
        assert after == expected  # the HTLCs hold nothing; nobody gained or lost a point

        with chains.sessions() as session:
            carried_out = session.execute(
                select(CrossTransaction.swap_id, CrossTransaction.action, func.count())
                .where(CrossTransaction.state == TX_MINED, CrossTransaction.swap_id.is_not(None))
                .group_by(CrossTransaction.swap_id, CrossTransaction.action)
            ).all()
            signed = session.execute(
                select(CrossTransaction.chain, CrossTransaction.sender, CrossTransaction.nonce)
            ).all()
        assert all(count == 1 for _, _, count in carried_out)
        by_key: dict[tuple[str, str], list[int]] = {}
        for chain, sender, nonce in signed:
            by_key.setdefault((chain, sender), []).append(nonce)
        assert {sender for _, sender in by_key} == {BRIDGE, RELAYER}  # the relayer sent too
        for nonces in by_key.values():  # per key and chain: no nonce signed twice, none skipped
            assert sorted(nonces) == list(range(min(nonces), min(nonces) + len(nonces)))
        assert Account.from_key(chains.users[0]).address in {s.user for s in swaps}
