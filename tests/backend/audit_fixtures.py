"""A chain with a history of a few thousand events, shared by the audit tests of a module."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tongdui.audit.fetch import Contracts

from .audit_helpers import rare_events, settle_many
from .conftest import TestChain, start_chain

SWAPS = 1_200


def history_chain() -> Iterator[TestChain]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-audit-"))
    chain = start_chain(folder)
    try:
        settle_many(chain, SWAPS, batch=80)
        rare_events(chain)
        yield chain
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


def contracts_of(chain: TestChain) -> Contracts:
    return Contracts.from_names(chain.deployment.addresses)
