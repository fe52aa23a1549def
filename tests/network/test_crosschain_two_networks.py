"""A cross-chain swap across two `tongdui network` geth Clique networks (3 sealers each, 1 s
blocks, their own folders, chain ids and free ports), set up by the same code as
``tongdui up --network --demo --cross-chain --chain-b DIR`` and driven through the API:
quote, the user's signed Lock and permit, locked on A, locked on B, the user's secret (claim on
B), the bridge member's claim on A. Each leg waits for its network's 2 Clique confirmations."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web3 import Web3

from tests.crosschain_support import BRIDGE, SKYM_ADMIN, signed_start
from tongdui.api.app import create_app
from tongdui.chain.artifacts import abi
from tongdui.chain.transactions import Signer, wait_for
from tongdui.cli import app as cli
from tongdui.core.error_codes import ErrorCode
from tongdui.core.errors import TongduiError
from tongdui.crosschain.networks import NetworkB, open_network_b, prepare_on_networks
from tongdui.crosschain.wiring import CrossChainConfig, build, demo_bridge_key, demo_relayer_key
from tongdui.demo import seed_demo
from tongdui.demo_data import DEMO_MERCHANTS
from tongdui.network import Network
from tongdui.network.platform import CLIQUE_CONFIRMATIONS, deploy_platform_on, network_settings
from tongdui.services import build_services

AMOUNT = 1_000  # SKYM → 995 SAKU (20 JPY per CNY, less the 0.5 % spread)
USER_KEY = "0x" + Web3.keccak(text="tongdui two-network swap user").hex().removeprefix("0x")
USER = Account.from_key(USER_KEY).address
# Three, not two: with two Clique signers that both sealed block 1 (in turn and out of turn)
# geth 1.13 can stall at head 1 for good ("signed recently, must wait for others"), seen here.
SEALERS = 3
BOUND = 90.0  # s: a wait that never ends is a failure, not a hang


@dataclass
class TwoNetworks:
    a: Network
    w3_a: Web3
    b: NetworkB
    config: CrossChainConfig
    client: TestClient

    def balances(self) -> dict[str, int]:
        """The swapped tokens of the user, the bridge member and each HTLC, per chain."""
        out: dict[str, int] = {}
        sides = ((self.w3_a, "A", self.config.token_a, self.config.chain_a.htlc),
                 (self.b.w3, "B", self.config.token_b, self.config.chain_b.htlc))  # fmt: skip
        for w3, side, token, htlc in sides:
            contract = w3.eth.contract(
                address=Web3.to_checksum_address(token), abi=abi("PointsToken")
            )
            for name, who in (("user", USER), ("bridge", BRIDGE), ("htlc", htlc)):
                out[f"{side}:{name}"] = int(contract.functions.balanceOf(who).call())
        return out


class ApiQuotes:
    """What ``signed_start`` asks of the bridge, answered by the API."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def quote(self, user: str, amount: int) -> dict[str, Any]:
        answer = self.client.post("/crosschain/quotes", json={"user": user, "amountIn": amount})
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


@pytest.fixture(scope="module")
def networks() -> Iterator[TwoNetworks]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-xc-networks-"))
    a, b = Network(folder / "a" / "network"), Network(folder / "b" / "network")
    stop = threading.Event()
    coordinator_thread: threading.Thread | None = None
    try:
        a.up(members=SEALERS, auditors=0, period=1)
        b.up(members=SEALERS, auditors=0, period=1)
        settings = network_settings(a, folder / "a", batch_max_wait=0.05, poll_interval=0.2)
        deployed = deploy_platform_on(a, settings, demo=False)
        founders = [a.sealer_key(n.index) for n in a.founders()]
        seed_demo(deployed.w3, deployed.platform, founders, DEMO_MERCHANTS[:1], holdings=())
        chain_b, config = prepare_on_networks(
            settings, a, deployed.w3, deployed.deployment, folder / "b", echo=lambda _: None
        )
        services = build_services(settings)
        crosschain, coordinator = build(
            config,
            services.w3,
            services.platform,
            services.sessions,
            demo_bridge_key(),
            0.2,
            relayers=[demo_relayer_key()],
        )
        skym = deployed.w3.eth.contract(
            address=Web3.to_checksum_address(config.token_a), abi=abi("PointsToken")
        )
        admin = Signer(deployed.w3, SKYM_ADMIN)
        wait_for(deployed.w3, [admin.transact(skym.functions.issue(USER, 10_000), gas=150_000)])
        app = create_app(services)
        app.state.crosschain = crosschain
        coordinator_thread = threading.Thread(target=coordinator.run, args=(stop,), daemon=True)
        coordinator_thread.start()
        with TestClient(app) as client:
            yield TwoNetworks(a, deployed.w3, chain_b, config, client)
        services.engine.dispose()
    finally:
        stop.set()
        if coordinator_thread is not None:
            coordinator_thread.join(timeout=10)
        b.down(purge=True)
        a.down(purge=True)
        shutil.rmtree(folder, ignore_errors=True)


def _until(client: TestClient, swap_id: int, state: str, seen: list[str]) -> dict[str, Any]:
    """Polls the swap's status until ``state``; every state seen on the way is kept."""
    deadline = time.monotonic() + BOUND
    while True:
        status: dict[str, Any] = client.get(f"/crosschain/swaps/{swap_id}").json()
        if not seen or seen[-1] != status["state"]:
            seen.append(status["state"])
        if status["state"] == state:
            return status
        assert status["state"] not in ("failed", "refunded_a", "refunded_b"), status
        assert time.monotonic() < deadline, f"the swap stayed {status['state']}: {status}"
        time.sleep(0.3)


def test_the_two_networks_are_separate_chains_with_their_own_settlement_tokens(
    networks: TwoNetworks,
) -> None:
    chain_a, chain_b = networks.config.chain_a, networks.config.chain_b
    assert chain_a.chain_id == networks.a.info().chain_id != chain_b.chain_id
    assert chain_b.chain_id == networks.b.network.info().chain_id
    assert chain_a.confirmations == chain_b.confirmations == CLIQUE_CONFIRMATIONS
    assert chain_a.block_period == chain_b.block_period == 1
    bridge = networks.client.get("/crosschain/bridge").json()
    assert (bridge["chainA"], bridge["chainB"]) == (chain_a.chain_id, chain_b.chain_id)
    assert (bridge["symbolA"], bridge["symbolB"]) == ("SKYM", "SAKU")
    assert bridge["inventoryB"] > 0  # the bridge member's SAKU, issued on network B
    settlement_b = networks.b.deployment.address("SettlementToken")
    token = networks.b.w3.eth.contract(address=settlement_b, abi=abi("SettlementToken"))
    assert token.functions.symbol().call() == "sJPY"


def test_a_swap_across_two_geth_networks_completes_through_the_api_and_conserves_points(
    networks: TwoNetworks,
) -> None:
    client = networks.client
    before = networks.balances()
    started = time.monotonic()
    body, secret, _ = signed_start(ApiQuotes(client), USER_KEY, AMOUNT)  # type: ignore[arg-type]
    answer = client.post("/crosschain/swaps", json=body)
    assert answer.status_code == 202, answer.text
    swap_id = int(answer.json()["id"])
    seen: list[str] = []
    _until(client, swap_id, "locked_b", seen)
    revealed = client.post(f"/crosschain/swaps/{swap_id}/claim", json={"secret": secret})
    assert revealed.status_code == 200, revealed.text
    status = _until(client, swap_id, "claimed_a", seen)
    print(f"\nswap across two geth networks: {time.monotonic() - started:.1f} s, states {seen}")

    after = networks.balances()
    out = status["legs"]["B"]["amount"]
    assert out == 995
    assert status["outcome"] == "completed"
    assert "locked_a" in seen and seen.index("locked_a") < seen.index("locked_b")
    assert after["A:user"] == before["A:user"] - AMOUNT
    assert after["A:bridge"] == before["A:bridge"] + AMOUNT
    assert after["B:user"] == before["B:user"] + out
    assert after["B:bridge"] == before["B:bridge"] - out
    assert after["A:htlc"] == before["A:htlc"] and after["B:htlc"] == before["B:htlc"]
    for side in ("A", "B"):  # nothing made or lost on either chain
        assert sum(v for k, v in after.items() if k.startswith(side)) == sum(
            v for k, v in before.items() if k.startswith(side)
        )


def test_cross_chain_on_the_network_without_a_chain_b_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["up", "--network", "--demo", "--cross-chain", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "--chain-b DIR" in result.output and "tongdui network up --data-dir" in result.output


def test_a_chain_b_folder_without_a_network_is_refused_with_the_command_that_makes_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(TongduiError) as refused:
        open_network_b(tmp_path / "b")
    assert refused.value.code == ErrorCode.NETWORK_NOT_FOUND
    assert f"tongdui network up --data-dir {tmp_path / 'b'}" in refused.value.message
