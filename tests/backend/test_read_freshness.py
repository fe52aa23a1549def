"""Public reads are never older than documented: every answer names its block, the first read
after a quiet spell answers from the new head (or checkpoint), and ``minBlock`` is taken by
``/merchants`` and ``/quote`` as by the index reads."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.chains import TestChain
from tongdui.services import Services

from .api_support import LiveApi, live_api
from .test_read_cache import move_checkpoint, served_index


def mine(chain: TestChain, blocks: int = 1) -> int:
    for _ in range(blocks):
        chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    return int(chain.w3.eth.block_number)


@pytest.fixture
def api(services: Services) -> Iterator[LiveApi]:
    assert services.settings.read_cache_seconds > 0
    with live_api(services) as live:
        yield live


def quote_block(api: LiveApi, chain: TestChain, **params: int) -> int:
    answer = api.client.get(
        "/quote",
        params={"from": chain.tokens["SKYM"], "to": chain.tokens["BEAN"], "amount": 1000, **params},
    )
    assert answer.status_code == 200, answer.text
    block: int = answer.json()["blockNumber"]
    return block


def merchants_block(api: LiveApi, **params: int) -> int:
    answer = api.client.get("/merchants", params=params)
    assert answer.status_code == 200, answer.text
    block: int = answer.json()["blockNumber"]
    return block


def test_first_read_after_quiet_spell_is_not_stale(
    api: LiveApi, clean_chain: TestChain, services: Services
) -> None:
    max_age = services.settings.read_cache_seconds
    before = quote_block(api, clean_chain)
    assert merchants_block(api) == before
    head = mine(clean_chain, 5)
    time.sleep(max_age * 2)  # nobody reads: a quiet spell
    assert quote_block(api, clean_chain) == head  # was: `before`, however long ago
    assert merchants_block(api) == head


def test_first_index_read_after_quiet_spell_is_not_stale(
    services: Services, clean_chain: TestChain
) -> None:
    max_age = services.settings.read_cache_seconds
    with served_index(services) as (api, merchants):
        block = move_checkpoint(services, 3)
        time.sleep(max_age * 2)
        answer = api.client.get("/stats").json()
        assert (answer["merchants"], answer["asOfBlock"]) == (merchants - 1, block)


def test_merchants_and_quote_take_min_block(api: LiveApi, clean_chain: TestChain) -> None:
    before = quote_block(api, clean_chain)
    assert merchants_block(api) == before
    head = mine(clean_chain)
    # within READ_CACHE_SECONDS the kept head would do; minBlock asks for the write's block
    assert quote_block(api, clean_chain, minBlock=head) == head
    assert merchants_block(api, minBlock=head) == head
    # a block the node has not reached: the head's answer, which says so
    assert merchants_block(api, minBlock=head + 50) == head


def test_min_block_that_is_not_a_block_number_is_refused_by_chain_reads(
    api: LiveApi, clean_chain: TestChain
) -> None:
    for value in ("abc", "-1", "１２"):
        answer = api.client.get("/merchants", params={"minBlock": value})
        assert answer.status_code == 422 and answer.json()["code"] == "INVALID_REQUEST"
