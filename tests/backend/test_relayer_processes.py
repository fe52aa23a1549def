"""Two API processes (`tongdui serve`) on one database take orders for the same owner at the
same time: intake still sees every pending order of that owner, whichever process took it, so
no owner is promised more points than they hold and a nonce is taken once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chains import TestChain, free_port
from tongdui.services import Services

from .relayer_helpers import address, order_body

TONGDUI = str(Path(sys.executable).parent / "tongdui")


@pytest.fixture
def two_servers(services: Services, tmp_path: Path) -> Iterator[list[str]]:
    settings = services.settings
    processes, urls = [], []
    for i in range(2):
        port = free_port()
        command = [TONGDUI, "serve", "--rpc", str(settings.rpc_url), "--port", str(port)]
        log = (tmp_path / f"serve-{i}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [*command, "--data-dir", str(settings.data_dir)],
                env={**os.environ, "TONGDUI_POLL_INTERVAL": "0.05"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/orders/domain", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"tongdui serve did not answer on {url}")
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(url + "/orders", json=body, timeout=30)


def test_two_processes_never_promise_more_than_the_owner_holds(
    clean_chain: TestChain, services: Services, two_servers: list[str]
) -> None:
    owner = address(clean_chain.user_keys[0])
    held = clean_chain.platform.points_token(clean_chain.tokens["SKYM"]).functions
    balance = held.balanceOf(owner).call()
    quarter = balance // 4
    bodies = [order_body(clean_chain, services, amount=quarter) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, [two_servers[i % 2] for i in range(8)], bodies))
    codes = Counter(a.status_code if a.status_code < 400 else a.json()["code"] for a in answers)
    assert codes == {202: 4, "INSUFFICIENT_BALANCE": 4}, codes


def test_one_nonce_sent_to_both_processes_is_taken_once(
    clean_chain: TestChain, services: Services, two_servers: list[str]
) -> None:
    first = order_body(clean_chain, services, amount=100, nonce=77)
    second = order_body(clean_chain, services, amount=200, nonce=77)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(post, two_servers, [first, second]))
    accepted = [a for a in answers if a.status_code == 202]
    refused = [a.json()["code"] for a in answers if a.status_code >= 400]
    assert len(accepted) == 1 and refused == ["NONCE_USED"], [a.text for a in answers]
