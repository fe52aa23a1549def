"""The one JSON-RPC client (``chain.rpc``) on a node: errors, batches, failover, round trips."""

from __future__ import annotations

import pytest

from tests.chains import TestChain, free_port
from tongdui.chain.client import connect
from tongdui.chain.rpc import JsonRpc, RpcError
from tongdui.core.errors import ChainUnavailableError
from tongdui.indexer.source import LogSource
from tongdui.relayer.reads import PreparedFunction, read_with_head
from tongdui.relayer.receipts import get_receipt

from ..node_proxy import NodeProxy


def test_a_json_rpc_error_answer_is_an_rpc_error_that_the_api_answers_with_503(
    chain: TestChain,
) -> None:
    with JsonRpc(chain.url) as rpc, pytest.raises(RpcError) as refused:
        rpc.call("eth_noSuchMethod", [])
    assert isinstance(refused.value, ChainUnavailableError)
    assert (refused.value.code, refused.value.status) == ("RPC_ERROR", 503)


def test_a_node_that_does_not_answer_is_chain_unavailable_with_503(chain: TestChain) -> None:
    with (
        JsonRpc(f"http://127.0.0.1:{free_port()}") as rpc,
        pytest.raises(ChainUnavailableError) as down,
    ):
        rpc.block_number()
    assert not isinstance(down.value, RpcError)
    assert (down.value.code, down.value.status) == ("CHAIN_UNAVAILABLE", 503)


def test_batch_gives_results_in_request_order_across_several_batches(chain: TestChain) -> None:
    with JsonRpc(chain.url, batch_size=2) as rpc:
        blocks = rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in range(5)])
    assert [int(block["number"], 16) for block in blocks] == [0, 1, 2, 3, 4]


def test_answers_keep_an_error_answer_in_its_place_for_the_caller(chain: TestChain) -> None:
    with JsonRpc(chain.url) as rpc:
        head, refused = rpc.answers([("eth_blockNumber", []), ("eth_noSuchMethod", [])])
    assert int(head["result"], 16) == chain.w3.eth.block_number
    assert "error" in refused


def test_a_first_node_that_is_down_is_passed_over_for_the_next(chain: TestChain) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with JsonRpc([down, chain.url]) as rpc:
        assert rpc.block_number() == chain.w3.eth.block_number
        assert rpc.url == chain.url and rpc.nodes.generation == 1


def test_the_hot_reads_stay_one_round_trip_each(chain: TestChain) -> None:
    """Intake's reads of an order (head and views), a receipt and a chunk's headers: one HTTP
    request each, whatever the number of calls in them."""
    proxy = NodeProxy(chain.url).start()
    try:
        w3 = connect(proxy.url)
        exchange = chain.platform.exchange
        market = PreparedFunction.of(exchange, "market")
        views = [market(token) for token in chain.tokens.values()]
        before = proxy.requests
        (number, _), values = read_with_head(w3, views)
        assert proxy.requests == before + 1 and len(values) == len(views)
        before = proxy.requests
        assert get_receipt(w3, "0x" + "00" * 32) is None
        assert proxy.requests == before + 1
        before = proxy.requests
        headers = LogSource(w3).headers(list(range(number + 1)))
        assert proxy.requests == before + 1 and len(headers) == number + 1
    finally:
        proxy.kill()
