"""Fixtures shared by the Python suites (backend, fault, bad input, network): one home.

A real anvil with the demo platform (``chain``, started once per session, automine: a block
per transaction, so tests run fast; only when a test asks for it), the chain reverted after each
test (``clean_chain``), and a backend with a fresh SQLite database (``settings``,
``services``). Nothing here is autouse: ``pytest tests/unit`` starts no chain. Suites may
override a fixture (tests/network's ``settings`` and ``services`` run on its geth network).
The contract suite runs under its own pytest.ini in tests/contracts and does not load this file.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chains import TestChain, start_chain
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import Settings
from tongdui.core.db import migrate
from tongdui.services import Services, build_services


@pytest.fixture(scope="session")
def chain() -> Iterator[TestChain]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-chain-"))
    test_chain = start_chain(folder)
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


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty index database migrated to the head once per session, copied for each test:
    migrating a new SQLite file costs ~0.15 s, copying one under a millisecond, and hundreds
    of tests take ``settings``. (``build_services`` still migrates the copy: a no-op at head.)"""
    path = tmp_path_factory.mktemp("migrated") / "tongdui.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(clean_chain: TestChain, tmp_path: Path, migrated_database: Path) -> Settings:
    """Settings for the test chain with a fresh SQLite database in tmp_path (a copy of the
    migrated empty one)."""
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", clean_chain.deployment)
    shutil.copyfile(migrated_database, data_dir / "tongdui.db")
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
