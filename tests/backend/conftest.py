"""Fixtures of the backend suite: a real anvil with the demo platform, and fresh databases.

The chain is started once per session (automine: a block per transaction, so tests run fast);
tests that need a block period start their own ``Anvil`` with ``block_time``. Each test that
takes ``services`` gets a new SQLite file and the chain reverted to the seeded state.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from tongdui.chain.anvil import Anvil
from tongdui.chain.client import Platform, connect
from tongdui.chain.deploy import GenesisRoles, address_of, deploy_platform
from tongdui.chain.deployment import Deployment, save_deployment
from tongdui.core.config import ANVIL_KEYS, DEMO_AUDITOR_KEY, Settings
from tongdui.demo import demo_user_key, seed_demo
from tongdui.services import Services, build_services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def genesis_roles() -> GenesisRoles:
    """The embedded chain's roles: members 1–3 (2 of 3), settler 7, relayers 8–9, payee 9,
    the demo auditor 10."""
    return GenesisRoles(
        members=[address_of(k) for k in ANVIL_KEYS[1:4]],
        threshold=2,
        platform_payee=address_of(ANVIL_KEYS[9]),
        settlers=[address_of(ANVIL_KEYS[7])],
        relayers=[address_of(ANVIL_KEYS[8]), address_of(ANVIL_KEYS[9])],
        auditors=[address_of(DEMO_AUDITOR_KEY)],
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


@pytest.fixture(scope="session")
def chain() -> Iterator[TestChain]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-chain-"))
    test_chain = start_chain(folder)
    try:
        yield test_chain
    finally:
        test_chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def slow_chain() -> Iterator[TestChain]:
    """A chain with a one-second block period, as a consortium's proof-of-authority chain."""
    folder = Path(tempfile.mkdtemp(prefix="tongdui-blocktime-"))
    test_chain = start_chain(folder, block_time=1)
    try:
        yield test_chain
    finally:
        test_chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clean_chain(chain: TestChain) -> Iterator[TestChain]:
    """The seeded chain, reverted after the test (anvil's evm_snapshot: tests only)."""
    snapshot = chain.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        yield chain
    finally:
        chain.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture
def settings(clean_chain: TestChain, tmp_path: Path) -> Settings:
    """Settings for the test chain with a fresh SQLite database in tmp_path."""
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", clean_chain.deployment)
    return Settings(
        data_dir=data_dir, rpc_url=clean_chain.url, batch_max_wait=0.05, poll_interval=0.05
    )


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    try:
        yield built
    finally:
        built.engine.dispose()


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "postgres: needs the PostgreSQL server of scripts/postgres.sh"
    )
