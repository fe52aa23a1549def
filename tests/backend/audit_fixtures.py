"""A chain with a history of a few thousand events, built once per session for the audit tests
(tests/backend/conftest.py: `shared_history`, reverted after each module as `history`)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.chains import TestChain, start_chain
from tongdui.audit.fetch import Contracts

from .audit_helpers import rare_events, settle_many

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
