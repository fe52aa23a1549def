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

from tests.chains import free_port
from tongdui.chain.anvil import port_is_free
from tongdui.client import TongduiClient
from tongdui.demo import demo_user_key

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
