"""The relayer over a real HTTP server (uvicorn) with the Python client: the main flow,
concurrent submitters, and a chain with a block period of one second."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.chains import TestChain
from tongdui.chain.deployment import save_deployment
from tongdui.client import TongduiApiError, TongduiClient
from tongdui.core.config import Settings
from tongdui.services import Services, build_services

from .relayer_helpers import address, http_server, make_relayer, running
from .test_relayer_restart import swapped_count

# (user, from, to, points per order): what the demo users hold enough of for many orders.
SENDERS = [
    (0, "SKYM", "BEAN", 100),
    (2, "FRESH", "SKYM", 500),
    (1, "BEAN", "FRESH", 2),
    (0, "FRESH", "SKYM", 200),
]


def submit_many(chain: TestChain, url: str, threads: int, per_thread: int) -> list[str]:
    def worker(index: int) -> list[str]:
        user, src, dst, amount = SENDERS[index % len(SENDERS)]
        with TongduiClient(url) as client:
            return [
                client.submit_order(
                    chain.user_keys[user],
                    chain.tokens[src],
                    chain.tokens[dst],
                    amount,
                    min_amount_out=1,
                )["orderHash"]
                for _ in range(per_thread)
            ]

    with ThreadPoolExecutor(threads) as pool:
        return [h for hashes in pool.map(worker, range(threads)) for h in hashes]


def settle_all(
    chain: TestChain, services: Services, threads: int, per_thread: int, label: str
) -> list[dict[str, object]]:
    with http_server(services) as url, running(make_relayer(services)):
        start = time.monotonic()
        hashes = submit_many(chain, url, threads, per_thread)
        accepted = time.monotonic() - start
        with TongduiClient(url) as client:
            finals = [client.wait_settled(h, timeout=120) for h in hashes]
        elapsed = time.monotonic() - start
    print(
        f"\n[{label}] {len(hashes)} orders from {threads} threads: accepted in {accepted:.2f}s "
        f"({len(hashes) / accepted:.0f}/s), all final in {elapsed:.2f}s "
        f"({len(hashes) / elapsed:.1f} orders/s end to end)"
    )
    counts = swapped_count(services)
    assert [counts[h] for h in hashes] == [1] * len(hashes)
    return finals  # type: ignore[return-value]


def test_the_client_submits_an_order_over_http_and_sees_it_settle(
    clean_chain: TestChain, services: Services
) -> None:
    key = clean_chain.user_keys[0]
    with (
        http_server(services) as url,
        running(make_relayer(services)),
        TongduiClient(url) as client,
    ):
        assert client.domain()["chainId"] == services.chain_id
        answer = client.submit_order(
            key, clean_chain.tokens["SKYM"], clean_chain.tokens["BEAN"], 1_000, min_amount_out=99
        )
        assert answer["state"] == "received"
        final = client.wait_settled(answer["orderHash"], timeout=30)
        assert (final["state"], final["amountOut"]) == ("settled", 99)
        assert client.orders(address(key))[0]["orderHash"] == answer["orderHash"]
        defaults = client.submit_order(
            key, clean_chain.tokens["SKYM"], clean_chain.tokens["BEAN"], 1_000
        )
        assert defaults["minAmountOut"] == 98  # the quote's 99 less 0.5 % slippage, floored
        assert client.wait_settled(defaults["orderHash"], timeout=30)["state"] == "settled"
        with pytest.raises(TongduiApiError) as refused:
            client.submit_order(
                key,
                clean_chain.tokens["SKYM"],
                clean_chain.tokens["BEAN"],
                1_000,
                min_amount_out=1_000,
            )
        assert refused.value.code == "INSUFFICIENT_OUTPUT" and refused.value.status == 400


def test_concurrent_submitters_all_settle_exactly_once(
    clean_chain: TestChain, services: Services
) -> None:
    finals = settle_all(clean_chain, services, threads=8, per_thread=15, label="automine")
    assert {f["state"] for f in finals} == {"settled"}


def test_orders_settle_on_a_chain_with_a_one_second_block_period(
    slow_chain: TestChain, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path, rpc_url=slow_chain.url, batch_max_wait=0.2, poll_interval=0.1
    )
    save_deployment(settings.deployments_dir(), slow_chain.deployment)
    services = build_services(settings)
    try:
        finals = settle_all(slow_chain, services, threads=4, per_thread=10, label="block_time=1")
    finally:
        services.engine.dispose()
    assert {f["state"] for f in finals} == {"settled"}
    assert len({f["blockNumber"] for f in finals}) >= 1
    threading.Event().wait(0)  # nothing left running
