"""The backend's node stops while orders arrive: relayer, indexer and intake move to the next
node of the chain, and nothing is lost or sent twice.

Two loopback proxies in front of one anvil are the member's own node and another member's
(one chain). Before proxy 1 dies it swallows the last transactions the relayer sends it, as a
node that accepted them and died before passing them on: the relayer must hand those same
signed bytes to node 2, not sign the orders again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from sqlalchemy import func, select

from tests.chains import TestChain
from tongdui.chain.client import connect
from tongdui.chain.deployment import save_deployment
from tongdui.chain.nodes import nodes_of
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.core.errors import ConfigurationError
from tongdui.indexer.follower import Indexer
from tongdui.indexer.models import Event
from tongdui.indexer.store import checkpoint
from tongdui.relayer.keys import KeyPool
from tongdui.relayer.models import TX_MINED, RelayerOrder, RelayerTransaction
from tongdui.services import Services, build_services

from ..node_proxy import NodeProxy
from .relayer_helpers import api, make_relayer, order_body, running

ORDERS = 60
RELAYER_KEYS = (ANVIL_KEYS[8], ANVIL_KEYS[9])
# Each worth at least the minimum order value (100 fen) and enough to buy a point after the
# fee rounded up: 110 fen → 1 BEAN, 100 fen → 9 SKYM, 100 fen → 99 FRESH.
FLOWS = ((0, "SKYM", "BEAN", 11), (2, "FRESH", "SKYM", 100), (0, "SKYM", "FRESH", 10))


@pytest.fixture
def proxies(clean_chain: TestChain) -> Iterator[tuple[NodeProxy, NodeProxy]]:
    first, second = NodeProxy(clean_chain.url).start(), NodeProxy(clean_chain.url).start()
    try:
        yield first, second
    finally:
        first.kill()
        second.kill()


@pytest.fixture
def two_node_services(
    clean_chain: TestChain, proxies: tuple[NodeProxy, NodeProxy], tmp_path: Path
) -> Iterator[Services]:
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", clean_chain.deployment)
    settings = Settings(
        data_dir=data_dir,
        rpc_url=",".join(proxy.url for proxy in proxies),
        batch_max_wait=0.05,
        batch_max_size=5,
        poll_interval=0.05,
    )
    built = build_services(settings)
    nodes = nodes_of(built.w3)
    assert nodes is not None
    nodes.retry_after = 0.5
    try:
        yield built
    finally:
        built.engine.dispose()


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def test_relayer_fails_over_without_sending_twice(
    clean_chain: TestChain,
    proxies: tuple[NodeProxy, NodeProxy],
    two_node_services: Services,
) -> None:
    own, other = proxies
    services = two_node_services
    client = api(services)
    accepted: list[str] = []
    refused: list[str] = []

    def submit() -> None:
        for i in range(ORDERS):
            user, source, target, amount = FLOWS[i % len(FLOWS)]
            body = order_body(clean_chain, services, user, source, target, amount, min_amount_out=0)
            answer = client.post("/orders", json=body)
            if answer.status_code in (200, 202):
                accepted.append(answer.json()["orderHash"])
            else:
                refused.append(answer.text)
            time.sleep(0.01)

    stop = threading.Event()
    indexer = Indexer(services)
    indexing = threading.Thread(target=indexer.run, args=(stop,), daemon=True)
    indexing.start()
    try:
        with running(make_relayer(services)):
            orders = threading.Thread(target=submit)
            orders.start()
            _wait(lambda: len(accepted) >= ORDERS // 3, 60, "orders before the fault")
            own.swallow_sends = True  # node 1 now keeps what it is sent, then dies
            _wait(lambda: len(own.swallowed) >= 2, 30, "transactions kept by the dying node")
            own.kill()
            orders.join(120)
            _wait(lambda: _all_final(services, accepted), 120, "every order settled or rejected")
            head = clean_chain.w3.eth.block_number
            _wait(lambda: _indexed(services) >= head, 60, "the indexer reached the head")
    finally:
        stop.set()
        indexing.join(10)

    nodes = nodes_of(services.w3)
    assert nodes is not None and nodes.current == other.url, "the backend moved to node 2"
    assert not refused, refused[:3]
    assert len(accepted) == ORDERS
    with services.sessions() as session:
        states = dict(session.execute(select(RelayerOrder.order_hash, RelayerOrder.state)).all())
        txs = session.execute(
            select(
                RelayerTransaction.sender,
                RelayerTransaction.nonce,
                RelayerTransaction.state,
                RelayerTransaction.tx_hash,
            )
        ).all()
        indexed_swaps = session.scalar(
            select(func.count()).select_from(Event).where(Event.event == "Swapped")
        )
    settled = {h for h, state in states.items() if state == "settled"}
    assert set(states.values()) == {"settled"}, "every order of these flows can settle"
    # Exactly once on chain, and the indexer (which moved too) saw each once.
    swapped = _swapped_on_chain(clean_chain)
    assert len(swapped) == len(set(swapped)) == len(settled) and set(swapped) == settled
    assert indexed_swaps == len(settled)
    # Nothing signed twice: every logged transaction was mined, its nonce used once; the
    # transactions node 1 swallowed reached the chain as the same bytes through node 2.
    assert {state for *_, state, _ in txs} == {TX_MINED}
    hashes = {tx_hash for *_, tx_hash in txs}
    assert set(own.swallowed) <= hashes
    for key in RELAYER_KEYS:
        sender = Account.from_key(key).address
        nonces = sorted(nonce for s, nonce, *_ in txs if s == sender)
        assert nonces == list(range(nonces[0], nonces[0] + len(nonces))) if nonces else True
        w3 = clean_chain.w3
        assert w3.eth.get_transaction_count(sender, "pending") == w3.eth.get_transaction_count(
            sender, "latest"
        ), "no nonce gap"


def test_the_backend_returns_to_its_own_node_once_it_answers_again(
    proxies: tuple[NodeProxy, NodeProxy], two_node_services: Services
) -> None:
    own, other = proxies
    nodes = nodes_of(two_node_services.w3)
    assert nodes is not None
    own.kill()
    head = two_node_services.w3.eth.block_number
    assert nodes.current == other.url
    own.start()  # the same port: node 1 is back, and on the same chain it is not behind
    time.sleep(nodes.retry_after + 0.1)
    assert two_node_services.w3.eth.block_number >= head
    assert nodes.current == own.url


def test_nodes_of_another_chain_are_refused_at_start(
    proxies: tuple[NodeProxy, NodeProxy],
) -> None:
    own, other = proxies
    other.chain_id = 4242
    with pytest.raises(ConfigurationError, match="different chains"):
        connect([own.url, other.url])


def test_a_relayer_restarted_against_a_node_behind_keeps_the_nonces_of_its_log(
    two_node_services: Services,
) -> None:
    """A fallback a block behind reports a pending count below a nonce already mined: the
    log, not the node, gives the next nonce (a reused nonce would make a dead transaction)."""
    sender = Account.from_key(RELAYER_KEYS[0]).address
    on_node = two_node_services.w3.eth.get_transaction_count(sender, "pending")
    with two_node_services.sessions() as session:
        session.add(
            RelayerTransaction(
                kind="settle",
                sender=sender,
                nonce=on_node + 2,  # mined on the chain the node has not caught up with
                tx_hash="0x" + "ab" * 32,
                raw_tx="0x",
                state=TX_MINED,
                created_at=time.time(),
            )
        )
        session.commit()
    pool = KeyPool(two_node_services.w3, [RELAYER_KEYS[0]], two_node_services.sessions)
    pool.sync()
    assert pool.keys[0].next_nonce == on_node + 3


def _all_final(services: Services, hashes: list[str]) -> bool:
    with services.sessions() as session:
        pending = session.scalar(
            select(func.count())
            .select_from(RelayerOrder)
            .where(RelayerOrder.state.not_in(("settled", "rejected")))
        )
    return bool(hashes) and pending == 0


def _indexed(services: Services) -> int:
    with services.sessions() as session:
        current = checkpoint(session)
        return current.block_number if current else -1


def _swapped_on_chain(chain: TestChain) -> list[str]:
    from tests.fault.test_relayer_faults import _swapped_hashes

    return _swapped_hashes(chain)
