"""The two-chain demo (``tongdui up --demo --cross-chain``).

Chain A is the instance's own chain (the Chinese consortium, settling in sCNY). Chain B is a
second embedded anvil with its own chain id and port (the Japanese consortium, settling in
sJPY) and its own platform deployment, seeded with one merchant (Sakura Rail Points). Each
chain's ``HashedTimelock`` is the one deployed with its platform (``TONGDUI_HTLC_*``; the
coordinator refuses a safety margin below its margin rule, see ``margin``). The
bridge member (one derived demo key, the same account on both chains) holds SAKU inventory on
B and quotes SKYM → SAKU.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from eth_account import Account
from web3 import Web3

from ..chain.anvil import Anvil
from ..chain.client import Platform, connect
from ..chain.deploy import HtlcDurations, deploy_platform
from ..chain.deployment import Deployment, load_deployment, save_deployment
from ..chain.transactions import Signer, wait_for
from ..core.config import ANVIL_KEYS, Settings
from ..demo import MEMBER_KEYS, seed_demo
from ..demo_data import DemoMerchant
from .wiring import (
    CONFIG_FILE,
    CrossChainConfig,
    LegConfig,
    demo_bridge_key,
    demo_relayer_key,
)

CHAIN_B_ID = 31_338
SAKURA = DemoMerchant("Sakura Rail Points", "SAKU", 200, 100_000_000, 1_000_000, ANVIL_KEYS[4])
BRIDGE_INVENTORY_B = 5_000_000  # SAKU the bridge member holds on B
MIN_LOCK, MAX_LOCK = 60, 7 * 24 * 3600
CONFIRMATIONS = 2  # both demo chains: a lock is believed two blocks deep


def chain_b_port(settings: Settings) -> int:
    return int(os.environ.get("TONGDUI_CHAIN_B_PORT", settings.anvil_port + 1))


def start_chain_b(settings: Settings) -> Anvil:
    anvil = Anvil(
        settings.data_dir / "chain-b",
        chain_b_port(settings),
        settings.anvil_block_time,
        chain_id=CHAIN_B_ID,
    )
    anvil.start()
    return anvil


def prepare_cross_chain(
    settings: Settings, w3_a: Web3, deployment_a: Deployment, echo: Callable[[str], None] = print
) -> tuple[Anvil, CrossChainConfig]:
    """Starts chain B; on the first start deploys and seeds it, deploys both HTLCs and
    writes ``crosschain.json``. Later starts reuse all of it (anvil keeps its state)."""
    anvil = start_chain_b(settings)
    try:
        path = settings.data_dir / CONFIG_FILE
        if path.exists():
            return anvil, CrossChainConfig.load(settings.data_dir)
        config = _set_up(settings, w3_a, deployment_a, anvil)
        config.save(settings.data_dir)
        echo(
            f"Cross-chain demo: chain B {anvil.url} (chain id {CHAIN_B_ID}); HTLC A "
            f"{config.chain_a.htlc}, HTLC B {config.chain_b.htlc}; wrote {path}"
        )
        return anvil, config
    except BaseException:
        anvil.stop()
        raise


def _set_up(
    settings: Settings, w3_a: Web3, deployment_a: Deployment, anvil: Anvil
) -> CrossChainConfig:
    from ..bootstrap import genesis_roles

    w3_b = connect(anvil.url)
    folder_b = settings.data_dir / "chain-b" / "deployments"
    key, roles = genesis_roles(settings)
    try:
        deployment_b = load_deployment(folder_b, CHAIN_B_ID)
    except Exception:
        durations = HtlcDurations(
            settings.htlc_min_lock_seconds,
            settings.htlc_max_lock_seconds,
            settings.htlc_safety_margin_seconds,
        )
        deployment_b = deploy_platform(
            w3_b, key, roles, durations, settlement_token=("Tongdui Settlement JPY", "sJPY")
        )
        save_deployment(folder_b, deployment_b)
    config = set_up_bridge(
        w3_a,
        deployment_a,
        w3_b,
        deployment_b,
        key,
        max(settings.anvil_block_time, 1.0),
        CONFIRMATIONS,
    )
    config.chain_b.rpc, config.chain_b.deployments_dir = [anvil.url], str(folder_b)
    return config


def set_up_bridge(
    w3_a: Web3,
    deployment_a: Deployment,
    w3_b: Web3,
    deployment_b: Deployment,
    deployer_key: str,
    block_period: float,
    confirmations: int,
    inventory_b: int = BRIDGE_INVENTORY_B,
    member_keys_b: Sequence[str] = MEMBER_KEYS,
) -> CrossChainConfig:
    """Seeds B's merchant (once, by the vote of ``member_keys_b``: anvil's members, or network
    B's sealers), gives the bridge member its inventory on B and a little ether on both; the
    config to save (each chain's HTLC is the one deployed with its platform)."""
    platform_a, platform_b = Platform(w3_a, deployment_a), Platform(w3_b, deployment_b)
    if platform_b.registry.functions.merchantCount().call() == 0:
        seed_demo(w3_b, platform_b, member_keys_b, merchants=(SAKURA,), holdings=())
    token_b = _token(platform_b, "SAKU")
    token_a = _token(platform_a, "SKYM")
    bridge = Account.from_key(demo_bridge_key()).address
    admin = Signer(w3_b, SAKURA.admin_key)
    issue = platform_b.points_token(token_b).functions.issue(bridge, inventory_b)
    wait_for(w3_b, [admin.transact(issue, gas=150_000)])
    relayer = Account.from_key(demo_relayer_key()).address
    for w3 in (w3_a, w3_b):  # gas is free on both chains; a little ether for other nodes
        signer = Signer(w3, deployer_key)
        hashes = []
        for who in (bridge, relayer):
            raw, tx_hash, _ = signer.sign({"to": who, "value": 10**18, "gas": 21_000})
            w3.eth.send_raw_transaction(raw)
            hashes.append(tx_hash)
        wait_for(w3, hashes)
    config = CrossChainConfig(
        chain_a=LegConfig(
            deployment_a.chain_id,
            deployment_a.address("HashedTimelock"),
            deployment_a.deployment_block,
            confirmations,
            block_period,
        ),
        chain_b=LegConfig(
            deployment_b.chain_id,
            deployment_b.address("HashedTimelock"),
            deployment_b.deployment_block,
            confirmations,
            block_period,
        ),
        token_a=token_a,
        token_b=token_b,
    )
    return config


def _token(platform: Platform, symbol: str) -> str:
    for view in platform.merchants():
        if platform.points_token(view["token"]).functions.symbol().call() == symbol:
            return str(view["token"])
    raise LookupError(f"no {symbol} merchant on chain {platform.deployment.chain_id}")
