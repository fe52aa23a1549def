"""The indexer under faults: SIGKILLed again and again during a large backfill it ends with
every event exactly once and the same rows as a clean re-index; through random reorgs (anvil
evm_snapshot/evm_revert, then a different branch) it converges to the chain each time."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from benchmarks.history import add_swaps, bench_chain
from tests.backend.indexer_support import (
    DERIVED_TABLES,
    assert_database_matches_chain,
    chain_log_keys,
    event_keys,
    settle,
    signed_orders,
)
from tests.chains import TestChain
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import Settings
from tongdui.indexer import Indexer
from tongdui.services import Services, build_services

from .conftest import FULL

KILLS = 20 if FULL else 5
SWAPS = 30_000 if FULL else 3_000


def _rows(services: Services, table: str) -> list[tuple[object, ...]]:
    with services.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(text(f"SELECT * FROM {table}")))


def _checkpoint(database: Path) -> int:
    """The block the killed indexer has committed (-1 before its first chunk)."""
    if not database.exists():
        return -1
    with sqlite3.connect(database, timeout=30) as conn:
        try:
            row = conn.execute("SELECT block_number FROM index_checkpoint").fetchone()
        except sqlite3.OperationalError:  # tables not migrated yet
            return -1
    return int(row[0]) if row else -1


def test_an_indexer_killed_many_times_mid_backfill_ends_exact_and_equal_to_a_clean_index(
    tmp_path: Path,
) -> None:
    with bench_chain(10) as bench:
        add_swaps(bench, SWAPS, batch=10)  # many blocks, so a backfill has many chunks
        killed_dir, clean_dir = tmp_path / "killed", tmp_path / "clean"
        for folder in (killed_dir, clean_dir):
            save_deployment(folder / "deployments", bench.chain.deployment)
        script = (
            "import sys\n"
            "from tongdui.core.config import Settings\n"
            "from tongdui.indexer import Indexer\n"
            "from tongdui.services import build_services\n"
            f"s = Settings(data_dir={str(killed_dir)!r}, rpc_url={bench.url!r}, log_chunk_size=3)\n"
            "Indexer(build_services(s), progress=False).backfill(progress=False)\n"
        )
        rng = random.Random(20)
        kills = 0
        database = killed_dir / "tongdui.db"
        for _ in range(KILLS):
            before = _checkpoint(database)
            process = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ))
            # Kill once this run has committed a chunk, at a random moment of the next ones.
            deadline = time.monotonic() + 60
            while _checkpoint(database) <= before and process.poll() is None:
                assert time.monotonic() < deadline, "the indexer made no progress"
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.3))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
            assert process.wait() in (0, -signal.SIGKILL)
        killed = build_services(Settings(data_dir=killed_dir, rpc_url=bench.url))
        Indexer(killed, progress=False).backfill(progress=False)
        clean = build_services(Settings(data_dir=clean_dir, rpc_url=bench.url))
        Indexer(clean, progress=False).backfill(progress=False)
        head = bench.chain.w3.eth.block_number
        addresses = [*bench.chain.deployment.addresses.values(), *bench.chain.tokens.values()]
        with killed.sessions() as session:
            keys = event_keys(session)
            assert keys == chain_log_keys(
                bench.chain.w3, addresses, bench.chain.deployment.deployment_block, head
            )
            assert len(keys) == len(set(keys))
            assert_database_matches_chain(session, bench.chain.platform, head)
        for table in ["events", *DERIVED_TABLES]:
            assert _rows(killed, table) == _rows(clean, table), table
        print(f"\n{kills} SIGKILLs during a backfill of {len(keys):,} events: exact")
        assert kills == KILLS  # every kill landed mid-backfill


def _rpc(chain: TestChain, method: str, *params: object) -> object:
    return chain.w3.provider.make_request(method, list(params))["result"]  # type: ignore[arg-type]


def test_the_indexer_converges_after_ten_random_reorgs_of_depth_one_to_five(
    clean_chain: TestChain, services: Services
) -> None:
    chain = clean_chain
    rng = random.Random(5)
    indexer = Indexer(services, progress=False)
    addresses = [*chain.deployment.addresses.values(), *chain.tokens.values()]

    def swaps(count: int) -> None:  # one block each (automine, batch of one)
        orders, sigs, _ = signed_orders(
            chain.w3,
            chain.platform,
            chain.user_keys[0],
            chain.tokens["SKYM"],
            chain.tokens["FRESH"],
            [rng.randint(10, 30) for _ in range(count)],  # at least the 100-fen minimum order
        )
        settle(chain.w3, chain.platform, orders, sigs, batch=1)

    for _ in range(10):
        depth = rng.randint(1, 5)
        fork = _rpc(chain, "evm_snapshot")
        swaps(depth)
        indexer.run_once()
        _rpc(chain, "evm_revert", fork)
        swaps(depth + rng.randint(0, 2))  # the other branch: different blocks and hashes
        indexer.run_once()
        head = chain.w3.eth.block_number
        with services.sessions() as session:
            assert event_keys(session) == chain_log_keys(
                chain.w3, addresses, chain.deployment.deployment_block, head
            )
            assert_database_matches_chain(session, chain.platform, head)
