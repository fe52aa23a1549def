"""A ceiling on request bodies: 413 ``PAYLOAD_TOO_LARGE`` beyond ``MAX_BODY_BYTES``.

Why: nothing bounded a body, and orders padded to 5–128 MB with an extra field were parsed,
accepted and settled; each such request held a worker and its memory for seconds. The largest
body any route takes is a signed order, gift or merchant write of well under 2 KiB, so 64 KiB
leaves room for any honest client. The body is read (at most that much) before the route
runs: a declared ``Content-Length`` above the limit is refused before a byte is read, and a
chunked body is refused as soon as it passes the limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.error_codes import ErrorCode

MAX_BODY_BYTES = 64 * 1024


class BodyLimit:
    """ASGI middleware: bodies over ``max_bytes`` answer 413 with the API's error body."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        if scope["method"] in ("GET", "HEAD"):  # no route reads their body: the reads' path
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                await self.app(scope, _replay([message], receive), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "code": ErrorCode.PAYLOAD_TOO_LARGE,
                "message": f"The request body is larger than {self.max_bytes // 1024} KiB, the "
                "most this API takes; a signed order or gift is under 2 KiB. Send only the "
                "documented fields.",
                "details": {"limit": self.max_bytes},
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives ``messages`` first, then whatever the client sends next."""
    queue = list(messages)

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed
