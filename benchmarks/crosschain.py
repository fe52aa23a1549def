"""Cross-chain swaps across two chains with 1 s blocks (issue 17): swaps/s and the time from
start to both claims (p50/p99) with many swaps in flight, beside the same swaps done one at a
time in the same run (the baseline).

Two anvils (1 s blocks, a lock believed one block deep), the coordinator's loop in a thread,
the users played here: each starts a swap as the wallet does (quote, Lock and permit signed)
and reveals its secret as soon as its points are locked on B. A swap is complete when the
coordinator has seen the bridge member's claim on A final.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from tests.crosschain_support import TwoChains, start_swap, two_chains
from tongdui.crosschain.models import CLAIMED_A, FINAL_STATES, LOCKED_B

from .measure import Figure, percentile

AMOUNT = 1_000


def _run(chains: TwoChains, crosschain: object, keys: list[str]) -> tuple[float, list[float]]:
    """Starts one swap per key at once; (wall time to the last completion, each's duration)."""
    started: dict[int, float] = {}
    secrets: dict[int, str] = {}
    t0 = time.perf_counter()
    for key in keys:
        swap_id, secret = start_swap(crosschain, key, AMOUNT)  # type: ignore[arg-type]
        started[swap_id], secrets[swap_id] = time.perf_counter(), secret
    finished: dict[int, float] = {}
    revealed: set[int] = set()
    deadline = time.monotonic() + 300
    while len(finished) < len(started) and time.monotonic() < deadline:
        for swap in chains.swaps():
            if swap.id not in started or swap.id in finished:
                continue
            if swap.state == LOCKED_B and swap.id not in revealed:
                crosschain.reveal(swap.id, secrets[swap.id])  # type: ignore[attr-defined]
                revealed.add(swap.id)
            if swap.state in FINAL_STATES:
                if swap.state != CLAIMED_A:
                    raise RuntimeError(f"swap {swap.id} ended {swap.state}: {swap.reason}")
                finished[swap.id] = time.perf_counter()
        time.sleep(0.05)
    if len(finished) < len(started):
        raise RuntimeError(f"{len(started) - len(finished)} swaps did not complete in 300 s")
    return max(finished.values()) - t0, [finished[i] - started[i] for i in started]


def run(quick: bool, workdir: Path | None = None) -> list[Figure]:
    concurrent, sequential = (20, 2) if quick else (100, 5)
    folder = Path(tempfile.mkdtemp(prefix="xc-", dir=workdir))
    with two_chains(folder, block_time=1, confirmations=1, users=concurrent + sequential) as chains:
        crosschain, coordinator = chains.build(poll_interval=0.1)
        stop = threading.Event()
        thread = threading.Thread(target=coordinator.run, args=(stop,), daemon=True)
        thread.start()
        try:
            one_by_one: list[float] = []
            for key in chains.users[:sequential]:
                _, durations = _run(chains, crosschain, [key])
                one_by_one += durations
            wall, durations = _run(chains, crosschain, chains.users[sequential:])
        finally:
            stop.set()
            thread.join(timeout=10)
    base = f"the same swaps one at a time ({sequential})"
    rate, base_rate = len(durations) / wall, len(one_by_one) / sum(one_by_one)
    extra = {"concurrent": concurrent, "sequential": sequential, "wall_s": wall}
    return [
        Figure(
            "crosschain",
            f"cross-chain swaps/s, {concurrent} in flight, 1 s blocks",
            rate,
            "swaps/s",
            baseline=base_rate,
            baseline_name=base,
            extra=extra,
        ),
        Figure(
            "crosschain",
            "cross-chain swap completion p50",
            percentile(durations, 50),
            "s",
            baseline=percentile(one_by_one, 50),
            baseline_name=base,
        ),
        Figure(
            "crosschain",
            "cross-chain swap completion p99",
            percentile(durations, 99),
            "s",
            baseline=percentile(one_by_one, 99),
            baseline_name=base,
        ),
    ]


if __name__ == "__main__":
    import sys

    for figure in run("--quick" in sys.argv):
        print(figure.line())
