"""Fixtures of the network suite: a real geth Clique network (4 sealers, 2 auditors' nodes,
1 s blocks) on free loopback ports in a temp folder, with the platform deployed and the demo
consortium seeded by the founding members' votes.

Both are session-scoped (starting six geth nodes and deploying takes ~20 s) and always torn
down. There is no snapshot/revert on a real chain: tests share its state, so each one uses
fresh nonces and fresh addresses and asserts on differences, not on absolute balances.

Reusable by other test files of this folder (fault tests included):
- ``network``: the running ``tongdui.network.Network``; ``network_chain``: that network with
  the platform (``NetworkChain``: the same fields as the backend suite's ``TestChain``, so
  its helpers — ``relayer_helpers``, ``api_support`` — work unchanged);
- ``network_settings_for(chain, folder, node=0)`` / ``settings`` / ``services``: a backend
  on member ``node``'s node with its own SQLite database.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from tongdui.chain.client import Platform
from tongdui.chain.deployment import Deployment, save_deployment
from tongdui.core.config import Settings
from tongdui.demo import demo_user_key
from tongdui.network import Network, NetworkInfo
from tongdui.network.platform import deploy_platform_on, network_settings
from tongdui.services import Services, build_services

MEMBERS = 4
AUDITORS = 2


@dataclass
class NetworkChain:
    """The network with the platform deployed; duck-types ``tests.chains.TestChain``."""

    __test__ = False

    network: Network
    info: NetworkInfo
    folder: Path  # the platform's data folder (deployment file)
    w3: Web3  # on member 0's node
    deployment: Deployment
    platform: Platform
    tokens: dict[str, str]
    user_keys: list[str]

    @property
    def url(self) -> str:
        return self.info.nodes[0].rpc_url

    def member_keys(self) -> list[str]:
        """The founding members' governance keys (their sealer accounts)."""
        return [self.network.sealer_key(n.index) for n in self.network.founders()]


def network_settings_for(
    chain: NetworkChain, folder: Path, node: int = 0, **extra: Any
) -> Settings:
    """Backend settings on node ``node`` with a fresh database in ``folder``."""
    save_deployment(folder / "deployments", chain.deployment)
    values: dict[str, Any] = {"batch_max_wait": 0.05, "poll_interval": 0.1, **extra}
    return network_settings(chain.network, folder, node=node, **values)


@pytest.fixture(scope="session")
def network() -> Iterator[Network]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-network-"))
    running = Network(folder / "network")
    try:
        running.up(members=MEMBERS, auditors=AUDITORS, period=1)
        yield running
    finally:
        running.down(purge=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def network_chain(network: Network) -> NetworkChain:
    folder = network.data_dir.parent  # as `tongdui up --network --data-dir <folder>` has it
    settings = network_settings(network, folder)
    deployed = deploy_platform_on(network, settings, demo=True)
    return NetworkChain(
        network,
        network.info(),
        folder,
        deployed.w3,
        deployed.deployment,
        deployed.platform,
        deployed.tokens,
        [demo_user_key(i) for i in range(3)],
    )


@pytest.fixture
def settings(network_chain: NetworkChain, tmp_path: Path) -> Settings:
    return network_settings_for(network_chain, tmp_path / "data")


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    try:
        yield built
    finally:
        built.engine.dispose()
