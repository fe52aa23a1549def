"""The relayer keeps several settles in flight across its keys, as much as the next blocks hold.

Anvil's automine is turned off in these tests (and back on after), so the transactions a pass
sends wait in the node's pool until the test mines a block (``evm_mine``), as on a chain with
a block period; nothing depends on how fast the machine is. The block gas limit is set with
``evm_setBlockGasLimit``, as a consortium's sealers change theirs with ``--miner.gaslimit``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from tests.chains import TestChain
from tongdui.core.config import Settings
from tongdui.relayer import reconcile
from tongdui.relayer.batcher import settle_gas
from tongdui.relayer.gas_budget import BLOCKS_AHEAD
from tongdui.relayer.models import TX_IN_FLIGHT, RelayerOrder, RelayerTransaction
from tongdui.relayer.relayer import Relayer
from tongdui.services import Services, build_services

from .relayer_helpers import api, drain, make_relayer, order_body

DEFAULT_GAS_LIMIT = 30_000_000  # anvil's


def _rpc(chain: TestChain, method: str, *params: Any) -> Any:
    return chain.w3.provider.make_request(method, list(params))  # type: ignore[arg-type]


@contextmanager
def block_by_block(chain: TestChain, gas_limit: int = DEFAULT_GAS_LIMIT) -> Iterator[None]:
    """No automine; blocks of ``gas_limit`` from the next one on; anvil as it was afterwards."""
    _rpc(chain, "evm_setAutomine", False)
    _rpc(chain, "evm_setBlockGasLimit", hex(gas_limit))
    _rpc(chain, "evm_mine")  # the head now carries the new limit
    try:
        yield
    finally:
        _rpc(chain, "evm_setBlockGasLimit", hex(DEFAULT_GAS_LIMIT))
        _rpc(chain, "evm_setAutomine", True)


@pytest.fixture
def small_batches(settings: Settings) -> Iterator[Services]:
    """Batches of two orders, final at their first receipt."""
    services = build_services(settings.model_copy(update={"batch_max_size": 2}))
    try:
        yield services
    finally:
        services.engine.dispose()


def submit(chain: TestChain, services: Services, count: int) -> list[str]:
    client = api(services)
    hashes = []
    for i in range(count):
        answer = client.post("/orders", json=order_body(chain, services, amount=100 + i))
        assert answer.status_code == 202, answer.text
        hashes.append(answer.json()["orderHash"])
    return hashes


def logged(services: Services) -> list[RelayerTransaction]:
    with services.sessions() as session:
        return list(session.scalars(select(RelayerTransaction).order_by(RelayerTransaction.id)))


def reserved_in_flight(services: Services) -> int:
    return sum(
        tx.gas_limit or 0
        for tx in logged(services)
        if tx.state in TX_IN_FLIGHT and tx.block_number is None
    )


def swapped_once(chain: TestChain, services: Services, hashes: list[str]) -> None:
    logs = services.platform.exchange.events.Swapped().get_logs(
        from_block=services.deployment.deployment_block
    )
    counts = Counter("0x" + bytes(log["args"]["orderHash"]).hex() for log in logs)
    assert [counts[h] for h in hashes] == [1] * len(hashes)
    with services.sessions() as session:
        states = session.scalars(
            select(RelayerOrder.state).where(RelayerOrder.order_hash.in_(hashes))
        ).all()
    assert list(states) == ["settled"] * len(hashes)


def _all_settled(services: Services, hashes: list[str]) -> bool:
    with services.sessions() as session:
        states = session.scalars(
            select(RelayerOrder.state).where(RelayerOrder.order_hash.in_(hashes))
        ).all()
    return set(states) == {"settled"}


def assert_each_nonce_signed_once_without_gap(services: Services) -> None:
    """Per key: one logged transaction per nonce, all mined, consecutive up to the node's."""
    txs = logged(services)
    for sender in {tx.sender for tx in txs}:
        nonces = sorted(tx.nonce for tx in txs if tx.sender == sender)
        assert len(nonces) == len(set(nonces)), f"a nonce of {sender} was signed twice"
        assert nonces == list(range(nonces[0], nonces[0] + len(nonces)))
        assert nonces[-1] + 1 == services.w3.eth.get_transaction_count(sender, "latest")
    assert {tx.state for tx in txs} == {"mined"}


def test_several_settles_from_both_keys_land_in_one_block(
    clean_chain: TestChain, small_batches: Services
) -> None:
    hashes = submit(clean_chain, small_batches, 8)
    relayer = make_relayer(small_batches)
    with block_by_block(clean_chain):
        report = relayer.run_once()
        assert len(report.batches) == 4  # 8 orders, 2 a batch, all sent before any is mined
        _rpc(clean_chain, "evm_mine")
    drain(relayer)

    swapped_once(clean_chain, small_batches, hashes)
    txs = logged(small_batches)
    assert len(txs) == 4
    assert len({tx.block_number for tx in txs}) == 1
    assert Counter(tx.sender for tx in txs) == {k.address: 2 for k in relayer.pool.keys}
    assert_each_nonce_signed_once_without_gap(small_batches)


def test_the_gas_budget_holds_new_batches_until_a_block_is_mined_and_then_resumes(
    clean_chain: TestChain, small_batches: Services
) -> None:
    gas_limit = 1_000_000  # two blocks: 2 M gas, room for four settles of two (430k each)
    hashes = submit(clean_chain, small_batches, 12)
    relayer = make_relayer(small_batches)
    budget = BLOCKS_AHEAD * gas_limit
    with block_by_block(clean_chain, gas_limit):
        first = relayer.run_once()
        assert relayer.pool.budget.block_gas_limit == gas_limit  # read from the head
        assert len(first.batches) == budget // settle_gas(2) == 4
        assert relayer.run_once().batches == []  # nothing mined: no room, orders wait
        assert reserved_in_flight(small_batches) <= budget

        blocks = 0
        while not _all_settled(small_batches, hashes):
            _rpc(clean_chain, "evm_mine")
            blocks += 1
            resumed = relayer.run_once()
            assert reserved_in_flight(small_batches) <= budget
            if blocks == 1:
                assert resumed.batches, "a mined block frees room for the waiting orders"
            assert blocks < 20

    swapped_once(clean_chain, small_batches, hashes)
    assert len(logged(small_batches)) == 6
    assert_each_nonce_signed_once_without_gap(small_batches)


def test_a_batch_never_reserves_more_gas_than_one_block_holds(
    clean_chain: TestChain, settings: Settings
) -> None:
    services = build_services(settings.model_copy(update={"batch_max_size": 10}))
    try:
        hashes = submit(clean_chain, services, 5)
        relayer = make_relayer(services)
        with block_by_block(clean_chain, 500_000):  # (500k − 150k) // 140k = 2 orders a settle
            relayer.run_once()
            for _ in range(10):
                _rpc(clean_chain, "evm_mine")
                relayer.run_once()
        drain(relayer)
        swapped_once(clean_chain, services, hashes)
        txs = logged(services)
        assert [tx.gas_limit for tx in txs] == [settle_gas(2), settle_gas(2), settle_gas(1)]
    finally:
        services.engine.dispose()


def test_a_node_restart_with_settles_in_flight_on_both_keys_signs_no_nonce_twice_nor_leaves_a_gap(
    clean_chain: TestChain, small_batches: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reconcile, "REBROADCAST_AFTER", 0.0)  # "long ago" is now
    hashes = submit(clean_chain, small_batches, 8)
    crashed = make_relayer(small_batches)
    with block_by_block(clean_chain):
        crashed.pool.sync()
        tx_ids = [crashed.prepare_batch() for _ in range(4)]
        assert None not in tx_ids
        for tx_id in tx_ids[:3]:  # the fourth was logged; the process died before sending it
            assert tx_id is not None and crashed.broadcast(tx_id)
        assert {tx.sender for tx in logged(small_batches)} == {k.address for k in crashed.pool.keys}
        _rpc(clean_chain, "anvil_dropAllTransactions")  # the node restarts with an empty pool

    restarted = make_relayer(small_batches)
    drain(restarted)
    swapped_once(clean_chain, small_batches, hashes)
    assert [tx.id for tx in logged(small_batches)] == tx_ids  # the same four, sent again
    assert_each_nonce_signed_once_without_gap(small_batches)


def test_a_relayer_with_its_budget_full_still_has_room_once_its_receipts_are_seen(
    clean_chain: TestChain, settings: Settings
) -> None:
    """With confirmations, a mined settle stays in flight until final; it holds no room."""
    services = build_services(settings.model_copy(update={"batch_max_size": 2, "confirmations": 3}))
    try:
        submit(clean_chain, services, 12)
        relayer: Relayer = make_relayer(services)
        with block_by_block(clean_chain, 1_000_000):
            assert len(relayer.run_once().batches) == 4
            _rpc(clean_chain, "evm_mine")
            relayer.run_once()  # receipts seen, none final: the next batches go anyway
            seen = [tx for tx in logged(services) if tx.block_number is not None]
            assert seen and all(tx.state in TX_IN_FLIGHT for tx in seen)
            assert len(logged(services)) > 4
    finally:
        services.engine.dispose()


def test_a_settle_a_reorg_takes_out_of_its_block_holds_room_again_and_is_sent_again(
    clean_chain: TestChain, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reconcile, "REBROADCAST_AFTER", 0.0)
    services = build_services(settings.model_copy(update={"batch_max_size": 2, "confirmations": 2}))
    try:
        hashes = submit(clean_chain, services, 2)
        relayer = make_relayer(services)
        with block_by_block(clean_chain):
            before = _rpc(clean_chain, "evm_snapshot")["result"]
            assert len(relayer.run_once().batches) == 1
            _rpc(clean_chain, "evm_mine")
            relayer.run_once()
            assert reserved_in_flight(services) == 0  # seen in a block: no room held
            _rpc(clean_chain, "evm_revert", before)  # the block is gone, and the transaction
            relayer.run_once()
            assert reserved_in_flight(services) == settle_gas(2)
            for _ in range(3):
                _rpc(clean_chain, "evm_mine")
                relayer.run_once()
        drain(relayer)
        swapped_once(clean_chain, services, hashes)
        assert len(logged(services)) == 1
        assert_each_nonce_signed_once_without_gap(services)
    finally:
        services.engine.dispose()
