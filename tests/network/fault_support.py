"""What the fault tests on the geth network share: a backend in this process (relayer and
indexer threads, intake through the API), orders arriving from client threads, and the
checks that every accepted order ended exactly once with no nonce gap.

The network is the session's (``conftest.network_chain``): tests share its state, so each
looks only at its own orders (fresh nonces) and leaves every node running and peered.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account import Account
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web3 import Web3

from tests.backend.relayer_helpers import order_body
from tongdui.api.app import create_app
from tongdui.core.config import ANVIL_KEYS
from tongdui.indexer.follower import Indexer
from tongdui.indexer.store import checkpoint
from tongdui.relayer import Relayer
from tongdui.relayer.models import RelayerOrder, RelayerTransaction
from tongdui.services import Services, build_services

from .conftest import NetworkChain, network_settings_for

RELAYER_KEYS = (ANVIL_KEYS[8], ANVIL_KEYS[9])
# (user, from, to, points): amounts the demo holdings cover many times over.
# Each worth at least the minimum order value (100 fen) and enough to buy a point after the
# fee rounded up: 110 fen → 1 BEAN, 100 fen → 9 SKYM, 100 fen → 99 FRESH.
FLOWS = ((0, "SKYM", "BEAN", 11), (2, "FRESH", "SKYM", 100), (0, "SKYM", "FRESH", 10))
SWAPPED = Web3.keccak(
    text="Swapped(bytes32,address,address,address,uint256,uint256,uint256,uint256,uint256,"
    "uint256,address)"
)


@dataclass
class Backend:
    """A backend on member ``node``'s node (the other members' nodes as fallback)."""

    services: Services
    client: TestClient
    relayer: Relayer
    indexer: Indexer
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for loop in (self.relayer.run, self.indexer.run):
            thread = threading.Thread(target=loop, args=(self.stop,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
        self.services.engine.dispose()

    def indexed_block(self) -> int:
        with self.services.sessions() as session:
            current = checkpoint(session)
            return current.block_number if current else -1


@contextmanager
def backend(chain: NetworkChain, folder: Path, node: int = 0, **settings: Any) -> Iterator[Backend]:
    values: dict[str, Any] = {"batch_max_size": 100, "batch_max_wait": 0.2, **settings}
    services = build_services(network_settings_for(chain, folder, node=node, **values))
    running = Backend(
        services,
        TestClient(create_app(services)),
        Relayer(services, keys=list(RELAYER_KEYS)),
        Indexer(services),
    )
    running.start()
    try:
        yield running
    finally:
        running.close()


@dataclass
class Orders:
    """Orders posted by client threads; ``accepted`` order hashes, ``refused`` answers."""

    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.accepted) + len(self.refused)

    def join(self, timeout: float = 300) -> None:
        for thread in self.threads:
            thread.join(timeout)


def submit_orders(chain: NetworkChain, running: Backend, total: int, workers: int = 4) -> Orders:
    """Starts ``workers`` threads that post ``total`` freshly signed orders between them."""
    orders = Orders()

    def post(worker: int, count: int) -> None:
        for i in range(count):
            user, source, target, amount = FLOWS[(worker + i) % len(FLOWS)]
            body = order_body(
                chain,  # type: ignore[arg-type]  # duck-types TestChain
                running.services,
                user,
                source,
                target,
                amount,
                min_amount_out=0,
                nonce=secrets.randbits(128),
                deadline=int(time.time()) + 3600,
            )
            answer = running.client.post("/orders", json=body)
            with orders.lock:
                if answer.status_code in (200, 202):
                    orders.accepted.append(answer.json()["orderHash"])
                else:
                    orders.refused.append(answer.text)

    share = [total // workers + (1 if w < total % workers else 0) for w in range(workers)]
    for worker, count in enumerate(share):
        thread = threading.Thread(target=post, args=(worker, count), daemon=True)
        thread.start()
        orders.threads.append(thread)
    return orders


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.25)


def order_states(running: Backend, hashes: list[str]) -> dict[str, tuple[str, str | None]]:
    """{order hash: (state, reason code)} for ``hashes``."""
    wanted = set(hashes)
    with running.services.sessions() as session:
        rows = session.execute(
            select(RelayerOrder.order_hash, RelayerOrder.state, RelayerOrder.reason_code)
        ).all()
    return {h: (state, code) for h, state, code in rows if h in wanted}


def all_final(running: Backend, hashes: list[str]) -> bool:
    states = order_states(running, hashes)
    return len(states) == len(hashes) and all(
        state in ("settled", "rejected") for state, _ in states.values()
    )


def swapped_on_chain(w3: Web3, exchange: str, from_block: int) -> list[str]:
    """Every ``Swapped`` order hash from ``from_block`` on, in chain order (doubles kept)."""
    logs = w3.eth.get_logs(
        {"address": exchange, "fromBlock": from_block, "toBlock": "latest", "topics": [SWAPPED]}
    )
    return ["0x" + bytes(log["topics"][1]).hex() for log in logs]


def assert_each_order_ended_once(
    chain: NetworkChain, running: Backend, orders: Orders, from_block: int
) -> dict[str, int]:
    """Every accepted order settled exactly once on chain or was rejected with its reason and
    never executed; every logged transaction's nonce is used once; no relayer key has a
    nonce gap. Returns the count of each final state."""
    states = order_states(running, orders.accepted)
    assert len(states) == len(orders.accepted), "an accepted order is missing from intake"
    w3 = chain.w3
    swapped = swapped_on_chain(w3, chain.platform.exchange.address, from_block)
    ours = [h for h in swapped if h in states]
    assert len(ours) == len(set(ours)), "an order executed twice"
    settled = {h for h, (state, _) in states.items() if state == "settled"}
    assert set(ours) == settled, "the relayer's record differs from the chain"
    for state, code in states.values():
        assert state in ("settled", "rejected"), state
        if state == "rejected":
            assert code, "a rejected order has no reason"
    with running.services.sessions() as session:
        logged = session.execute(select(RelayerTransaction.sender, RelayerTransaction.nonce)).all()
        per_nonce = session.execute(
            select(RelayerTransaction.sender, RelayerTransaction.nonce, func.count())
            .group_by(RelayerTransaction.sender, RelayerTransaction.nonce)
            .having(func.count() > 1)
        ).all()
    assert not per_nonce, f"a nonce was signed twice: {per_nonce}"
    for key in RELAYER_KEYS:
        sender = Account.from_key(key).address
        nonces = sorted(n for s, n in logged if s == sender)
        if nonces:
            assert nonces == list(range(nonces[0], nonces[0] + len(nonces))), "a nonce gap"
        assert w3.eth.get_transaction_count(sender, "pending") == w3.eth.get_transaction_count(
            sender, "latest"
        ), "a transaction waits behind a missing nonce"
    counts: dict[str, int] = {}
    for state, _ in states.values():
        counts[state] = counts.get(state, 0) + 1
    return counts


def block_hash(url: str, height: int) -> str | None:
    """The hash of block ``height`` on the node at ``url``; None if it has no such block."""
    answer = Web3(Web3.HTTPProvider(url)).provider.make_request(
        "eth_getBlockByNumber",  # type: ignore[arg-type]
        [hex(height), False],
    )
    block = answer.get("result")
    return str(block["hash"]) if block else None


def head_hashes(chain: NetworkChain, height: int) -> dict[int, str]:
    """The block hash at ``height`` on every running node that has that block."""
    found = {}
    for status in chain.network.status():
        if status.running:
            found_hash = block_hash(status.rpc_url, height)
            if found_hash is not None:
                found[status.index] = found_hash
    return found
