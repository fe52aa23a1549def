"""API reads under load over real HTTP: an open-loop generator at a fixed rate (``load.py``:
requests are scheduled at t0 + i/rate and latency counts from the scheduled moment, so a slow
server cannot hide its queue — no coordinated omission), bounded by a request count and a time
limit.

The mix is what wallets and dashboards read: balances, history pages, quotes, merchants,
platform stats. Baseline: ``/health`` at the same rate (the framework's floor on this machine).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account

from .history import BenchChain, add_swaps
from .load import open_loop
from .measure import Figure
from .service import service

RATE = 500  # requests per second, the goal
CONNECTIONS = 64
BACKGROUND_SWAPS = 100  # per second, settled while the reads run


def paths(bench: BenchChain) -> list[str]:
    """Every user's balances and latest history page, a quote of a different amount for each
    (so the per-block quote memo sees many keys), the merchants, and the statistics."""
    users = [Account.from_key(k).address for k in bench.users]
    tokens = list(bench.chain.tokens.values())
    sky, fresh = bench.chain.tokens["SKYM"], bench.chain.tokens["FRESH"]
    mix = []
    for i, user in enumerate(users):
        mix += [
            f"/balances/{user}",
            f"/history/{user}?limit=20",
            f"/quote?from={sky}&to={fresh}&amount={10 + 7 * i}",
        ]
    mix += ["/merchants", "/stats", *(f"/merchants/{t}/stats" for t in tokens)]
    return mix


def load(url: str, mix: list[str], rate: float, seconds: float) -> dict[str, Any]:
    """``rate × seconds`` GETs on schedule (open loop); latencies in ms, statuses counted."""
    return open_loop(url, mix, rate, seconds, connections=CONNECTIONS).summary()


def _swap_loop(bench: BenchChain, per_second: int, stop: Any, settled: Any) -> None:
    """In a forked child: one batch of ``per_second`` swaps a second until told to stop, with
    order nonces far above the parent's so later history never collides with these.
    ``settled`` counts the swaps settled: a batch that takes longer than a second makes the
    rate lower than asked, and the figure says so."""
    bench.next_nonce += 10**12
    while not stop.is_set():
        began = time.monotonic()
        add_swaps(bench, per_second)
        with settled.get_lock():
            settled.value += per_second
        stop.wait(max(0.0, 1.0 - (time.monotonic() - began)))


@dataclass
class Activity:
    """What the background swaps reached while the reads were measured."""

    swaps: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.swaps / self.seconds if self.seconds else 0.0


@contextmanager
def chain_activity(bench: BenchChain, per_second: int) -> Iterator[Activity]:
    """Swaps settling in the background while reads are measured, so the indexer commits new
    checkpoints and the head moves during the run — as on a live platform (no read cache can
    answer everything from one block's memory). Yields the swaps settled meanwhile (filled in
    on exit)."""
    context = multiprocessing.get_context("fork")
    stop, settled = context.Event(), context.Value("q", 0)
    child = context.Process(target=_swap_loop, args=(bench, per_second, stop, settled), daemon=True)
    child.start()
    activity = Activity()
    try:
        time.sleep(1.5)  # the first batch is in and being indexed
        before, began = settled.value, time.monotonic()
        yield activity
    finally:
        activity.swaps = settled.value - before
        activity.seconds = time.monotonic() - began
        stop.set()
        child.join(30)
        if child.is_alive():
            child.kill()


def measure_mix(
    bench: BenchChain,
    data_dir: Path,
    seconds: float,
    *,
    activity: bool,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One service on the indexed database, the mix at RATE (with swaps settling meanwhile
    when ``activity``)."""
    with service(bench, data_dir, extra_env=extra_env) as svc:
        mix = paths(bench)
        for path in mix:  # warm up, and fail loudly on a broken read
            httpx.get(svc.url + path, timeout=30).raise_for_status()
        if not activity:
            return load(svc.url, mix, RATE, seconds)
        with chain_activity(bench, BACKGROUND_SWAPS):
            return load(svc.url, mix, RATE, seconds)


def read_load(
    bench: BenchChain, services: Any, folder: Path, label: str, seconds: float = 6
) -> list[Figure]:
    """Serves the indexed database (``tongdui up --rpc`` on it) and loads it: on a quiet chain,
    and while BACKGROUND_SWAPS swaps a second settle (the index and the head move, so cached
    reads are made again after every block). Baseline: the quiet chain with the service's read
    caches off (``TONGDUI_READ_CACHE_SECONDS=0``). Each in a service of its own, so that one
    run's backlog cannot slow the next."""
    data_dir = Path(services.settings.data_dir)
    quiet = measure_mix(bench, data_dir, seconds, activity=False)
    busy = measure_mix(bench, data_dir, seconds, activity=True)
    floor = measure_mix(
        bench, data_dir, seconds, activity=False, extra_env={"TONGDUI_READ_CACHE_SECONDS": "0"}
    )
    figures = []
    for name, reads in (
        (f"quiet chain, {label}", quiet),
        (f"{BACKGROUND_SWAPS} swaps/s settling, {label}", busy),
    ):
        ok = reads["statuses"].get(200, 0) == reads["requests"]
        print(
            f"  [{name}] API reads at {RATE}/s: achieved {reads['achieved_rate']:,.0f}/s, "
            f"p50 {reads['p50']:.1f} ms, p99 {reads['p99']:.1f} ms, statuses {reads['statuses']}"
            f"; slowest 1%: {reads['tail']}",
            flush=True,
        )
        notes = (
            f"{reads['requests']} requests at {RATE}/s scheduled, all answered: "
            f"{reads['dropped'] == 0}; p90 {reads['p90']:.0f} ms, max {reads['max']:.0f} ms"
        )
        figures += [
            Figure(
                "api",
                f"API reads p50 ({name})",
                reads["p50"],
                "ms",
                baseline=floor["p50"],
                baseline_name="read caches off",
                notes=notes,
                extra=reads,
            ),
            Figure(
                "api",
                f"API reads p99 ({name})",
                reads["p99"],
                "ms",
                baseline=floor["p99"],
                baseline_name="read caches off",
                goal="<50 ms at 500 req/s",
                met=reads["p99"] < 50 and ok and reads["dropped"] == 0,
                notes=notes,
                extra={"caches_off": floor},
            ),
        ]
    print(
        f"  [{label}] caches off: achieved {floor['achieved_rate']:,.0f}/s, "
        f"p50 {floor['p50']:.1f} ms, p99 {floor['p99']:.1f} ms",
        flush=True,
    )
    return figures
