"""`tongdui up` end to end, as a person runs it: first start deploys and seeds, a signed order
settles and shows in history, Ctrl-C stops everything, and a second start continues with the
same balances, orders and indexed history (no second deployment or seed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from web3 import Web3

from tests.chains import free_port
from tongdui.chain.anvil import port_is_free
from tongdui.client import TongduiClient
from tongdui.demo import demo_user_key

BALANCE_OF = [
    {
        "name": "balanceOf",
        "type": "function",
        "stateMutability": "view",
        "inputs": [{"name": "a", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    }
]
TONGDUI = str(Path(sys.executable).parent / "tongdui")


class Up:
    """One `tongdui up` process with its own data folder, ports and log."""

    def __init__(self, data_dir: Path, api_port: int, anvil_port: int) -> None:
        self.data_dir, self.api_port, self.anvil_port = data_dir, api_port, anvil_port
        self.log = data_dir.parent / "up.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self, *flags: str) -> None:
        env = dict(
            os.environ,
            TONGDUI_ANVIL_PORT=str(self.anvil_port),
            TONGDUI_ANVIL_BLOCK_TIME="0.5",
            TONGDUI_BATCH_MAX_WAIT="0.1",
        )
        with self.log.open("ab") as log:
            log.write(b"\n--- start ---\n")
        self.process = subprocess.Popen(
            [TONGDUI, "up", "--data-dir", str(self.data_dir), "--port", str(self.api_port), *flags],
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                health = httpx.get(f"{self.base}/health", timeout=2).json()
                if health.get("indexer", {}).get("lagBlocks", 99) <= 2:
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.3)
        raise TimeoutError(self.output())

    def stop(self) -> int:
        """Ctrl-C, as a person stops it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    instance = Up(tmp_path / "data", free_port(), free_port())
    try:
        yield instance
    finally:
        if instance.process is not None and instance.process.poll() is None:
            instance.process.kill()
            instance.process.wait()


def _tokens(base: str) -> dict[str, str]:
    merchants = httpx.get(f"{base}/merchants", timeout=10).json()["merchants"]
    return {m["symbol"]: m["token"] for m in merchants}


def test_up_runs_the_demo_and_a_restart_continues_where_it_stopped(up: Up) -> None:
    up.start("--demo")
    first_run = up.output()
    assert "Deployed the platform" in first_run and "Seeded the demo consortium" in first_run
    user = Account.from_key(demo_user_key(0)).address
    tokens = _tokens(up.base)
    with TongduiClient(up.base) as client:
        answer = client.submit_order(demo_user_key(0), tokens["SKYM"], tokens["BEAN"], 1_000)
        settled = client.wait_settled(answer["orderHash"], timeout=60)
    assert settled["state"] == "settled"
    time.sleep(1.5)  # a block or two for the indexer
    balances_before = httpx.get(f"{up.base}/balances/{user}", timeout=10).json()["balances"]
    history_before = httpx.get(f"{up.base}/history/{user}", timeout=10).json()["items"]
    assert any(item["kind"] == "swap" for item in history_before)

    assert up.stop() == 0
    assert port_is_free(up.anvil_port), "anvil outlived `tongdui up`"
    assert port_is_free(up.api_port)

    up.start("--demo")
    second_run = up.output()[len(first_run) :]
    assert "Deployed" not in second_run and "Seeded" not in second_run
    with TongduiClient(up.base) as client:
        assert client.order(answer["orderHash"])["state"] == "settled"
    balances_after = httpx.get(f"{up.base}/balances/{user}", timeout=10).json()["balances"]
    points = {b["symbol"]: b["points"] for b in balances_after}
    assert points == {b["symbol"]: b["points"] for b in balances_before}
    assert points["SKYM"] == 49_000
    history_after = httpx.get(f"{up.base}/history/{user}", timeout=10).json()["items"]
    assert [i["txHash"] for i in history_after] == [i["txHash"] for i in history_before]
    assert up.stop() == 0


def test_up_refuses_an_api_port_that_is_taken(up: Up) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", up.api_port))
        busy.listen()
        result = subprocess.run(
            [TONGDUI, "up", "--data-dir", str(up.data_dir), "--port", str(up.api_port)],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ, TONGDUI_ANVIL_PORT=str(up.anvil_port)),
        )
    assert result.returncode == 1
    assert f"API port {up.api_port} is in use" in result.stderr
    assert port_is_free(up.anvil_port), "no anvil may be left behind"


def test_bulk_issuance_killed_halfway_in_tongdui_up_resumes_with_no_row_issued_twice(
    up: Up,
) -> None:
    up.start("--demo")
    token = _tokens(up.base)["SKYM"]
    node = f"http://127.0.0.1:{up.anvil_port}"
    created = subprocess.run(
        [TONGDUI, "merchant-key", "create", "SKYM", "--data-dir", str(up.data_dir), "--rpc", node],
        capture_output=True,
        text=True,
        check=True,
    )
    key = created.stdout.strip().splitlines()[-1].strip()
    headers = {"Authorization": f"Bearer {key}"}
    holders = [Account.create().address for _ in range(10)]
    lines = ["address,amount,idempotency_key"]
    lines += [f"{holders[n % 10]},{n + 1},kill-{n}" for n in range(400)]
    job = httpx.post(
        f"{up.base}/merchants/{token}/bulk-issues",
        content="\n".join(lines),
        headers=headers,
        timeout=30,
    ).json()
    progress = f"{up.base}/merchants/{token}/bulk-issues/{job['jobId']}"
    deadline = time.monotonic() + 60
    while (seen := httpx.get(progress, headers=headers, timeout=10).json())["sent"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert seen["issued"] < 400
    assert up.process is not None
    up.process.kill()  # SIGKILL: no clean stop, chunks written ahead and half confirmed
    up.process.wait()
    up.start("--demo")
    deadline = time.monotonic() + 120
    while (done := httpx.get(progress, headers=headers, timeout=10).json())["state"] != "done":
        assert time.monotonic() < deadline, done
        time.sleep(0.2)
    assert (done["issued"], done["failed"]) == (400, 0)
    w3 = Web3(Web3.HTTPProvider(node))
    points = w3.eth.contract(address=Web3.to_checksum_address(token), abi=BALANCE_OF)
    for n, holder in enumerate(holders):
        expected = sum(m + 1 for m in range(400) if m % 10 == n)
        assert points.functions.balanceOf(holder).call() == expected, holder
    assert up.stop() == 0
