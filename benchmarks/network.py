"""Relayed swaps end to end on the 4-sealer geth Clique network with 1 s blocks, beside anvil
with 1 s blocks in the same run (``python -m benchmarks --only network``).

The same load as ``relay`` (signed orders POSTed by concurrent clients to ``tongdui up``,
latency = submit → seen settled through the API) against each chain in turn, the service
given the chain's nodes (on the network: member 0's node first, the other members' as
fallback) and, on the network, the Clique defaults (2 confirmations). Besides orders/s and
p50/p99 latency it reports what bounds the rate: orders per ``settle`` transaction (from the
relayer's log), the gas the blocks of the run used against their gas limit (from the chain),
and how many ``settle`` transactions each block held (the relayer keeps several in flight
across its keys, within two blocks' gas limit of reserved gas: ``relayer.gas_budget``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from sqlalchemy import create_engine, text
from web3 import Web3

from tongdui.chain.client import Platform
from tongdui.chain.deployment import Deployment
from tongdui.demo import demo_user_key

from .history import BenchChain, bench_chain, fund_users
from .measure import Figure, percentile
from .relay import order_bodies
from .relay_load import RelayRun, drive
from .service import service

USERS = 20
BATCH_WAIT = 0.5  # the shipped default (TONGDUI_BATCH_MAX_WAIT): blocks come every second


@dataclass
class NetworkChain:
    """The geth network with the platform: the fields of ``TestChain`` the benchmark uses."""

    w3: Web3
    deployment: Deployment
    platform: Platform
    tokens: dict[str, str]
    user_keys: list[str]
    url: str  # every member node, member 0's first (the service's --rpc)


@dataclass
class ChainStats:
    """What bounds the rate, from the relayer's log and the chain (zeros if nothing settled)."""

    orders_per_tx: float = 0.0
    gas_per_block: float = 0.0  # gas used per block over the blocks that held the run's batches
    gas_limit: int = 0
    blocks: int = 0
    blocks_with_settles: int = 0
    settles_per_block: float = 0.0  # over the blocks that held at least one of the run's settles
    max_settles_per_block: int = 0
    queue_wait: float = 0.0  # median s from an order's intake to its settle being signed
    to_block: float = 0.0  # median s from a settle's broadcast to its block's timestamp


@dataclass
class ChainRun:
    run: RelayRun
    stats: ChainStats


@contextmanager
def geth_bench(folder: Path, users: int) -> Iterator[BenchChain]:
    """A 4-sealer network (no auditor: the benchmark needs none) with the platform and the
    demo consortium, and ``users`` funded benchmark users; torn down afterwards."""
    from tongdui.network import Network
    from tongdui.network.platform import deploy_platform_on, network_settings

    network = Network(folder / "network")
    try:
        network.up(members=4, auditors=0, period=1)
        settings = network_settings(network, folder / "platform")
        deployed = deploy_platform_on(network, settings, demo=True)
        chain = NetworkChain(
            deployed.w3,
            deployed.deployment,
            deployed.platform,
            deployed.tokens,
            [demo_user_key(i) for i in range(3)],
            network.info().rpc_urls(0),
        )
        bench = BenchChain(chain, folder)  # type: ignore[arg-type]  # duck-types TestChain
        fund_users(bench, users)
        yield bench
    finally:
        network.down(purge=True)


def _stats(bench: BenchChain, data_dir: Path) -> ChainStats:
    """Orders per settle, gas and settles per block, and where an order waited, of the run."""
    engine = create_engine(f"sqlite:///{data_dir / 'tongdui.db'}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT t.id, t.block_number, o.created_at, t.created_at, t.sent_at "
                    "FROM relayer_transactions t JOIN relayer_orders o ON o.tx_id = t.id "
                    "WHERE t.kind = 'settle' AND t.block_number IS NOT NULL"
                )
            ).all()
    finally:
        engine.dispose()
    if not rows:
        return ChainStats()
    w3 = bench.chain.w3
    first, last = min(r[1] for r in rows), max(r[1] for r in rows)
    blocks = {n: w3.eth.get_block(n) for n in range(first, last + 1)}
    settles_in: dict[int, set[int]] = {}
    for tx_id, block, *_ in rows:
        settles_in.setdefault(block, set()).add(tx_id)
    per_block = [len(txs) for txs in settles_in.values()]
    txs = sum(per_block)
    return ChainStats(
        orders_per_tx=len(rows) / txs,
        gas_per_block=sum(int(b["gasUsed"]) for b in blocks.values()) / len(blocks),
        gas_limit=int(blocks[last]["gasLimit"]),
        blocks=len(blocks),
        blocks_with_settles=len(per_block),
        settles_per_block=txs / len(per_block),
        max_settles_per_block=max(per_block),
        queue_wait=median(signed - received for _, _, received, signed, _ in rows),
        to_block=median(int(blocks[b]["timestamp"]) - (sent or 0) for _, b, _, _, sent in rows),
    )


def measure(bench: BenchChain, folder: Path, orders: int, clients: int, **env: str) -> ChainRun:
    with service(
        bench, folder, batch_max_size=100, batch_max_wait=BATCH_WAIT, extra_env=env
    ) as svc:
        bodies = order_bodies(bench, orders)
        run = drive(svc.url, bodies, clients, timeout=120 + orders / 10)
    return ChainRun(run, _stats(bench, folder))


def run(quick: bool, workdir: Path) -> list[Figure]:
    orders, clients = (300, 8) if quick else (3_000, 32)
    with bench_chain(USERS) as anvil_bench:
        # Deployed and funded on automine (fast), then a block every second, as on geth.
        anvil_bench.chain.w3.provider.make_request("evm_setIntervalMining", [1])  # type: ignore[arg-type]
        anvil = measure(anvil_bench, workdir / "network-anvil", orders, clients)
    folder = Path(tempfile.mkdtemp(prefix="tongdui-bench-net-"))
    try:
        with geth_bench(folder, USERS) as geth_chain:
            geth = measure(
                geth_chain, workdir / "network-geth", orders, clients, TONGDUI_CONFIRMATIONS="2"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for label, res in (("geth 4 sealers", geth), ("anvil", anvil)):
        r, st = res.run, res.stats
        print(
            f"  {label}, 1 s blocks: {r.orders} in {r.seconds:.1f} s = {r.rate:,.0f} orders/s, "
            f"p50 {percentile(r.latencies, 50) * 1000:.0f} ms, "
            f"p99 {percentile(r.latencies, 99) * 1000:.0f} ms, {st.orders_per_tx:.1f} orders/tx, "
            f"{st.gas_per_block / 1e6:.2f} M gas/block of {st.gas_limit / 1e6:.0f} M over "
            f"{st.blocks} blocks, {st.blocks_with_settles} of them with settles, "
            f"{st.settles_per_block:.1f} settles each (most {st.max_settles_per_block}); "
            f"median wait in the queue {st.queue_wait:.2f} s, broadcast to block "
            f"{st.to_block:.2f} s; rejected {r.rejected}, errors {r.errors[:3]}"
        )
    notes = (
        f"{orders} orders by {clients} clients, {USERS} users, batches ≤100, 1 s blocks; "
        f"geth v1.13.15 Clique (4 sealers, 2 confirmations) vs anvil --block-time 1; "
        f"block gas limit {geth.stats.gas_limit / 1e6:.0f} M on geth, "
        f"{anvil.stats.gas_limit / 1e6:.0f} M on anvil"
    )
    extra: dict[str, Any] = {
        "geth": {"rejected": geth.run.rejected, "errors": geth.run.errors[:5]},
        "anvil": {"rejected": anvil.run.rejected, "errors": anvil.run.errors[:5]},
    }
    base = "anvil, 1 s blocks"
    return [
        Figure(
            "network",
            "relayed swaps on 4 geth sealers, 1 s blocks",
            geth.run.rate,
            "orders/s",
            baseline=anvil.run.rate,
            baseline_name=base,
            notes=notes,
            extra=extra,
        ),
        Figure(
            "network",
            "geth network swap latency p50",
            percentile(geth.run.latencies, 50) * 1000,
            "ms",
            baseline=percentile(anvil.run.latencies, 50) * 1000,
            baseline_name=base,
        ),
        Figure(
            "network",
            "geth network swap latency p99",
            percentile(geth.run.latencies, 99) * 1000,
            "ms",
            baseline=percentile(anvil.run.latencies, 99) * 1000,
            baseline_name=base,
        ),
        Figure(
            "network",
            "geth network orders per settle transaction",
            geth.stats.orders_per_tx,
            "orders/tx",
            baseline=anvil.stats.orders_per_tx,
            baseline_name=base,
        ),
        Figure(
            "network",
            "geth network settle transactions per block holding one",
            geth.stats.settles_per_block,
            "settles/block",
            baseline=anvil.stats.settles_per_block,
            baseline_name=base,
            notes=f"most in one block: {geth.stats.max_settles_per_block} on geth, "
            f"{anvil.stats.max_settles_per_block} on anvil; blocks with settles: "
            f"{geth.stats.blocks_with_settles} of {geth.stats.blocks} on geth, "
            f"{anvil.stats.blocks_with_settles} of {anvil.stats.blocks} on anvil",
            extra={
                "geth": {"queue_wait_s": geth.stats.queue_wait, "to_block_s": geth.stats.to_block},
                "anvil": {
                    "queue_wait_s": anvil.stats.queue_wait,
                    "to_block_s": anvil.stats.to_block,
                },
            },
        ),
        Figure(
            "network",
            "geth network gas used per block (blocks of the run)",
            geth.stats.gas_per_block / 1e6,
            "M gas",
            baseline=anvil.stats.gas_per_block / 1e6,
            baseline_name=base,
        ),
    ]
