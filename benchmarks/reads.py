"""API reads under load over real HTTP: an open-loop generator at a fixed rate (requests are
scheduled at t0 + i/rate and latency counts from the scheduled moment, so a slow server cannot
hide its queue — no coordinated omission), bounded by a request count and a time limit.

The mix is what wallets and dashboards read: balances, history pages, quotes, merchants,
platform stats. Baseline: ``/health`` at the same rate (the framework's floor on this machine).
"""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account

from .history import BenchChain
from .measure import Figure, percentile
from .service import service

RATE = 500  # requests per second, the goal
WORKERS = 48


def paths(bench: BenchChain) -> list[str]:
    users = [Account.from_key(k).address for k in bench.users[:10]]
    sky, fresh = bench.chain.tokens["SKYM"], bench.chain.tokens["FRESH"]
    mix = []
    for user in users:
        mix += [
            f"/balances/{user}",
            f"/history/{user}?limit=20",
            f"/quote?from={sky}&to={fresh}&amount=10",
        ]
    mix += ["/merchants", "/stats", f"/merchants/{sky}/stats"]
    return mix


def load(url: str, mix: list[str], rate: float, seconds: float) -> dict[str, Any]:
    """Sends ``rate × seconds`` requests on schedule; latencies in ms, errors counted."""
    total = int(rate * seconds)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = itertools.count()
    start = time.perf_counter() + 0.2
    deadline = start + seconds + 5  # bounded: what a stalled server did not serve is dropped

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=10) as http:
            while True:
                i = next(counter)
                if i >= total:
                    return
                due = start + i / rate
                now = time.perf_counter()
                if now > deadline:
                    return
                if due > now:
                    time.sleep(due - now)
                try:
                    status = http.get(mix[i % len(mix)]).status_code
                except httpx.HTTPError:
                    status = 0
                took = (time.perf_counter() - due) * 1000
                with lock:
                    latencies.append(took)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "achieved_rate": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "statuses": statuses,
        "dropped": total - len(latencies),
    }


def read_load(
    bench: BenchChain, services: Any, folder: Path, label: str, seconds: float = 4
) -> list[Figure]:
    """Serves the indexed database (``tongdui up --rpc`` on it) and loads it."""
    data_dir = Path(services.settings.data_dir)
    with service(bench, data_dir) as svc:
        mix = paths(bench)
        for path in mix:  # warm up, and fail loudly on a broken read
            httpx.get(svc.url + path, timeout=30).raise_for_status()
        floor = load(svc.url, ["/health"], RATE, seconds)
        reads = load(svc.url, mix, RATE, seconds)
    ok = reads["statuses"].get(200, 0) == reads["requests"]
    print(
        f"  [{label}] API reads at {RATE}/s: achieved {reads['achieved_rate']:,.0f}/s, "
        f"p50 {reads['p50']:.1f} ms, p99 {reads['p99']:.1f} ms, statuses {reads['statuses']}; "
        f"/health p50 {floor['p50']:.1f} ms p99 {floor['p99']:.1f} ms",
        flush=True,
    )
    notes = (
        f"{reads['requests']} requests at {RATE}/s scheduled, achieved "
        f"{reads['achieved_rate']:,.0f}/s, {reads['dropped']} not sent within the time bound"
    )
    return [
        Figure(
            "api",
            f"API reads p50 ({label})",
            reads["p50"],
            "ms",
            baseline=floor["p50"],
            baseline_name="/health",
            notes=notes,
            extra=reads,
        ),
        Figure(
            "api",
            f"API reads p99 ({label})",
            reads["p99"],
            "ms",
            baseline=floor["p99"],
            baseline_name="/health",
            goal="<50 ms at 500 req/s",
            met=reads["p99"] < 50 and ok and reads["achieved_rate"] >= RATE * 0.95,
            notes=notes,
            extra={"health": floor},
        ),
    ]
