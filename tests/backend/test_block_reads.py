"""Public chain reads are memoised per block: asked again in the same block they cost nothing,
a new block reads afresh, and a failed read is not remembered."""

from __future__ import annotations

import time

import pytest

from tests.chains import TestChain
from tongdui.query.block_reads import BlockReads


def mine(chain: TestChain) -> None:
    chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def test_a_read_is_made_once_per_block_and_again_in_the_next(clean_chain: TestChain) -> None:
    reads = BlockReads(clean_chain.w3, max_age=1.0)
    calls: list[int] = []

    def read(block: int) -> str:
        calls.append(block)
        return f"state at {block}"

    first = reads.get("k", read)
    assert reads.get("k", read) == first and len(calls) == 1
    mine(clean_chain)
    time.sleep(0.6)  # past the head's re-check (max_age / 2), within max_age
    # the previous block's answer comes back at once while the new block's is being read
    assert reads.get("k", read) == first
    deadline = time.monotonic() + 5
    while reads.get("k", read)[0] != first[0] + 1:
        assert time.monotonic() < deadline, "the new block was never read"
        time.sleep(0.01)
    block, value = reads.get("k", read)
    assert value == f"state at {block}" and calls == [first[0], block]


def test_the_head_is_asked_of_the_node_at_most_twice_per_max_age(clean_chain: TestChain) -> None:
    reads = BlockReads(clean_chain.w3, max_age=3600)
    head = reads.head()
    mine(clean_chain)
    assert reads.head() == head  # still within max_age: the same (named) block
    assert BlockReads(clean_chain.w3, max_age=0).head() == head + 1


def test_a_failed_read_is_not_remembered(clean_chain: TestChain) -> None:
    reads = BlockReads(clean_chain.w3, max_age=3600)
    attempts: list[int] = []

    def flaky(block: int) -> int:
        attempts.append(block)
        if len(attempts) == 1:
            raise RuntimeError("node hiccup")
        return block

    with pytest.raises(RuntimeError):
        reads.get("k", flaky)
    assert reads.get("k", flaky)[1] == attempts[0] and len(attempts) == 2


def test_kept_answers_from_memory_only_and_moves_on_in_the_background(
    clean_chain: TestChain,
) -> None:
    """``kept`` is for the event loop: it never waits on the node. Nothing kept yet: None (the
    route then reads on a thread). A stale head and a new block's answer are fetched behind,
    the previous head's answer served meanwhile."""
    reads = BlockReads(clean_chain.w3, max_age=2.0)
    calls: list[int] = []

    def read(block: int) -> str:
        calls.append(block)
        return f"state at {block}"

    assert reads.kept("k", read) is None and calls == []  # not even the head is known yet
    first = reads.get("k", read)
    assert reads.kept("k", read) == first and calls == [first[0]]
    mine(clean_chain)
    time.sleep(1.1)  # past the head's re-check (max_age / 2)
    deadline = time.monotonic() + 0.8  # the previous head is still within max_age
    while (answer := reads.kept("k", read)) == first:
        assert time.monotonic() < deadline, "the new head or its answer never came"
        time.sleep(0.02)
    assert answer == (first[0] + 1, f"state at {first[0] + 1}")


def test_first_read_after_quiet_spell_is_not_stale(clean_chain: TestChain) -> None:
    """A quiet spell longer than max_age, blocks mined meanwhile: the first read answers from
    the new head, never from the block remembered before the spell (it answered /quote from
    block 243 with the head at 751)."""
    reads = BlockReads(clean_chain.w3, max_age=0.2)

    def read(block: int) -> str:
        return f"state at {block}"

    first = reads.get("k", read)
    for _ in range(5):
        mine(clean_chain)
    time.sleep(0.5)
    assert reads.kept("k", read) is None  # nothing servable from memory: the route reads
    assert reads.get("k", read) == (first[0] + 5, f"state at {first[0] + 5}")


def test_min_block_is_never_answered_from_an_older_block(clean_chain: TestChain) -> None:
    reads = BlockReads(clean_chain.w3, max_age=3600)
    first = reads.get("k", lambda block: block)
    mine(clean_chain)  # within max_age: without minBlock the kept head would still do
    assert reads.get("k", lambda block: block) == first
    assert reads.kept("k", lambda block: block, min_block=first[0] + 1) is None
    assert reads.get("k", lambda block: block, min_block=first[0] + 1)[0] == first[0] + 1
    # a block the node has not reached: the head's answer, which names its block
    assert reads.get("k", lambda block: block, min_block=first[0] + 100)[0] == first[0] + 1
