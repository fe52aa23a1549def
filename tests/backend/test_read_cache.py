"""Index reads are answered from memory until the index's checkpoint moves; then the previous
checkpoint's answer is served once more while the new one is made (never across a reorg, never
older than a client's ``minBlock``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from tests.chains import TestChain
from tongdui.indexer import Indexer
from tongdui.services import Services

from .api_support import LiveApi, live_api


def wait_until_stats_show(api: LiveApi, merchants: int, why: str) -> None:
    """Polls /stats (for up to 5 s) until it counts ``merchants``; fails saying ``why``."""
    deadline = time.monotonic() + 5
    while api.client.get("/stats").json()["merchants"] != merchants:
        assert time.monotonic() < deadline, why
        time.sleep(0.05)


@contextmanager
def served_index(services: Services) -> Iterator[tuple[LiveApi, int]]:
    """The API on a fresh index, after one /stats read; yields it and the merchants counted,
    with a merchant then deleted behind the index's back (only a fresh read sees it gone)."""
    Indexer(services, progress=False).run_once()
    with live_api(services) as api:
        merchants = api.client.get("/stats").json()["merchants"]
        forget_a_merchant(services)
        yield api, merchants


def test_an_index_read_is_kept_until_the_checkpoint_moves(
    services: Services, clean_chain: TestChain
) -> None:
    Indexer(services, progress=False).run_once()
    max_age = services.settings.read_cache_seconds
    assert max_age > 0
    with live_api(services) as api:
        first = api.client.get("/stats")
        assert first.status_code == 200
        merchants = first.json()["merchants"]
        # A change behind the index's back (no new checkpoint) is not seen: the answer is kept.
        forget_a_merchant(services)
        time.sleep(max_age * 1.5)
        assert api.client.get("/stats").content == first.content
        # The checkpoint moves: within max_age the answers are made afresh (the first caller
        # may still get the kept one while that happens: the next test).
        move_checkpoint(services, 1)
        time.sleep(max_age * 1.5)
        wait_until_stats_show(api, merchants - 1, "the moved checkpoint's answer never came")


def forget_a_merchant(services: Services) -> None:
    """Deletes a merchant row behind the index's back: only a fresh read sees it gone."""
    with services.engine.begin() as connection:
        connection.execute(text("DELETE FROM merchants WHERE id = 1"))


def move_checkpoint(services: Services, blocks: int) -> int:
    """Moves the index's checkpoint ``blocks`` ahead (hash unchanged); returns its new block."""
    with services.engine.begin() as connection:
        connection.execute(
            text("UPDATE index_checkpoint SET block_number = block_number + :n WHERE id = 1"),
            {"n": blocks},
        )
        block: int = connection.execute(
            text("SELECT block_number FROM index_checkpoint WHERE id = 1")
        ).scalar_one()
    return block


def test_after_a_forward_move_the_previous_answer_is_served_while_the_new_one_is_made(
    services: Services, clean_chain: TestChain
) -> None:
    max_age = services.settings.read_cache_seconds
    with served_index(services) as (api, merchants):
        first = api.client.get("/stats")  # still the kept answer: the checkpoint has not moved
        move_checkpoint(services, 1)
        time.sleep(max_age * 0.6)  # past the checkpoint's re-check (max_age / 2), within max_age
        # No reader waits for the database: the first one after the move gets the kept answer
        # (its asOfBlock says how old; it was current less than max_age ago) and the new one is
        # made in the background. After a longer quiet spell: test_read_freshness.
        assert api.client.get("/stats").content == first.content
        wait_until_stats_show(api, merchants - 1, "the background refresh never landed")


def test_min_block_refuses_a_kept_answer_older_than_it(
    services: Services, clean_chain: TestChain
) -> None:
    """A wallet whose swap settled in block B reads with minBlock=B and sees the new index."""
    max_age = services.settings.read_cache_seconds
    with served_index(services) as (api, merchants):
        block = move_checkpoint(services, 1)
        time.sleep(max_age * 1.5)
        answer = api.client.get("/stats", params={"minBlock": block}).json()
        assert (answer["merchants"], answer["asOfBlock"]) == (merchants - 1, block)
        # and the answer made for it is kept under the plain key too
        assert api.client.get("/stats").json()["merchants"] == merchants - 1


def test_min_block_that_is_not_a_block_number_is_refused(
    services: Services, clean_chain: TestChain
) -> None:
    Indexer(services, progress=False).run_once()
    user = clean_chain.platform.w3.eth.accounts[0]
    with live_api(services) as api:
        for bad in ("abc", "-1", "1.5", str(2**64)):
            answer = api.client.get(f"/balances/{user}", params={"minBlock": bad})
            assert answer.status_code == 422, (bad, answer.text)


def test_a_reorg_to_the_same_height_is_a_move_too(
    services: Services, clean_chain: TestChain
) -> None:
    """The kept answers are tied to the checkpoint's hash, not only its number."""
    max_age = services.settings.read_cache_seconds
    with served_index(services) as (api, merchants):
        with services.engine.begin() as connection:
            connection.execute(
                text("UPDATE index_checkpoint SET block_hash = :h WHERE id = 1"),
                {"h": "0x" + "ab" * 32},
            )
        time.sleep(max_age * 1.5)
        # not even once: the kept answer describes a block that is no longer on the chain
        assert api.client.get("/stats").json()["merchants"] == merchants - 1


def test_live_reads_and_other_routes_are_never_kept(
    services: Services, clean_chain: TestChain
) -> None:
    Indexer(services, progress=False).run_once()
    user = clean_chain.platform.w3.eth.accounts[0]
    with live_api(services) as api:
        before = api.client.get(f"/balances/{user}", params={"source": "chain"}).json()
        clean_chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        after = api.client.get(f"/balances/{user}", params={"source": "chain"}).json()
        assert after["asOfBlock"] == before["asOfBlock"] + 1
