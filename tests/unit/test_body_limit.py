"""The body limit: 64 KiB for every route but the bulk upload, whose file of up to 100,000 rows
may be tens of MB (the 64 KiB ceiling refused any bulk file past ~900 rows), and the bulk of
signed orders, whose 500 orders of under 2 KiB each may be up to 1000 KiB."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from tongdui.api.body_limit import (
    BULK_BODY_BYTES,
    BULK_ORDERS_BYTES,
    MAX_BODY_BYTES,
    BodyLimit,
)


async def _echo_size(scope: Scope, receive: Receive, send: Send) -> None:
    """The app behind the limit: answers 200 with the size of the body it was given."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def post(path: str, body: bytes, declared: int | None = None) -> tuple[int, Any]:
    length = len(body) if declared is None else declared
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": [(b"content-length", str(length).encode())],
    }
    chunks = [body[i : i + 65_536] for i in range(0, len(body), 65_536)] or [b""]
    inbox: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return inbox.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(BodyLimit(_echo_size)(scope, receive, send))
    status, body_out = sent[0]["status"], sent[1]["body"]
    return status, json.loads(body_out)


BULK = "/merchants/0x" + "ab" * 20 + "/bulk-issues"


def test_a_bulk_file_of_several_mb_reaches_the_route() -> None:
    file = b"x" * (6 * 1024 * 1024)  # a 100,000-row CSV of addresses is ~6 MB
    assert post(BULK, file) == (200, len(file))


def test_a_bulk_body_larger_than_any_valid_file_is_refused_saying_to_split_it() -> None:
    status, error = post(BULK, b"", declared=BULK_BODY_BYTES + 1)
    assert status == 413 and error["code"] == "PAYLOAD_TOO_LARGE"
    assert "split it" in error["message"] and error["details"]["limit"] == BULK_BODY_BYTES


def test_every_other_route_keeps_the_64_kib_limit() -> None:
    status, error = post("/orders", b"x" * (MAX_BODY_BYTES + 1))
    assert status == 413 and error["details"]["limit"] == MAX_BODY_BYTES
    status, _ = post(BULK + "/rows", b"x" * (MAX_BODY_BYTES + 1))  # only the upload itself
    assert status == 413


def test_a_bulk_of_500_signed_orders_reaches_the_route() -> None:
    orders = b"x" * (500 * 600)  # a signed order as JSON is ~600 bytes
    assert post("/orders/bulk", orders) == (200, len(orders))
    assert BULK_ORDERS_BYTES == 500 * 2 * 1024


def test_a_bulk_of_orders_past_its_limit_is_refused_saying_to_split_it() -> None:
    status, error = post("/orders/bulk", b"x" * (BULK_ORDERS_BYTES + 1))
    assert status == 413 and error["code"] == "PAYLOAD_TOO_LARGE"
    assert "at most 500" in error["message"] and error["details"]["limit"] == BULK_ORDERS_BYTES
