"""Merchant writes on a chain with a block period (1 s, as a consortium's PoA chain): an answer
may be ``pending`` and the transaction endpoint tells when it is mined; concurrent writes of one
merchant get consecutive nonces; reads keep answering while writes wait for their block."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from eth_account import Account

from tests.chains import TestChain
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import Settings
from tongdui.services import build_services

from .api_support import LiveApi, live_api, make_keys


@pytest.fixture
def api(slow_chain: TestChain, tmp_path: Path) -> Iterator[LiveApi]:
    save_deployment(tmp_path / "deployments", slow_chain.deployment)
    services = build_services(Settings(data_dir=tmp_path, rpc_url=slow_chain.url))
    try:
        with live_api(services) as live:
            live.keys = make_keys(services, slow_chain.tokens)
            yield live
    finally:
        services.engine.dispose()


def test_an_issue_that_does_not_wait_is_pending_then_mined(
    api: LiveApi, slow_chain: TestChain
) -> None:
    token, user = slow_chain.tokens["SKYM"], Account.create().address
    answer = api.client.post(
        f"/merchants/{token}/issue",
        params={"wait": 0},
        json={"to": user, "amount": 7},
        headers=api.auth("SKYM"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "pending" and answer.json()["blockNumber"] is None
    tx_hash = answer.json()["txHash"]

    status, deadline = answer.json(), time.monotonic() + 30
    while status["status"] == "pending" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = api.client.get(
            f"/merchants/{token}/transactions/{tx_hash}", headers=api.auth("SKYM:read")
        ).json()
    assert status["status"] == "mined" and status["blockNumber"] > 0
    assert slow_chain.platform.points_token(token).functions.balanceOf(user).call() == 7


def test_concurrent_issues_of_one_merchant_all_mine_while_reads_keep_answering(
    api: LiveApi, slow_chain: TestChain
) -> None:
    token, users = slow_chain.tokens["BEAN"], [Account.create().address for _ in range(6)]

    def issue(user: str) -> dict[str, object]:
        answer = api.client.post(
            f"/merchants/{token}/issue", json={"to": user, "amount": 3}, headers=api.auth("BEAN")
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    writes_done = threading.Event()
    read_latencies: list[float] = []

    def read_meanwhile() -> None:
        while not writes_done.is_set():
            started = time.perf_counter()
            assert api.client.get("/merchants").status_code == 200
            read_latencies.append(time.perf_counter() - started)

    reader = threading.Thread(target=read_meanwhile)
    reader.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(len(users)) as pool:
        results = list(pool.map(issue, users))
    elapsed = time.perf_counter() - started
    writes_done.set()
    reader.join()

    assert all(r["status"] == "mined" for r in results)
    assert len({r["txHash"] for r in results}) == len(users)
    points = slow_chain.platform.points_token(token).functions
    assert [points.balanceOf(u).call() for u in users] == [3] * len(users)
    assert read_latencies  # reads were answered while the writes waited for blocks
    print(
        f"\n{len(users)} concurrent issues mined in {elapsed:.2f} s (1 s blocks); "
        f"{len(read_latencies)} reads meanwhile, median "
        f"{sorted(read_latencies)[len(read_latencies) // 2] * 1000:.1f} ms"
    )
