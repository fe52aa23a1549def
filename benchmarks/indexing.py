"""Indexer backfill (SQLite and PostgreSQL), audit replay, API reads, and how each moves as
history grows (10k / 100k / 1M past swaps; quick mode 10k).

Baseline of the indexer: plain web3.py — ``w3.eth.get_logs`` in the same block chunks and each
log decoded by ``contract.events.<Name>().process_log`` (no database). The indexer does more
(writes rows, projections and checkpoints) and is compared with it to show what its decoding
saves. Growth: at each size the same figures, plus the cost of indexing the next 1,000 swaps
on top of that history (what a running indexer pays), which must not grow with history.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from web3 import Web3

from tongdui.audit.fetch import Contracts
from tongdui.audit.run import replay_chain
from tongdui.chain.artifacts import abi
from tongdui.chain.deployment import save_deployment
from tongdui.chain.rpc import JsonRpc
from tongdui.core.chunks import FIRST_CHUNK_BLOCKS, next_chunk_size
from tongdui.core.config import Settings
from tongdui.indexer.follower import Indexer
from tongdui.services import build_services

from .history import BenchChain, add_swaps, bench_chain
from .measure import Figure
from .postgres import fresh_database, postgres_server
from .reads import read_load

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2_000
BASELINE_EVENTS = 200_000
GOAL = 10_000


def baseline_get_logs(bench: BenchChain) -> tuple[int, float]:
    """(events, seconds) of plain web3.py: get_logs + process_log per log, over the newest
    blocks holding about BASELINE_EVENTS events (a rate; the whole of a 1M-swap history would
    take this baseline ~25 minutes)."""
    w3 = bench.chain.w3
    addresses = dict(bench.chain.deployment.addresses)
    contracts: dict[str, Any] = {}
    for name, address in addresses.items():
        contracts[Web3.to_checksum_address(address)] = w3.eth.contract(address, abi=abi(name))
    for token in bench.chain.tokens.values():
        contracts[Web3.to_checksum_address(token)] = w3.eth.contract(token, abi=abi("PointsToken"))
    by_topic: dict[tuple[str, bytes], Any] = {}
    for address, contract in contracts.items():
        for entry in contract.abi:
            if entry.get("type") == "event":
                event = contract.events[entry["name"]]()
                topic = bytes(Web3.keccak(text=_signature(entry)))
                by_topic[(address, topic)] = event
    first, head = bench.chain.deployment.deployment_block, w3.eth.block_number
    count = 0
    size = FIRST_CHUNK_BLOCKS  # the indexer's chunking: sized by the events blocks hold
    end = head
    started = time.perf_counter()
    while end >= first and count < BASELINE_EVENTS:
        logs = w3.eth.get_logs(
            {
                "fromBlock": max(first, end - size + 1),
                "toBlock": end,
                "address": list(contracts),
            }
        )
        end -= size
        size = next_chunk_size(size, len(logs), CHUNK)
        for log in logs:
            event = by_topic.get(
                (Web3.to_checksum_address(log["address"]), bytes(log["topics"][0]))
            )
            if event is not None:
                event.process_log(log)
                count += 1
    return count, time.perf_counter() - started


def _signature(entry: dict[str, Any]) -> str:
    def kind(item: dict[str, Any]) -> str:
        if item["type"].startswith("tuple"):
            return "(" + ",".join(kind(c) for c in item["components"]) + ")" + item["type"][5:]
        return str(item["type"])

    return f"{entry['name']}({','.join(kind(i) for i in entry['inputs'])})"


def index_once(bench: BenchChain, data_dir: Path, db_url: str | None) -> tuple[int, float, Any]:
    """(events, seconds, services) of a backfill from the deployment block into a new DB."""
    save_deployment(data_dir / "deployments", bench.chain.deployment)
    settings = Settings(data_dir=data_dir, rpc_url=bench.url, db_url=db_url)
    services = build_services(settings)
    indexer = Indexer(services, progress=False)
    started = time.perf_counter()
    events = indexer.backfill(progress=False)
    return events, time.perf_counter() - started, services


def replay(bench: BenchChain) -> tuple[int, float]:
    contracts = Contracts.from_names(bench.chain.deployment.addresses)
    with JsonRpc(bench.url) as rpc:
        result = replay_chain(rpc, contracts, bench.chain.deployment.deployment_block)
    return result.events, result.seconds


def run(quick: bool, workdir: Path, sizes: list[int] | None = None) -> list[Figure]:
    sizes = sizes or ([10_000] if quick else [10_000, 100_000, 1_000_000])
    figures: list[Figure] = []
    with ExitStack() as stack:
        try:
            server: str | None = stack.enter_context(postgres_server())
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            print(f"  PostgreSQL could not start, its figures are left out: {error}", flush=True)
            server = None
        with bench_chain(20) as bench:
            for size in sizes:
                made = add_swaps(bench, size - bench.swaps, progress=not quick)
                label = f"{size // 1000}k swaps"
                print(f"  history: {bench.swaps:,} swaps (made in {made:.0f} s)", flush=True)
                figures += measure_at(bench, workdir / f"h{size}", label, server)
    return figures


def measure_at(bench: BenchChain, folder: Path, label: str, pg: str | None) -> list[Figure]:
    figures = []
    base_events, base_s = baseline_get_logs(bench)
    base_rate = base_events / base_s
    events, seconds, services = index_once(bench, folder / "sqlite", None)
    rate = events / seconds
    print(
        f"  [{label}] baseline get_logs+process_log: {base_events:,} events {base_rate:,.0f}/s; "
        f"indexer SQLite {events:,} in {seconds:.1f} s = {rate:,.0f}/s",
        flush=True,
    )
    figures.append(
        Figure(
            "indexer",
            f"backfill into SQLite ({label}, {events:,} events)",
            rate,
            "events/s",
            baseline=base_rate,
            baseline_name="web3 get_logs+process_log",
            goal="≥10,000/s",
            met=rate >= GOAL,
        )
    )
    # The next 1,000 swaps on top of this history: what the running indexer pays.
    add_swaps(bench, 1_000)
    indexer = Indexer(services, progress=False)
    started = time.perf_counter()
    more = indexer.run_once()
    inc = more / (time.perf_counter() - started)
    figures.append(
        Figure(
            "growth",
            f"index the next 1,000 swaps on {label}",
            inc,
            "events/s",
            notes="incremental run_once on top of the history",
        )
    )
    print(f"  [{label}] next 1,000 swaps indexed: {more:,} events at {inc:,.0f}/s", flush=True)
    if pg is not None:
        url = fresh_database(pg, prefix="bench_index")  # pg: the run's server
        events_pg, seconds_pg, pg_services = index_once(bench, folder / "pg", url)
        rate_pg = events_pg / seconds_pg
        pg_services.engine.dispose()
        print(
            f"  [{label}] indexer PostgreSQL {events_pg:,} in {seconds_pg:.1f} s = "
            f"{rate_pg:,.0f}/s",
            flush=True,
        )
        figures.append(
            Figure(
                "indexer",
                f"backfill into PostgreSQL ({label}, {events_pg:,} events)",
                rate_pg,
                "events/s",
                baseline=base_rate,
                baseline_name="web3 get_logs+process_log",
                goal="≥10,000/s",
                met=rate_pg >= GOAL,
            )
        )
    replayed, replay_s = replay(bench)
    replay_rate = replayed / replay_s
    print(
        f"  [{label}] audit replay {replayed:,} events in {replay_s:.1f} s = {replay_rate:,.0f}/s",
        flush=True,
    )
    figures.append(
        Figure(
            "audit",
            f"audit replay ({label}, {replayed:,} events)",
            replay_rate,
            "events/s",
            baseline=base_rate,
            baseline_name="web3 get_logs+process_log",
            goal="≥10,000/s",
            met=replay_rate >= GOAL,
        )
    )
    figures += read_load(bench, services, folder / "api", label)
    services.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return figures
