"""Fixtures of the backend suite beyond the shared ones of tests/conftest.py: a chain with a
one-second block period, and the audit's chain with a history of a few thousand events.

Both are started once per session and handed to each module as it was built, the module's own
transactions reverted after it: building them took longer than most modules' tests. Tests
that need a block period take ``slow_chain`` (or start their own ``Anvil`` with ``block_time``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chains import TestChain, start_chain

from .audit_fixtures import history_chain


def _reverted_after(chain: TestChain) -> Iterator[TestChain]:
    """``chain`` as it is now, and back to it afterwards (anvil's evm_snapshot)."""
    w3 = chain.w3
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        yield chain
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def shared_slow_chain() -> Iterator[TestChain]:
    """A chain with a one-second block period, as a consortium's proof-of-authority chain:
    deployed and seeded once (8 blocks, ~8 s), not once per module."""
    folder = Path(tempfile.mkdtemp(prefix="tongdui-blocktime-"))
    test_chain = start_chain(folder, block_time=1)
    try:
        yield test_chain
    finally:
        test_chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def slow_chain(shared_slow_chain: TestChain) -> Iterator[TestChain]:
    """The one-second chain as seeded; what a module's tests add is reverted after it."""
    yield from _reverted_after(shared_slow_chain)


@pytest.fixture(scope="session")
def shared_history() -> Iterator[TestChain]:
    """The audit's history chain (audit_fixtures.history_chain: 1 200 swaps and the rare
    events), built once for the session: it takes longer than most modules' tests."""
    yield from history_chain()


@pytest.fixture(scope="module")
def history(shared_history: TestChain) -> Iterator[TestChain]:
    """The history chain as it was built; what a module's tests add to it (attestations,
    votes, a tampered balance) is reverted after the module."""
    yield from _reverted_after(shared_history)
