"""A ceiling on request bodies: 413 ``PAYLOAD_TOO_LARGE`` beyond ``MAX_BODY_BYTES``.

Why: nothing bounded a body, and orders padded to 5–128 MB with an extra field were parsed,
accepted and settled; each such request held a worker and its memory for seconds. The largest
body any route takes is a signed order, gift or merchant write of well under 2 KiB, so 64 KiB
leaves room for any honest client. The body is read (at most that much) before the route
runs: a declared ``Content-Length`` above the limit is refused before a byte is read, and a
chunked body is refused as soon as it passes the limit.

One route takes more: the bulk issuance upload (``POST /merchants/{token}/bulk-issues``), whose
body is a file of up to 100,000 rows (``bulk.parse.MAX_ROWS``). Its ceiling,
``BULK_BODY_BYTES``, holds the largest valid file: 100,000 JSON rows with a 128-character
member id, a 100-character key and a 19-digit amount are about 31 MB; 100,000 rows of address,
amount and key as CSV about 8 MB. A bigger body cannot be a valid file, so it is refused before
it is read; the row count is checked by the parser (``BULK_FILE_INVALID`` beyond 100,000).

And the bulk of signed orders (``POST /orders/bulk``, issue 19): at most 500 orders
(``MAX_BULK_ORDERS``), each under 2 KiB as on ``POST /orders``, so ``BULK_ORDERS_BYTES`` is
500 × 2 KiB; the order count is checked by the route (``TOO_MANY_ORDERS`` beyond 500).
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.error_codes import ErrorCode
from ..relayer.schemas import MAX_BULK_ORDERS

MAX_BODY_BYTES = 64 * 1024
BULK_BODY_BYTES = 40 * 1024 * 1024
BULK_UPLOAD = re.compile(r"^/merchants/[^/]+/bulk-issues$")
BULK_ORDERS_BYTES = MAX_BULK_ORDERS * 2 * 1024
BULK_ORDERS = "/orders/bulk"


class BodyLimit:
    """ASGI middleware: bodies over ``max_bytes`` answer 413 with the API's error body."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY_BYTES,
        bulk_bytes: int = BULK_BODY_BYTES,
        bulk_orders_bytes: int = BULK_ORDERS_BYTES,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.bulk_bytes = bulk_bytes
        self.bulk_orders_bytes = bulk_orders_bytes

    def _ceiling(self, scope: Scope) -> tuple[int, str]:
        """The route's limit and the sentence that refuses a body over it."""
        post = scope["method"] == "POST"
        if post and BULK_UPLOAD.match(scope["path"]) is not None:
            return self.bulk_bytes, (
                f"The file is larger than {self.bulk_bytes // (1024 * 1024)} MiB, more than any "
                "valid bulk issuance file of at most 100,000 rows: split it into smaller files."
            )
        if post and scope["path"] == BULK_ORDERS:
            return self.bulk_orders_bytes, (
                f"The request body is larger than {self.bulk_orders_bytes // 1024} KiB, more "
                f"than {MAX_BULK_ORDERS} signed orders take (each is under 2 KiB): split them "
                f"into requests of at most {MAX_BULK_ORDERS} and send only the documented fields."
            )
        return self.max_bytes, (
            f"The request body is larger than {self.max_bytes // 1024} KiB, the most this API "
            "takes; a signed order or gift is under 2 KiB. Send only the documented fields."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, refusal = self._ceiling(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, limit, refusal)
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
            if size > limit:
                await self._refuse(send, limit, refusal)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

    @staticmethod
    async def _refuse(send: Send, limit: int, message: str) -> None:
        body = json.dumps(
            {"code": ErrorCode.PAYLOAD_TOO_LARGE, "message": message, "details": {"limit": limit}}
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
