"""A relayer that stops at any point loses no order, executes none twice, leaves no nonce gap.

The stop is simulated by driving one relayer's pieces (``prepare_batch`` writes the signed
transaction ahead; ``broadcast`` sends it) and then starting a fresh ``Relayer`` on the same
database, as a restarted process would.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hexbytes import HexBytes
from web3 import HTTPProvider, Web3

from tests.chains import TestChain, free_port
from tongdui.chain.client import Platform
from tongdui.chain.transactions import Signer
from tongdui.core.config import ANVIL_KEYS
from tongdui.relayer import Relayer
from tongdui.relayer.models import RelayerTransaction
from tongdui.services import Services

from .relayer_helpers import api, drain, make_relayer, order_body


def submit_orders(chain: TestChain, services: Services, count: int = 3) -> list[str]:
    client = api(services)
    return [
        client.post("/orders", json=order_body(chain, services, user=0, amount=100 + i)).json()[
            "orderHash"
        ]
        for i in range(count)
    ]


def swapped_count(services: Services) -> Counter[str]:
    logs = services.platform.exchange.events.Swapped().get_logs(
        from_block=services.deployment.deployment_block
    )
    return Counter("0x" + bytes(log["args"]["orderHash"]).hex() for log in logs)


def transactions(services: Services) -> list[RelayerTransaction]:
    with services.sessions() as session:
        return list(session.query(RelayerTransaction).order_by(RelayerTransaction.id))


def assert_settled_once(services: Services, hashes: list[str]) -> None:
    client = api(services)
    assert [client.get(f"/orders/{h}").json()["state"] for h in hashes] == ["settled"] * 3
    counts = swapped_count(services)
    assert [counts[h] for h in hashes] == [1, 1, 1]


def assert_no_nonce_gap(services: Services) -> None:
    """Every key's transactions in the log are mined at consecutive nonces up to the node's."""
    for sender in {tx.sender for tx in transactions(services)}:
        mined = sorted(
            tx.nonce for tx in transactions(services) if tx.sender == sender and tx.state == "mined"
        )
        node = services.w3.eth.get_transaction_count(sender, "pending")
        assert mined[-1] == node - 1
        assert mined == list(range(mined[0], mined[0] + len(mined)))


def test_a_transaction_written_but_never_broadcast_is_sent_by_the_next_relayer(
    clean_chain: TestChain, services: Services
) -> None:
    hashes = submit_orders(clean_chain, services)
    crashed = make_relayer(services)
    crashed.pool.sync()
    tx_id = crashed.prepare_batch()  # stored, then the process "dies"
    assert tx_id is not None
    logged = transactions(services)[0]
    assert logged.state == "signed"
    assert services.w3.eth.get_transaction_count(logged.sender, "pending") == logged.nonce

    drain(make_relayer(services))
    assert_settled_once(services, hashes)
    assert [(tx.tx_hash, tx.state) for tx in transactions(services)] == [(logged.tx_hash, "mined")]
    assert_no_nonce_gap(services)


def test_a_transaction_broadcast_before_the_stop_is_reconciled_from_its_receipt(
    clean_chain: TestChain, services: Services
) -> None:
    hashes = submit_orders(clean_chain, services)
    crashed = make_relayer(services)
    crashed.pool.sync()
    tx_id = crashed.prepare_batch()
    assert tx_id is not None and crashed.broadcast(tx_id)  # sent, receipt never read

    restarted = make_relayer(services)
    drain(restarted)
    assert_settled_once(services, hashes)
    assert len(transactions(services)) == 1
    sender = transactions(services)[0].sender
    key = next(k for k in restarted.pool.keys if k.address == sender)
    assert key.next_nonce == services.w3.eth.get_transaction_count(sender, "pending")
    assert_no_nonce_gap(services)


def test_a_logged_transaction_whose_nonce_another_took_has_its_orders_resubmitted(
    clean_chain: TestChain, services: Services
) -> None:
    hashes = submit_orders(clean_chain, services)
    crashed = make_relayer(services)
    crashed.pool.sync()
    assert crashed.prepare_batch() is not None
    lost = transactions(services)[0]
    # Someone else uses the same key and nonce before the relayer comes back.
    other = Signer(
        services.w3,
        next(k for k in ANVIL_KEYS[8:] if Signer(services.w3, k).address == lost.sender),
    )
    raw, tx_hash, nonce = other.sign({"to": other.address, "value": 0, "gas": 21_000})
    assert nonce == lost.nonce
    services.w3.eth.send_raw_transaction(raw)
    services.w3.eth.wait_for_transaction_receipt(HexBytes(tx_hash))

    drain(make_relayer(services))
    assert_settled_once(services, hashes)
    states = [tx.state for tx in transactions(services)]
    assert states == ["dropped", "mined"]


def test_a_restart_between_batches_keeps_every_order(
    clean_chain: TestChain, services: Services
) -> None:
    first = make_relayer(services)
    hashes = submit_orders(clean_chain, services)
    drain(first)
    more = [
        api(services)
        .post(
            "/orders",
            json=order_body(
                clean_chain, services, user=2, src="FRESH", dst="SKYM", amount=1_000 + i
            ),
        )
        .json()["orderHash"]
        for i in range(3)
    ]
    drain(make_relayer(services))
    assert_settled_once(services, hashes)
    assert_settled_once(services, more)
    assert_no_nonce_gap(services)


def test_orders_are_accepted_while_the_node_is_down_and_settle_when_it_is_back(
    clean_chain: TestChain, services: Services
) -> None:
    import threading

    dead = Web3(HTTPProvider(f"http://127.0.0.1:{free_port()}"))
    offline = Services(
        services.settings,
        dead,
        Platform(dead, services.deployment),
        services.engine,
        services.sessions,
    )
    answer = api(offline).post("/orders", json=order_body(clean_chain, services))
    assert answer.status_code == 202

    down = Relayer(offline, keys=[ANVIL_KEYS[8]])
    stop = threading.Event()
    thread = threading.Thread(target=down.run, args=(stop,), daemon=True)
    thread.start()
    stop.wait(1.0)  # a few failing passes: it backs off and keeps running
    assert thread.is_alive()
    stop.set()
    thread.join(10)

    drain(make_relayer(services))
    final: dict[str, Any] = api(services).get(f"/orders/{answer.json()['orderHash']}").json()
    assert final["state"] == "settled"
