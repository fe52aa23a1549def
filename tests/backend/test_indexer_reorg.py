"""The indexer re-checks block hashes, undoes a reorg down to the common ancestor and converges
to the chain; it stays ``confirmations`` blocks behind the head; a restart continues exactly."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

from sqlalchemy import select

from tests.backend.indexer_support import (
    assert_database_matches_chain,
    assert_derived_equals_a_rebuild,
    chain_log_keys,
    database_url,
    event_keys,
    index_services,
    issue,
    postgres_server_url,
    settle,
    signed_orders,
)
from tests.chains import TestChain as SeededChain
from tongdui.demo import demo_user_addresses
from tongdui.indexer import Indexer
from tongdui.indexer.models import IndexCheckpoint, Swap
from tongdui.services import Services


def rpc(chain: SeededChain, method: str, *params: object) -> object:
    return chain.w3.provider.make_request(method, list(params))["result"]  # type: ignore[arg-type]


def addresses(chain: SeededChain) -> list[str]:
    return list(chain.deployment.addresses.values()) + list(chain.tokens.values())


def assert_index_equals_chain(chain: SeededChain, services: Services) -> None:
    head = chain.w3.eth.block_number
    with services.sessions() as session:
        assert event_keys(session) == chain_log_keys(
            chain.w3, addresses(chain), services.deployment.deployment_block, head
        )
        checkpoint = session.get(IndexCheckpoint, 1)
        assert checkpoint is not None
        assert checkpoint.block_hash == chain.w3.eth.get_block(head)["hash"].to_0x_hex()
        assert_database_matches_chain(session, chain.platform, head)
    assert_derived_equals_a_rebuild(services)


def swap(chain: SeededChain, user: int, pair: tuple[str, str], amounts: list[int]) -> list[str]:
    orders, signatures, hashes = signed_orders(
        chain.w3, chain.platform, chain.user_keys[user], *(chain.tokens[s] for s in pair), amounts
    )
    settle(chain.w3, chain.platform, orders, signatures, batch=1)
    return hashes


def test_a_restart_continues_without_gaps_or_doubles(
    clean_chain: SeededChain, index_services: Services
) -> None:
    Indexer(index_services).run_once()
    swap(clean_chain, 0, ("SKYM", "FRESH"), [100, 200])
    issue(
        clean_chain.w3,
        clean_chain.platform,
        "FRESH",
        clean_chain.tokens["FRESH"],
        demo_user_addresses()[2],
        42,
    )
    restarted = Indexer(index_services)
    assert restarted.run_once() > 0
    assert restarted.run_once() == 0
    assert_index_equals_chain(clean_chain, index_services)


def test_a_reorg_is_undone_to_the_common_ancestor_and_the_index_converges(
    clean_chain: SeededChain, index_services: Services
) -> None:
    indexer = Indexer(index_services)
    indexer.run_once()
    fork_point = rpc(clean_chain, "evm_snapshot")
    abandoned = swap(clean_chain, 0, ("SKYM", "BEAN"), [1_000, 2_000, 3_000])
    indexer.run_once()
    with index_services.sessions() as session:
        assert set(session.scalars(select(Swap.order_hash))) == set(abandoned)

    rpc(clean_chain, "evm_revert", fork_point)
    # the other branch: as many blocks again plus some, with different transactions
    kept = swap(clean_chain, 2, ("FRESH", "SKYM"), [5_000, 6_000, 7_000, 8_000])
    indexer.run_once()
    with index_services.sessions() as session:
        assert set(session.scalars(select(Swap.order_hash))) == set(kept)
    assert_index_equals_chain(clean_chain, index_services)


def test_a_reorg_to_a_shorter_chain_is_undone(
    clean_chain: SeededChain, index_services: Services
) -> None:
    indexer = Indexer(index_services)
    fork_point = rpc(clean_chain, "evm_snapshot")
    swap(clean_chain, 0, ("SKYM", "BEAN"), [10, 20, 30])
    indexer.run_once()
    rpc(clean_chain, "evm_revert", fork_point)
    indexer.run_once()
    with index_services.sessions() as session:
        assert session.scalars(select(Swap)).first() is None
    assert_index_equals_chain(clean_chain, index_services)


def test_confirmation_depth_holds_back_the_newest_blocks(
    clean_chain: SeededChain, index_services: Services
) -> None:
    index_services.settings.confirmations = 3
    indexer = Indexer(index_services)
    indexer.run_once()
    hashes = swap(clean_chain, 0, ("SKYM", "FRESH"), [11, 12])  # two blocks
    indexer.run_once()
    head = clean_chain.w3.eth.block_number
    with index_services.sessions() as session:
        checkpoint = session.get(IndexCheckpoint, 1)
        assert checkpoint is not None and checkpoint.block_number == head - 3
        assert session.scalars(select(Swap)).first() is None
    for _ in range(3):
        rpc(clean_chain, "evm_mine")
    indexer.run_once()
    with index_services.sessions() as session:
        assert set(session.scalars(select(Swap.order_hash))) == set(hashes)
