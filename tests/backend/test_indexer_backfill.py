"""Backfilling a history of a few thousand events: killed with SIGKILL in the middle it resumes
with nothing missing or doubled; its speed is measured (and printed, never asserted). And the
follower works on a chain with a block period, as a consortium's PoA chain has."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from tests.backend.indexer_support import (
    assert_database_matches_chain,
    chain_log_keys,
    database_url,
    event_keys,
    postgres_server_url,
    services_for,
    settle,
    signed_orders,
)
from tests.chains import TestChain as SeededChain
from tests.chains import start_chain
from tongdui.chain.deployment import save_deployment
from tongdui.indexer import Indexer
from tongdui.indexer.models import IndexCheckpoint, Swap
from tongdui.services import Services

ORDERS_PER_SIDE = 600  # × 2 users × 3 events (Swapped, burn, mint) ≈ 3 600 events
BATCH = 10  # orders per settle transaction: one block each


@pytest.fixture(scope="module")
def history() -> Iterator[SeededChain]:
    """Its own chain: the demo plus 1 200 swaps in 120 blocks."""
    folder = Path(tempfile.mkdtemp(prefix="tongdui-history-"))
    chain = start_chain(folder)
    try:
        w3, platform, tokens = chain.w3, chain.platform, chain.tokens
        there = signed_orders(
            w3,
            platform,
            chain.user_keys[0],
            tokens["SKYM"],
            tokens["FRESH"],
            [10] * ORDERS_PER_SIDE,
        )
        back = signed_orders(
            w3,
            platform,
            chain.user_keys[2],
            tokens["FRESH"],
            tokens["SKYM"],
            [100] * ORDERS_PER_SIDE,
        )
        settle(w3, platform, there[0] + back[0], there[1] + back[1], batch=BATCH)
        yield chain
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


def addresses(chain: SeededChain) -> list[str]:
    return list(chain.deployment.addresses.values()) + list(chain.tokens.values())


@pytest.fixture
def history_services(history: SeededChain, database_url: str, tmp_path: Path) -> Iterator[Services]:
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", history.deployment)
    built = services_for(database_url, history.url, data_dir)
    try:
        yield built
    finally:
        built.engine.dispose()


def assert_complete(chain: SeededChain, services: Services, block: int) -> None:
    with services.sessions() as session:
        keys = event_keys(session)
        assert len(keys) == len(set(keys))
        assert keys == chain_log_keys(
            chain.w3, addresses(chain), services.deployment.deployment_block, block
        )
        assert_database_matches_chain(session, chain.platform, block)


def test_backfill_of_a_few_thousand_events_is_complete_and_its_speed_is_measured(
    history: SeededChain, history_services: Services, record_property: pytest.RecordProperty
) -> None:
    started = time.perf_counter()
    indexed = Indexer(history_services).backfill(progress=False)
    seconds = time.perf_counter() - started
    rate = indexed / seconds
    dialect = history_services.engine.dialect.name
    record_property(f"indexer_backfill_events_per_second_{dialect}", round(rate))
    print(f"\nindexer backfill ({dialect}): {indexed} events in {seconds:.2f} s = {rate:.0f}/s")
    assert indexed > 3 * 2 * ORDERS_PER_SIDE
    with history_services.sessions() as session:
        assert len(session.scalars(select(Swap.order_hash)).all()) == 2 * ORDERS_PER_SIDE
    assert_complete(history, history_services, history.w3.eth.block_number)


def test_a_backfill_killed_with_sigkill_resumes_with_nothing_missing_or_doubled(
    history: SeededChain, history_services: Services, tmp_path: Path
) -> None:
    head = history.w3.eth.block_number
    start = history.deployment.deployment_block
    env = {
        **os.environ,
        "TONGDUI_RPC_URL": history.url,
        "TONGDUI_DATA_DIR": str(history_services.settings.data_dir),
        "TONGDUI_DB_URL": history_services.settings.database_url(),
        "TONGDUI_LOG_CHUNK_SIZE": "1",  # one commit per block: many moments to be killed in
    }
    script = (
        "from tongdui.core.config import Settings\n"
        "from tongdui.indexer import Indexer\n"
        "from tongdui.services import build_services\n"
        "Indexer(build_services(Settings())).backfill(progress=False)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], env=env)
    engine = create_engine(history_services.settings.database_url())
    killed_at = None
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            with engine.connect() as connection:
                try:
                    row = connection.execute(select(IndexCheckpoint.block_number)).first()
                except Exception:  # tables not migrated yet
                    row = None
            if row is not None and row[0] >= start + (head - start) // 3:
                os.kill(process.pid, signal.SIGKILL)
                killed_at = row[0]
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        engine.dispose()
    assert killed_at is not None and killed_at < head, "the backfill ended before the kill"
    assert process.returncode == -signal.SIGKILL

    Indexer(history_services).run_once()
    assert_complete(history, history_services, head)


def test_the_follower_keeps_up_with_a_chain_that_has_a_block_period(
    slow_chain: SeededChain, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", slow_chain.deployment)
    services = services_for(database_url, slow_chain.url, data_dir)
    stop = threading.Event()
    follower = threading.Thread(target=Indexer(services).run, args=(stop,))
    follower.start()
    try:
        orders, signatures, hashes = signed_orders(
            slow_chain.w3,
            slow_chain.platform,
            slow_chain.user_keys[0],
            slow_chain.tokens["SKYM"],
            slow_chain.tokens["BEAN"],
            [100, 200, 300],
        )
        settle(slow_chain.w3, slow_chain.platform, orders, signatures, batch=1)
        deadline = time.monotonic() + 60
        found: set[str] = set()
        while time.monotonic() < deadline and not set(hashes) <= found:
            with services.sessions() as session:
                found = set(session.scalars(select(Swap.order_hash)))
            time.sleep(0.2)
        assert set(hashes) <= found  # the chain is shared by both database kinds
    finally:
        stop.set()
        follower.join(timeout=30)
    assert not follower.is_alive()
    with services.sessions() as session:
        checkpoint = session.get(IndexCheckpoint, 1)
        assert checkpoint is not None
        block = checkpoint.block_number
    assert_complete(slow_chain, services, block)
    services.engine.dispose()


def test_chunks_shrink_where_blocks_are_dense_and_grow_where_they_are_sparse() -> None:
    from tongdui.core.chunks import CHUNK_EVENTS, next_chunk_size

    assert next_chunk_size(2_000, 30 * CHUNK_EVENTS, 2_000) == 66  # 1M swaps: 300 events/block
    assert next_chunk_size(66, CHUNK_EVENTS - 1, 2_000) == 66  # about right: kept
    assert next_chunk_size(66, 100, 2_000) == 132  # sparse: doubled
    assert next_chunk_size(1_500, 10, 2_000) == 2_000  # never above the configured size
    assert next_chunk_size(1, 10**7, 2_000) == 1  # never below one block
