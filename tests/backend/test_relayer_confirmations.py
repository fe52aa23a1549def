"""The relayer calls an order settled only once its block is as deep as the indexer waits.

Why: on a Clique network (1 s blocks from several sealers) the newest blocks can be replaced;
an order marked settled from a receipt in a block that a reorg then removes would name a block
and transaction that are not the chain's (the audit compares them).
"""

from __future__ import annotations

from tests.chains import TestChain
from tongdui.core.config import Settings
from tongdui.relayer.relayer import Relayer
from tongdui.services import build_services

from .relayer_helpers import api, make_relayer, order_body


def _mine(chain: TestChain, blocks: int) -> None:
    for _ in range(blocks):
        chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def _passes(relayer: Relayer, count: int) -> None:
    """``count`` relayer passes back to back; the tests' settings make a batch due at once
    (one order fills it), so what a pass does never depends on how fast the machine is."""
    for _ in range(count):
        relayer.run_once()


def test_an_order_mined_in_a_block_not_yet_deep_enough_is_not_yet_settled(
    clean_chain: TestChain, settings: Settings
) -> None:
    services = build_services(settings.model_copy(update={"confirmations": 2, "batch_max_size": 1}))
    try:
        client = api(services)
        answer = client.post("/orders", json=order_body(clean_chain, services, amount=1_000))
        order_hash = answer.json()["orderHash"]
        relayer = make_relayer(services)
        _passes(relayer, 3)  # batch, send (anvil mines it at once), look at the receipt
        mined = client.get(f"/orders/{order_hash}").json()
        assert mined["state"] == "submitted", mined

        _mine(clean_chain, 1)
        _passes(relayer, 2)
        assert client.get(f"/orders/{order_hash}").json()["state"] == "submitted"

        _mine(clean_chain, 1)
        _passes(relayer, 2)
        final = client.get(f"/orders/{order_hash}").json()
        assert final["state"] == "settled", final
        assert final["amountOut"] == 99
    finally:
        services.engine.dispose()


def test_without_confirmations_an_order_is_settled_from_its_first_receipt(
    clean_chain: TestChain, settings: Settings
) -> None:
    services = build_services(settings.model_copy(update={"batch_max_size": 1}))
    try:
        client = api(services)
        body = order_body(clean_chain, services)
        order_hash = client.post("/orders", json=body).json()["orderHash"]
        _passes(make_relayer(services), 3)
        assert client.get(f"/orders/{order_hash}").json()["state"] == "settled"
    finally:
        services.engine.dispose()
