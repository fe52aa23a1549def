"""The ``Idempotency-Key`` header and the request's fingerprint, as route dependencies for
every merchant write (``merchant/idempotency.py`` does the work)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from ..merchant.idempotency import request_hash

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="the same key and request answer the first answer again; another request "
        "with the key is refused (409 IDEMPOTENCY_KEY_REUSED)",
    ),
]


async def _fingerprint(request: Request) -> str:
    """Method, path and body: a retry must be the very same write. (The query is left out:
    on these routes it only says how long to wait for the receipt.)"""
    return request_hash(f"{request.method} {request.url.path}", await request.body())


Fingerprint = Annotated[str, Depends(_fingerprint)]
