"""``POST /orders/bulk`` (issue 19) beside its baseline in the same run: the wall clock of one
bulk of N signed orders until the answer says each is accepted, and of the same number of
single ``POST /orders`` one after another on one kept-alive connection (an integrator without
the bulk route).

``python -m benchmarks.bulk_orders [--orders 500] [--rounds 1]``: one benchmark chain (anvil,
automine) with 20 funded users; each measurement gets its own ``tongdui serve`` (the API alone,
no relayer settling meanwhile) on a fresh database, warmed with a few single orders first.
Orders are signed and encoded before the clock starts (the wallets' work, not the service's).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .history import BenchChain, bench_chain
from .relay import order_bodies
from .relay_load import Http
from .service import service

WARM_UP = 5


def single_posts(http: Http, bodies: list[bytes]) -> list[int]:
    return [http.request("POST", "/orders", body)[0] for body in bodies]


def one_bulk(http: Http, body: bytes) -> list[int]:
    status, answer = http.request("POST", "/orders/bulk", body)
    if status != 200:
        raise RuntimeError(f"POST /orders/bulk answered {status}: {str(answer)[:300]}")
    return [result["status"] for result in answer["results"]]


def timed(
    bench: BenchChain, folder: Path, warm: list[bytes], post: Callable[[Http], list[int]]
) -> float:
    """Seconds ``post`` takes on a fresh API, after ``warm`` was posted one by one."""
    with service(bench, folder, api_only=True) as api:
        http = Http(api.url)
        try:
            single_posts(http, warm)
            started = time.perf_counter()
            statuses = post(http)
            seconds = time.perf_counter() - started
        finally:
            http.close()
    if set(statuses) != {202}:
        raise RuntimeError(f"not every order was accepted: {sorted(set(statuses))}")
    return seconds


def run(orders: int, rounds: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="tongdui-bench-bulk-orders-"))
    try:
        with bench_chain(users=20) as bench:
            figures: dict[str, list[float]] = {"bulk": [], "single": []}
            for round_ in range(rounds):
                bodies = order_bodies(bench, 2 * (orders + WARM_UP))
                encoded = [json.dumps(body).encode() for body in bodies]
                warm_single, warm_bulk = encoded[:WARM_UP], encoded[WARM_UP : 2 * WARM_UP]
                single = encoded[2 * WARM_UP : 2 * WARM_UP + orders]
                bulk_body = json.dumps({"orders": bodies[2 * WARM_UP + orders :]}).encode()
                figures["single"].append(
                    timed(
                        bench,
                        work / f"single-{round_}",
                        warm_single,
                        partial(single_posts, bodies=single),
                    )
                )
                figures["bulk"].append(
                    timed(
                        bench,
                        work / f"bulk-{round_}",
                        warm_bulk,
                        partial(one_bulk, body=bulk_body),
                    )
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"orders": orders, **{name: min(values) for name, values in figures.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=500, help="orders per measurement")
    parser.add_argument("--rounds", type=int, default=1, help="best of this many")
    args = parser.parse_args()
    got = run(args.orders, args.rounds)
    print(
        f"{got['orders']} signed orders: one POST /orders/bulk {got['bulk']:.2f} s "
        f"({got['orders'] / got['bulk']:.0f} orders/s) beside {got['orders']} single "
        f"POST /orders one after another {got['single']:.2f} s "
        f"({got['orders'] / got['single']:.0f} orders/s), ×{got['single'] / got['bulk']:.1f}"
    )


if __name__ == "__main__":
    main()
