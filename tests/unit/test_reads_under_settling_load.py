"""Regression (issue 19, reads under settling load): reads at 500 req/s with 100 swaps/s
settling had p99 18-20 s. After every new head (or index checkpoint) the previous answer
bridged the new one's refresh only until ``max_age`` after the previous head was last seen —
on a busy node shorter than one refresh — and then every caller went to the node (or the
database) itself, several callers of one key at once, each quote seven ``eth_call``s.

Now the bridge lasts while the refresh is under way (up to ``BRIDGE_SECONDS`` after the move
was noticed) and a key's read goes to the node once at a time. These tests count the reads
made; the clock is the test's own, so no test waits for a window to pass.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from sqlalchemy import text

from tests.unit.test_read_cache_queue import GatedApp, _get, _services
from tongdui.api.read_cache import REFRESHES_AT_ONCE, ReadCache
from tongdui.query.block_reads import BRIDGE_SECONDS, BlockReads

MAX_AGE = 0.25
WAIT = 10  # seconds a step may take before the test gives up (a hang, not a timing)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Node:
    """A node whose head the test moves, counting the head requests."""

    def __init__(self) -> None:
        self.head = 1
        self.asked = 0

    @property
    def eth(self) -> Any:
        return self

    @property
    def block_number(self) -> int:
        self.asked += 1
        return self.head


class SlowRefresh:
    """``read(block)``: counts every read; the background refresh (a ``block-reads`` thread) of
    ``slow_block`` hangs until ``gate`` opens, as a refresh on a busy node takes long. A caller
    that reads for itself is answered at once, so the old behaviour shows in the count."""

    def __init__(self, slow_block: int) -> None:
        self.slow_block = slow_block
        self.gate = threading.Event()
        self.started = threading.Event()
        self.calls: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def __call__(self, block: int) -> str:
        name = threading.current_thread().name
        with self._lock:
            self.calls.append((block, name))
        if block == self.slow_block and name.startswith("block-reads"):
            self.started.set()
            assert self.gate.wait(WAIT)
        return f"state at {block}"


def _moved_and_refreshing(reads: BlockReads, node: Node, clock: Clock, read: SlowRefresh) -> None:
    """Block 1's answer kept; the head moves to 2 while reads are watching; the first read
    after it gets block 1's answer and starts block 2's refresh, which hangs."""
    assert reads.get("quote", read) == (1, "state at 1")
    node.head = 2
    clock.now += MAX_AGE * 0.6  # past the head's re-check, within max_age
    assert reads.get("quote", read) == (1, "state at 1")
    assert read.started.wait(WAIT)


def test_reads_under_settling_load_do_not_go_to_the_node_past_max_age_while_a_refresh_runs() -> (
    None
):
    node, clock, read = Node(), Clock(), SlowRefresh(slow_block=2)
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    _moved_and_refreshing(reads, node, clock, read)
    # Well past max_age since block 1 was last the head, the refresh still running: each
    # read gets block 1's answer (one block behind, and it says so), none reads for itself.
    for step in range(20):
        clock.now += MAX_AGE * 0.3
        assert reads.get("quote", read) == (1, "state at 1"), f"read {step}"
        assert reads.kept("quote", read) == (1, "state at 1")
    assert read.calls == [(1, "MainThread"), (2, read.calls[1][1])]
    read.gate.set()
    for _ in range(WAIT * 100):
        if reads.kept("quote", read) == (2, "state at 2"):
            break
        threading.Event().wait(0.01)
    assert reads.get("quote", read) == (2, "state at 2")
    assert len(read.calls) == 2


def test_the_bridge_closes_bridge_seconds_after_the_move_was_noticed() -> None:
    """A refresh that takes too long does not stretch the bridge: after BRIDGE_SECONDS a
    caller no longer gets block 1's answer; it waits for the refresh under way (it does not
    repeat it) and gets block 2's."""
    node, clock, read = Node(), Clock(), SlowRefresh(slow_block=2)
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    _moved_and_refreshing(reads, node, clock, read)
    clock.now += BRIDGE_SECONDS
    assert reads.kept("quote", read) is None
    answers: list[tuple[int, str]] = []
    caller = threading.Thread(target=lambda: answers.append(reads.get("quote", read)))
    caller.start()
    read.gate.set()
    caller.join(WAIT)
    assert answers == [(2, "state at 2")]
    assert len(read.calls) == 2  # block 1's read and the one refresh


def test_a_quiet_spell_is_still_not_bridged() -> None:
    """Nobody read for longer than max_age while the head moved: the first read answers from
    the new head, never the block known before the spell, however short BRIDGE_SECONDS is."""
    node, clock, read = Node(), Clock(), SlowRefresh(slow_block=-1)
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    assert reads.get("quote", read) == (1, "state at 1")
    node.head = 6
    clock.now += MAX_AGE * 2
    assert reads.kept("quote", read) is None
    assert reads.get("quote", read) == (6, "state at 6")


def test_a_head_that_goes_back_is_not_bridged() -> None:
    """A reorg, or a failover to a node one block behind: the higher block's answer is of
    blocks this head does not have, and is never served for it."""
    node, clock, read = Node(), Clock(), SlowRefresh(slow_block=-1)
    node.head = 5
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    assert reads.get("quote", read) == (5, "state at 5")
    node.head = 4
    clock.now += MAX_AGE * 0.6
    assert reads.get("quote", read) == (4, "state at 4")


def test_callers_of_one_key_read_it_from_the_node_once() -> None:
    """Eight threads ask for a key nobody holds: the first reads, the others wait for its
    answer instead of repeating it (each quote is seven eth_calls)."""
    node, clock = Node(), Clock()
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    gate, started = threading.Event(), threading.Event()
    calls: list[int] = []

    def read(block: int) -> str:
        calls.append(block)
        started.set()
        assert gate.wait(WAIT)
        return f"state at {block}"

    answers: list[tuple[int, str]] = []
    first = threading.Thread(target=lambda: answers.append(reads.get("quote", read)))
    first.start()
    assert started.wait(WAIT)
    others = [
        threading.Thread(target=lambda: answers.append(reads.get("quote", read))) for _ in range(7)
    ]
    for thread in others:
        thread.start()
    # let them reach the wait; were they to read for themselves they would not block here
    threading.Event().wait(0.2)
    gate.set()
    for thread in [first, *others]:
        thread.join(WAIT)
    assert answers == [(1, "state at 1")] * 8
    assert calls == [1]


def test_index_reads_under_settling_load_are_bridged_past_max_age_while_refreshes_run() -> None:
    """The read cache's side: after a checkpoint move with the refreshes hanging, callers well
    past max_age after the old checkpoint was last seen still get its answers; the route runs
    only for the REFRESHES_AT_ONCE background refreshes, not once per caller. After
    BRIDGE_SECONDS a key nobody refreshed is made by its caller."""

    async def story() -> None:
        services, app = _services(), GatedApp()
        cache = ReadCache(app, services)  # type: ignore[arg-type]
        clock = Clock()
        cache.clock = clock
        paths = [f"/balances/0x{i:040x}" for i in range(REFRESHES_AT_ONCE)]
        unread = "/balances/0x" + "f" * 40  # kept at 1, not read again until the end
        for path in [*paths, unread]:
            assert await _get(cache, path) == f"{path}@1".encode()
        with services.engine.begin() as connection:
            connection.execute(
                text("UPDATE index_checkpoint SET block_number = 2, block_hash = '0x02'")
            )
        app.block, app.gate, app.gated_left = 2, asyncio.Event(), REFRESHES_AT_ONCE
        clock.now += MAX_AGE * 0.6  # the next read sees the move; the old one was watched
        for path in paths:
            assert await _get(cache, path) == f"{path}@1".encode()
        await asyncio.sleep(0)  # the refreshes start and hang
        for _ in range(10):
            clock.now += MAX_AGE * 0.3
            for path in paths:  # (a caller that waited for its refresh would hang here)
                answer = await asyncio.wait_for(_get(cache, path), WAIT)
                assert answer == f"{path}@1".encode()
        assert len([call for call in app.calls if call[1] == 2]) == REFRESHES_AT_ONCE
        clock.now += BRIDGE_SECONDS
        assert await _get(cache, unread) == f"{unread}@2".encode()
        app.gate.set()

    asyncio.run(story())


def test_the_head_is_asked_while_key_refreshes_fill_the_background_threads() -> None:
    """A block's worth of key refreshes, each slow, fill the background threads: the head is
    still asked on time (it queued behind them, aged past max_age, and every read waited)."""
    node, clock = Node(), Clock()
    reads = BlockReads(node, MAX_AGE, clock=clock)  # type: ignore[arg-type]
    gate = threading.Event()

    def read(block: int) -> str:
        if block == 2:
            assert gate.wait(WAIT)
        return f"state at {block}"

    keys = [("quote", amount) for amount in range(6)]
    for key in keys:
        assert reads.get(key, read) == (1, "state at 1")
    node.head = 2
    clock.now += MAX_AGE * 0.6
    for key in keys:  # block 1's answers; six refreshes at block 2 queue and hang
        assert reads.get(key, read) == (1, "state at 1")
    asked = node.asked
    clock.now += MAX_AGE * 0.6  # the head is due again
    assert reads.kept(keys[0], read) == (1, "state at 1")
    for _ in range(WAIT * 100):
        if node.asked > asked:
            break
        threading.Event().wait(0.01)
    assert node.asked > asked
    gate.set()
