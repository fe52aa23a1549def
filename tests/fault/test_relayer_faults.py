"""The relayer is SIGKILLed and the chain node restarted while orders pour in: every accepted
order ends settled exactly once or rejected with a reason; none is lost, none executes twice,
and no relayer key is left with a nonce gap.

Everything runs as real processes on loopback: anvil (state kept in its file, so a restart
continues the chain), `tongdui serve` (intake) and `tongdui relay` (batches), each started by
the test; the orders come from client threads over HTTP. Quick: 200 orders; full: 1,000.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from web3 import Web3

from tests.chains import TestChain, free_port, start_chain
from tongdui.chain.anvil import Anvil
from tongdui.chain.deployment import save_deployment
from tongdui.client import TongduiClient
from tongdui.core.config import ANVIL_KEYS

from .conftest import FULL

ORDERS = 1_000 if FULL else 200
TONGDUI = str(Path(sys.executable).parent / "tongdui")
RELAYER_KEYS = (ANVIL_KEYS[8], ANVIL_KEYS[9])
# (user index, from, to, points per order): amounts the demo holdings cover many times over.
# Each worth at least the minimum order value (100 fen) and enough to buy a point after the
# fee rounded up: 110 fen → 1 BEAN, 100 fen → 9 SKYM, 100 fen → 99 FRESH.
FLOWS = ((0, "SKYM", "BEAN", 11), (2, "FRESH", "SKYM", 100), (0, "SKYM", "FRESH", 10))


@pytest.fixture
def chain_home() -> Iterator[tuple[TestChain, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-fault-relay-"))
    chain = start_chain(folder, block_time=0)
    try:
        yield chain, folder
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _tongdui(command: str, rpc: str, data_dir: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        TONGDUI_RELAYER_KEYS=",".join(RELAYER_KEYS),
        TONGDUI_BATCH_MAX_WAIT="0.2",
        TONGDUI_POLL_INTERVAL="0.1",
    )
    log = (data_dir.parent / f"{command}.log").open("ab")
    return subprocess.Popen(
        [TONGDUI, command, "--rpc", rpc, "--data-dir", str(data_dir), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_http(url: str, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer; its log:\n{log.read_text()[-2000:]}")


def _restart_node(anvil: Anvil) -> None:
    """Stop the node (it writes its state file) and start it again on the same port."""
    anvil.stop()
    anvil.start()


def test_a_killed_relayer_and_a_restarted_node_lose_no_order_and_run_none_twice(
    chain_home: tuple[TestChain, Path],
) -> None:
    chain, folder = chain_home
    data_dir = folder / "service"
    save_deployment(data_dir / "deployments", chain.deployment)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = _tongdui("serve", chain.url, data_dir, "--port", str(port))
    relay = _tongdui("relay", chain.url, data_dir)
    accepted: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    try:
        _wait_http(f"{base}/health", folder / "serve.log")
        client = TongduiClient(base)
        domain = client.exchange_domain()
        keys = chain.user_keys

        def submit(worker: int, count: int) -> None:
            with TongduiClient(base) as own:
                for i in range(count):
                    user, source, target, amount = FLOWS[(worker + i) % len(FLOWS)]
                    body = own.sign_order(
                        keys[user],
                        chain.tokens[source],
                        chain.tokens[target],
                        amount,
                        min_amount_out=0,
                        nonce=secrets.randbits(64),
                        deadline=int(time.time()) + 3600,
                    )
                    try:
                        answer = own.post_order(body)
                    except Exception as error:  # node down: intake may refuse; never lost
                        with lock:
                            refused.append(str(error))
                        continue
                    with lock:
                        accepted.append(answer["orderHash"])

        assert domain.chain_id == chain.w3.eth.chain_id
        workers = [threading.Thread(target=submit, args=(w, ORDERS // 4)) for w in range(4)]
        for worker in workers:
            worker.start()

        # Fault 1: SIGKILL the relayer a third of the way in, and start a new one.
        while len(accepted) < ORDERS // 3:
            time.sleep(0.05)
        os.killpg(relay.pid, signal.SIGKILL)
        relay.wait()
        relay = _tongdui("relay", chain.url, data_dir)
        # Fault 2: restart the chain node two thirds of the way in.
        while len(accepted) < 2 * ORDERS // 3 and any(w.is_alive() for w in workers):
            time.sleep(0.05)
        _restart_node(chain.anvil)
        for worker in workers:
            worker.join()

        finals = _wait_final(client, accepted, timeout=240)
    finally:
        for process in (serve, relay):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    # Every accepted order ended, settled or rejected with a reason: none lost.
    assert len(accepted) >= ORDERS // 2, f"too few accepted: {len(accepted)}; {refused[:3]}"
    states = {hash_: answer["state"] for hash_, answer in finals.items()}
    assert set(states.values()) <= {"settled", "rejected"}
    for answer in finals.values():
        if answer["state"] == "rejected":
            assert answer["reason"]["code"] and answer["reason"]["message"]
    # On chain: each settled order's Swapped exactly once; nothing else swapped.
    swapped = _swapped_hashes(chain)
    settled = {h for h, state in states.items() if state == "settled"}
    assert len(swapped) == len(set(swapped)), "an order executed twice"
    assert set(swapped) == settled
    # No relayer key is left with a gap: nothing pending behind a missing nonce.
    w3 = chain.w3
    for key in RELAYER_KEYS:
        address = Account.from_key(key).address
        assert w3.eth.get_transaction_count(address, "pending") == w3.eth.get_transaction_count(
            address, "latest"
        )
    print(
        f"\n{len(accepted)} accepted, {len(refused)} refused while the node was down, "
        f"{len(settled)} settled, {len(accepted) - len(settled)} rejected"
    )


def _wait_final(
    client: TongduiClient, hashes: list[str], timeout: float
) -> dict[str, dict[str, object]]:
    deadline = time.monotonic() + timeout
    pending = set(hashes)
    finals: dict[str, dict[str, object]] = {}
    while pending and time.monotonic() < deadline:
        for order_hash in list(pending):
            answer = client.order(order_hash)
            if answer["state"] in ("settled", "rejected"):
                finals[order_hash] = answer
                pending.discard(order_hash)
        if pending:
            time.sleep(0.5)
    assert not pending, f"{len(pending)} accepted orders never settled or were rejected"
    return finals


def _swapped_hashes(chain: TestChain) -> list[str]:
    exchange = chain.platform.exchange
    topic = Web3.keccak(
        text="Swapped(bytes32,address,address,address,uint256,uint256,uint256,uint256,uint256,"
        "uint256,address)"
    )
    logs = chain.w3.eth.get_logs(
        {
            "address": exchange.address,
            "fromBlock": chain.deployment.deployment_block,
            "toBlock": "latest",
            "topics": [topic],
        }
    )
    return ["0x" + bytes(log["topics"][1]).hex() for log in logs]
