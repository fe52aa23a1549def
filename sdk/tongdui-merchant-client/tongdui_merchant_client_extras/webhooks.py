"""Is a webhook delivery from Tongdui, unchanged and fresh? The receiver's check.

Tongdui signs each delivery as Stripe does (README, "Webhooks"): the header
``Tongdui-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`` where each ``v1`` is
``hex(HMAC-SHA256(secret, f"{t}.{raw body}"))``, one per valid secret (two during a secret
rotation's grace period). A receiver accepts when one ``v1`` matches its secret, compared in
constant time, and ``t`` is within ``tolerance`` seconds of its clock: a forged body or a wrong
secret fails the HMAC, a captured delivery replayed later fails the timestamp. Deliveries are
at least once, so a receiver also drops an event id (``Tongdui-Event-Id``) it has processed.

Standard library only, as the server's own ``tongdui/webhooks/verify.py``;
tests/unit/test_sdk_verify_signature.py holds the two to the same answers.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Tongdui-Signature"
EVENT_ID_HEADER = "Tongdui-Event-Id"
DEFAULT_TOLERANCE = 300  # seconds, the server's default


class WebhookSignatureError(ValueError):
    """Not a genuine, fresh Tongdui delivery: answer it 400 and do not act on it."""


def _signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> int:
    """The signed timestamp of a genuine delivery, else ``WebhookSignatureError`` saying why.

    ``body`` is the raw request body as received (parse the JSON only after this check: a
    re-serialised body is not what was signed); ``header`` the ``Tongdui-Signature`` value;
    ``now`` the receiver's clock in unix seconds (default: ``time.time()``)."""
    if tolerance < 0:
        raise ValueError("tolerance is a number of seconds, 0 or more")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise WebhookSignatureError("no t= timestamp or no v1= signature in the header")
    expected = _signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise WebhookSignatureError("no v1 signature matches this body and secret")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookSignatureError(
            f"timestamp {timestamp} is outside the {tolerance} s tolerance: a replayed delivery"
            " or a clock that is off"
        )
    return timestamp
