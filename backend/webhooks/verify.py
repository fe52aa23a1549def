"""The signature of a Tongdui webhook, and the check a receiver runs (copy this file).

Depends on the standard library only, so a merchant can paste it into their own service.

Header: ``Tongdui-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`` where each ``v1`` is
``hex(HMAC-SHA256(secret, f"{t}.{body}"))`` over the raw request body (Stripe's scheme).
During a secret rotation's grace period a delivery carries one ``v1`` per valid secret.
A receiver accepts when one ``v1`` matches its secret (compared in constant time) and ``t`` is
within ``tolerance`` seconds of its clock: a forged body fails the HMAC, and a captured
request replayed later fails the timestamp (and carries an event id already seen — receivers
should also drop an ``id`` they have processed).
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Tongdui-Signature"
DEFAULT_TOLERANCE = 300  # seconds


class SignatureError(Exception):
    """The request is not a genuine, fresh Tongdui webhook: reject it (HTTP 400)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1`` value for one secret."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: bytes) -> str:
    """The header value: the timestamp and one ``v1`` per secret (two during a rotation)."""
    return ",".join([f"t={timestamp}", *(f"v1={sign(s, timestamp, body)}" for s in secrets_)])


def verify(
    header: str,
    body: bytes,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Returns the signed timestamp, or raises ``SignatureError`` saying why not."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("no t= timestamp or no v1= signature in the header")
    expected = sign(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureError("no v1 signature matches this body and secret")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError(f"timestamp {timestamp} is outside the {tolerance} s tolerance")
    return timestamp
