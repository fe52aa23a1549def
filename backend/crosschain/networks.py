"""The two-chain demo on two ``tongdui network`` geth Clique networks
(``tongdui up --network --demo --cross-chain --chain-b DIR``).

Chain A is the network the instance runs on; chain B is a second network made beside it with
``tongdui network up --data-dir DIR`` (its own folder, chain id and ports). On the first start
this deploys the platform on B with sJPY as its settlement token (the founders of B are its
sealers, who admit Sakura Rail Points by their own vote), gives the bridge member its SAKU
inventory and a little ether on both (the deployer account is funded in both geneses), and
writes ``crosschain.json`` in A's data folder; later starts reuse it. Each leg waits for its
own network's confirmations (``TONGDUI_CONFIRMATIONS``, 2 on Clique) and block period, which
is what the margin rule is computed from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from ..bootstrap import ensure_deployed
from ..chain.client import connect
from ..chain.deployment import Deployment
from ..core.config import Settings
from ..core.error_codes import ErrorCode
from ..core.errors import ConfigurationError, TongduiError
from ..network.manager import Network
from ..network.platform import network_settings
from .demo import set_up_bridge
from .wiring import CONFIG_FILE, CrossChainConfig

SETTLEMENT_B = ("Tongdui Settlement JPY", "sJPY")


@dataclass
class NetworkB:
    """Chain B as the coordinator reaches it: the network, its backend settings, its platform."""

    network: Network
    settings: Settings
    w3: Web3
    deployment: Deployment


def open_network_b(folder: Path, echo: Callable[[str], None] = print) -> NetworkB:
    """Starts network B (``<folder>/network``) if it is stopped, deploys the platform on it
    once (sJPY) and starts its sealer agents."""
    network = Network(folder / "network")
    if not network.exists():
        raise TongduiError(
            f"no network in {network.data_dir}: create chain B with `tongdui network up "
            f"--data-dir {folder}` first",
            code=ErrorCode.NETWORK_NOT_FOUND,
        )
    network.start()
    settings = network_settings(network, folder)
    w3 = connect(settings.node_url().split(",")[0])
    deployment = ensure_deployed(settings, w3, echo, settlement_token=SETTLEMENT_B)
    network.start_agents(deployment.address("ConsortiumGovernance"))
    return NetworkB(network, settings, w3, deployment)


def prepare_on_networks(
    settings_a: Settings,
    network_a: Network,
    w3_a: Web3,
    deployment_a: Deployment,
    folder_b: Path,
    echo: Callable[[str], None] = print,
) -> tuple[NetworkB, CrossChainConfig]:
    """Network B ready and the cross-chain config: read from A's data folder if it is there
    (and names network B's chain), else set up once and written."""
    chain_b = open_network_b(folder_b, echo)
    path = settings_a.data_dir / CONFIG_FILE
    if path.exists():
        config = CrossChainConfig.load(settings_a.data_dir)
        if config.chain_b.chain_id != chain_b.deployment.chain_id:
            raise ConfigurationError(
                f"{path} names chain B {config.chain_b.chain_id}, but the network in "
                f"{folder_b} is chain {chain_b.deployment.chain_id}: pass the chain B it was "
                f"set up with, or delete {path} to set up the bridge again"
            )
        return chain_b, config
    if settings_a.deployer_key is None:
        raise ConfigurationError("set TONGDUI_DEPLOYER_KEY: it funds the bridge member")
    info_a, info_b = network_a.info(), chain_b.network.info()
    config = set_up_bridge(
        w3_a,
        deployment_a,
        chain_b.w3,
        chain_b.deployment,
        settings_a.deployer_key.get_secret_value(),
        info_a.period,
        settings_a.confirmations,
        member_keys_b=[chain_b.network.sealer_key(n.index) for n in chain_b.network.founders()],
    )
    config.chain_b.block_period = info_b.period
    config.chain_b.confirmations = chain_b.settings.confirmations
    config.chain_b.rpc = info_b.rpc_urls(0).split(",")
    config.chain_b.deployments_dir = str(chain_b.settings.deployments_dir())
    config.save(settings_a.data_dir)
    echo(
        f"Cross-chain: chain B {config.chain_b.rpc[0]} (chain id {config.chain_b.chain_id}, "
        f"network {chain_b.network.data_dir}); HTLC A {config.chain_a.htlc}, HTLC B "
        f"{config.chain_b.htlc}; wrote {path}"
    )
    return chain_b, config
