"""The test chains every Python suite starts: anvil with the demo platform deployed and seeded.

A plain module, not a conftest, so that test files, helpers and benchmarks import these names
(``TestChain``, ``start_chain``, ``free_port``) without importing a conftest; the fixtures built
on them are in tests/conftest.py.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from tongdui.chain.anvil import Anvil
from tongdui.chain.client import Platform, connect
from tongdui.chain.deploy import GenesisRoles, address_of, deploy_platform
from tongdui.chain.deployment import Deployment, save_deployment
from tongdui.core.config import ANVIL_KEYS, DEMO_AUDITOR_KEY
from tongdui.core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY
from tongdui.demo import demo_user_key, seed_demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def genesis_roles() -> GenesisRoles:
    """The embedded chain's roles: members 1–3 (2 of 3), settler 7, relayers 8–9, payee 9,
    the demo auditor 10, the demo payment provider (PROVIDER_ROLE on the VoucherBook)."""
    return GenesisRoles(
        members=[address_of(k) for k in ANVIL_KEYS[1:4]],
        threshold=2,
        platform_payee=address_of(ANVIL_KEYS[9]),
        settlers=[address_of(ANVIL_KEYS[7])],
        relayers=[address_of(ANVIL_KEYS[8]), address_of(ANVIL_KEYS[9])],
        auditors=[address_of(DEMO_AUDITOR_KEY)],
        providers=[address_of(DEMO_PAYMENT_PROVIDER_KEY)],
    )


@dataclass
class TestChain:
    """A running anvil with the platform deployed and the demo consortium seeded."""

    __test__ = False  # a fixture's value, not a test class

    anvil: Anvil
    w3: Web3
    deployment: Deployment
    platform: Platform
    tokens: dict[str, str]  # symbol -> address
    user_keys: list[str]  # demo users' private keys

    @property
    def url(self) -> str:
        return self.anvil.url


def start_chain(folder: Path, block_time: float = 0, persist: bool = True) -> TestChain:
    """anvil with the platform deployed and seeded; ``persist=False`` skips its state dumps."""
    anvil = Anvil(folder, free_port(), block_time, persist=persist)
    anvil.start()
    w3 = connect(anvil.url)
    deployment = deploy_platform(w3, ANVIL_KEYS[0], genesis_roles())
    platform = Platform(w3, deployment)
    tokens = seed_demo(w3, platform)
    save_deployment(folder / "deployments", deployment)
    return TestChain(anvil, w3, deployment, platform, tokens, [demo_user_key(i) for i in range(3)])
