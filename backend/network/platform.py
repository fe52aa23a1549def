"""The platform on the network: the backend's settings for it, its deployment and demo data.

Defaults for Clique, so nobody tunes them by hand: blocks come every ``period`` seconds from
several sealers, and an out-of-turn block can lose to the in-turn one, so the head moves back
by a block now and then. The indexer stays ``CLIQUE_CONFIRMATIONS`` blocks behind the head (its
reorg window still re-checks recent hashes below that); receipts are waited for by polling
(nothing assumes instant mining or anvil's RPC methods). Any ``TONGDUI_*`` variable that is set
still wins over these defaults.

Governance: the founding members are the genesis sealers (a member's governance address is
its sealer account), the threshold a majority of them, as Clique's own votes need.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from web3 import Web3

from ..bootstrap import ensure_deployed
from ..chain.client import Platform, connect
from ..chain.deploy import address_of
from ..chain.deployment import Deployment
from ..core.config import Settings
from ..core.dev_keys import ANVIL_KEYS
from ..demo import seed_demo
from .manager import Network

CLIQUE_CONFIRMATIONS = 2


def majority(count: int) -> int:
    return count // 2 + 1


def network_settings(network: Network, data_dir: Path, node: int = 0, **overrides: Any) -> Settings:
    """Settings for a backend that talks to node ``node`` (other members' nodes follow as
    fallback once the backend takes several URLs) with the network's development roles."""
    info = network.info()
    founders = [n.sealer for n in network.founders() if n.sealer is not None]
    # Several URLs only once the backend parses them (Settings.node_urls, branch failover).
    rpc_url = info.rpc_urls(node) if hasattr(Settings, "node_urls") else info.nodes[node].rpc_url
    values: dict[str, Any] = {
        "deployer_key": SecretStr(ANVIL_KEYS[0]),
        "members": founders,
        "threshold": majority(len(founders)),
        "platform_payee": address_of(ANVIL_KEYS[9]),
        "settlers": [address_of(ANVIL_KEYS[7])],
        "relayer_keys": [SecretStr(ANVIL_KEYS[8]), SecretStr(ANVIL_KEYS[9])],
        "merchant_keys": [SecretStr(k) for k in ANVIL_KEYS[4:7]],
        "member_keys": [SecretStr(network.sealer_key(n.index)) for n in network.founders()],
        "confirmations": CLIQUE_CONFIRMATIONS,
    }
    values = {k: v for k, v in values.items() if f"TONGDUI_{k.upper()}" not in os.environ}
    return Settings(data_dir=data_dir, rpc_url=rpc_url, **{**values, **overrides})


@dataclass
class NetworkPlatform:
    """The platform deployed on the network, as the test suites and ``tongdui up`` use it."""

    w3: Web3
    deployment: Deployment
    platform: Platform
    tokens: dict[str, str]  # symbol -> points token (empty without the demo)


def deploy_platform_on(
    network: Network, settings: Settings, *, demo: bool, echo: object = None
) -> NetworkPlatform:
    """Deploys (once per chain: the deployment file decides), seeds the demo consortium once
    with the founding members' votes, and starts the sealer agents."""
    w3 = connect(settings.node_url().split(",")[0])
    deployment = ensure_deployed(settings, w3, echo if callable(echo) else None)
    platform = Platform(w3, deployment)
    tokens: dict[str, str] = {}
    if demo and platform.registry.functions.merchantCount().call() == 0:
        keys = [network.sealer_key(n.index) for n in network.founders()]
        tokens = seed_demo(w3, platform, keys, expiry_rules=True)
        if callable(echo):
            echo(f"Seeded the demo consortium: {', '.join(tokens)}")
    else:
        for view in platform.merchants():
            symbol = platform.points_token(view["token"]).functions.symbol().call()
            tokens[symbol] = view["token"]
    network.start_agents(deployment.address("ConsortiumGovernance"))
    return NetworkPlatform(w3, deployment, platform, tokens)
