"""Getting a chain ready: start the embedded anvil, deploy if the chain has no deployment,
seed the demo. Shared by ``tongdui up`` and ``tongdui deploy``."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from .chain.anvil import Anvil
from .chain.client import Platform, connect
from .chain.deploy import GenesisRoles, HtlcDurations, address_of, deploy_platform
from .chain.deployment import Deployment, deployment_path, load_deployment, save_deployment
from .chain.transactions import set_receipt_depth
from .core.config import ANVIL_KEYS, DEMO_AUDITOR_KEY, Settings
from .core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY
from .core.errors import ConfigurationError
from .demo import seed_demo, seed_demo_vouchers


@dataclass
class Chain:
    """A reachable node with the platform deployed; ``anvil`` is set when we started it."""

    w3: Web3
    deployment: Deployment
    anvil: Anvil | None

    def stop(self) -> None:
        if self.anvil is not None:
            self.anvil.stop()


def start_embedded(settings: Settings) -> Anvil:
    anvil = Anvil(settings.data_dir, settings.anvil_port, settings.anvil_block_time)
    anvil.start()
    return anvil


def genesis_roles(settings: Settings) -> tuple[str, GenesisRoles]:
    """Deployer key and roles: anvil's accounts on the embedded chain, else TONGDUI_* settings."""
    if settings.embedded:
        return ANVIL_KEYS[0], GenesisRoles(
            members=[address_of(k) for k in ANVIL_KEYS[1:4]],
            threshold=2,
            platform_payee=address_of(ANVIL_KEYS[9]),
            settlers=[address_of(ANVIL_KEYS[7])],
            relayers=[address_of(k) for k in settings.relayer_private_keys()],
            auditors=[address_of(DEMO_AUDITOR_KEY)],
            providers=[address_of(DEMO_PAYMENT_PROVIDER_KEY)],
        )
    missing = [
        name
        for name, value in (
            ("TONGDUI_DEPLOYER_KEY", settings.deployer_key),
            ("TONGDUI_MEMBERS", settings.members),
            ("TONGDUI_PLATFORM_PAYEE", settings.platform_payee),
            ("TONGDUI_RELAYER_KEYS", settings.relayer_keys),
        )
        if not value
    ]
    if missing:
        raise ConfigurationError(
            f"to deploy on {settings.node_url()} set {', '.join(missing)} (see README: "
            "Deploying to a consortium chain)"
        )
    assert settings.deployer_key is not None and settings.platform_payee is not None
    n, threshold = len(settings.members), settings.threshold
    if threshold > n or (n > 1 and threshold < 2):
        raise ConfigurationError(
            f"TONGDUI_THRESHOLD={threshold} does not fit {n} member(s): with several members "
            "the threshold is at least 2 (no member decides alone) and at most the member count"
        )
    return settings.deployer_key.get_secret_value(), GenesisRoles(
        members=settings.members,
        threshold=threshold,
        platform_payee=settings.platform_payee,
        settlers=settings.settlers,
        relayers=[address_of(k) for k in settings.relayer_private_keys()],
        auditors=settings.auditors,
    )


def ensure_deployed(
    settings: Settings,
    w3: Web3,
    echo: object = print,
    settlement_token: tuple[str, str] = ("Tongdui Settlement CNY", "sCNY"),
) -> Deployment:
    """The chain's deployment, deploying first if the data folder has none for this chain
    (``settlement_token``: sJPY on the cross-chain demo's chain B). Every receipt waited for
    on ``w3`` from here on is believed at the settings' confirmations (a Clique reorg)."""
    set_receipt_depth(w3, settings.confirmations)
    chain_id = w3.eth.chain_id
    if deployment_path(settings.deployments_dir(), chain_id).exists():
        return load_deployment(settings.deployments_dir(), chain_id)
    key, roles = genesis_roles(settings)
    durations = HtlcDurations(
        settings.htlc_min_lock_seconds,
        settings.htlc_max_lock_seconds,
        settings.htlc_safety_margin_seconds,
    )
    deployment = deploy_platform(w3, key, roles, durations, settlement_token)
    path = save_deployment(settings.deployments_dir(), deployment)
    if callable(echo):
        echo(
            f"Deployed the platform to chain {chain_id} (block {deployment.deployment_block});"
            f" wrote {path}"
        )
    return deployment


def prepare_chain(settings: Settings, *, demo: bool, echo: object = print) -> Chain:
    """Starts anvil when embedded, deploys if needed, seeds the demo once when asked."""
    anvil = start_embedded(settings) if settings.embedded else None
    try:
        w3 = connect(settings.node_urls())
        deployment = ensure_deployed(settings, w3, echo)
        platform = Platform(w3, deployment)
        if demo and platform.registry.functions.merchantCount().call() == 0:
            if not settings.embedded:
                raise ConfigurationError("--demo seeds with anvil's keys: embedded chain only")
            tokens = seed_demo(w3, platform, expiry_rules=True)
            listed = seed_demo_vouchers(w3, platform, tokens)  # issue 16
            if callable(echo):
                echo(f"Seeded the demo consortium: {', '.join(tokens)}")
                echo(f"Listed {listed} demo voucher products")
        return Chain(w3, deployment, anvil)
    except BaseException:
        if anvil is not None:
            anvil.stop()
        raise
