"""Regression (issue 19, reads under load): after the index's checkpoint moved, a read past the
stale window waited for its key's background refresh even while that refresh was still
queued behind the ``REFRESHES_AT_ONCE`` running ones — under a moving chain dozens queue at
each checkpoint, and reads stalled for seconds (p99 18 s at 500 req/s, 100 swaps/s settling).
Now such a read makes its answer itself and the queued refresh stands down."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool

from tongdui.api.read_cache import REFRESHES_AT_ONCE, ReadCache


class GatedApp:
    """Answers ``/balances/<who>`` with the checkpoint it is told; the refreshes started after
    the move (the first ``REFRESHES_AT_ONCE`` calls once ``gate`` is set up) hang until opened."""

    def __init__(self) -> None:
        self.block = 1
        self.calls: list[tuple[str, int]] = []
        self.gate: asyncio.Event | None = None
        self.gated_left = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls.append((scope["path"], self.block))
        block = self.block
        if self.gate is not None and self.gated_left > 0:
            self.gated_left -= 1
            await self.gate.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"{scope['path']}@{block}".encode()})


def _services() -> Any:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE index_checkpoint (id INTEGER, block_number INTEGER, block_hash TEXT)"
            )
        )
        connection.execute(text("INSERT INTO index_checkpoint VALUES (1, 1, '0x01')"))
    return SimpleNamespace(settings=SimpleNamespace(read_cache_seconds=0.25), engine=engine)


async def _get(cache: ReadCache, path: str) -> bytes:
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
    await cache(scope, receive, send)
    return b"".join(body)


def test_a_read_past_the_stale_window_does_not_wait_behind_queued_refreshes() -> None:
    async def story() -> None:
        services, app = _services(), GatedApp()
        cache = ReadCache(app, services)  # type: ignore[arg-type]
        paths = [f"/balances/0x{i:040x}" for i in range(REFRESHES_AT_ONCE + 2)]
        for path in paths:  # kept at checkpoint 1
            assert await _get(cache, path) == f"{path}@1".encode()
        with services.engine.begin() as connection:
            connection.execute(
                text("UPDATE index_checkpoint SET block_number = 2, block_hash = '0x02'")
            )
        app.block, app.gate, app.gated_left = 2, asyncio.Event(), REFRESHES_AT_ONCE
        # last checked a little over half max_age ago: the next read checks and sees the move,
        # and the old checkpoint was current recently enough for its answers to be served
        cache._checked_at = time.monotonic() - cache.max_age * 0.6
        for path in paths:  # within the stale window: the old answers, refreshes scheduled
            assert await _get(cache, path) == f"{path}@1".encode()
        await asyncio.sleep(0)  # the refreshes start: REFRESHES_AT_ONCE hang, the rest queue
        cache._previous_at = float("-inf")  # the stale window has passed
        last = paths[-1]  # its refresh is queued behind the hanging ones
        answered = await asyncio.wait_for(_get(cache, last), timeout=5)
        assert answered == f"{last}@2".encode()
        app.gate.set()
        for _ in range(50):
            await asyncio.sleep(0.01)
        made_at_2 = [path for path, block in app.calls if block == 2]
        assert made_at_2.count(last) == 1  # the queued refresh found it made and stood down
        assert sorted(set(made_at_2)) == sorted(paths)

    asyncio.run(story())
