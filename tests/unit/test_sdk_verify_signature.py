"""The SDK's webhook check (``tongdui_merchant_client_extras.verify_signature``) accepts a
delivery signed as the server signs one and refuses a forged body, a wrong secret, a replayed
old timestamp and a malformed header; on every case it answers as the server's documented
check (``tongdui.webhooks.verify``) does. A delivery made by the real delivery loop is checked
in tests/backend/test_sdk_merchant.py."""

from __future__ import annotations

import json

import pytest
from tongdui_merchant_client_extras import (
    DEFAULT_TOLERANCE,
    SIGNATURE_HEADER,
    WebhookSignatureError,
    verify_signature,
)

from tongdui.webhooks import verify as server
from tongdui.webhooks.delivery import body_of
from tongdui.webhooks.models import WebhookEvent

SECRET = "whsec_" + "k" * 43
OLD_SECRET = "whsec_" + "o" * 43
NOW = 1_800_000_000


def delivery(at: int = NOW, secrets_: tuple[str, ...] = (SECRET,)) -> tuple[str, bytes]:
    """The header and body the delivery loop sends for one ``points.issued`` event."""
    event = WebhookEvent(
        event_id="evt_" + "1" * 40,
        kind="points.issued",
        merchant_token="0x" + "a1" * 20,
        block_number=7,
        log_index=0,
        block_hash="0x" + "b2" * 32,
        tx_hash="0x" + "c3" * 32,
        data={"to": "0x" + "d4" * 20, "amount": "100"},
        created_at=float(at),
        reverses=None,
    )
    body = body_of(event)
    return server.signature_header(list(secrets_), at, body), body


def test_a_delivery_signed_as_the_server_signs_is_accepted_with_its_timestamp() -> None:
    header, body = delivery()
    assert verify_signature(SECRET, header, body, now=NOW + 5) == NOW
    assert json.loads(body)["type"] == "points.issued"
    assert SIGNATURE_HEADER == server.HEADER
    assert DEFAULT_TOLERANCE == server.DEFAULT_TOLERANCE


def test_a_forged_body_is_refused() -> None:
    header, body = delivery()
    forged = body.replace(b'"100"', b'"900"')
    assert forged != body and json.loads(forged)["data"]["amount"] == "900"
    with pytest.raises(WebhookSignatureError, match="no v1 signature matches"):
        verify_signature(SECRET, header, forged, now=NOW)


def test_a_wrong_secret_is_refused() -> None:
    header, body = delivery()
    with pytest.raises(WebhookSignatureError, match="no v1 signature matches"):
        verify_signature("whsec_" + "x" * 43, header, body, now=NOW)


def test_a_replayed_delivery_with_an_old_timestamp_is_refused() -> None:
    header, body = delivery(at=NOW - DEFAULT_TOLERANCE - 1)
    with pytest.raises(WebhookSignatureError, match="outside the 300 s tolerance"):
        verify_signature(SECRET, header, body, now=NOW)
    assert verify_signature(SECRET, header, body, tolerance=3600, now=NOW) == NOW - 301


def test_a_timestamp_edited_to_look_fresh_breaks_the_signature() -> None:
    header, body = delivery(at=NOW - 3600)
    refreshed = header.replace(f"t={NOW - 3600}", f"t={NOW}")
    with pytest.raises(WebhookSignatureError, match="no v1 signature matches"):
        verify_signature(SECRET, refreshed, body, now=NOW)


def test_during_a_rotation_either_secret_verifies_the_same_delivery() -> None:
    header, body = delivery(secrets_=(SECRET, OLD_SECRET))
    assert verify_signature(SECRET, header, body, now=NOW) == NOW
    assert verify_signature(OLD_SECRET, header, body, now=NOW) == NOW


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", f"t={NOW}", "v1=00", f"t={NOW},v0=00"])
def test_a_header_without_a_timestamp_or_a_v1_signature_is_refused(header: str) -> None:
    with pytest.raises(WebhookSignatureError, match="no t= timestamp or no v1= signature"):
        verify_signature(SECRET, header, b"{}", now=NOW)


def test_a_negative_tolerance_is_a_programming_error() -> None:
    header, body = delivery()
    with pytest.raises(ValueError, match="0 or more"):
        verify_signature(SECRET, header, body, tolerance=-1, now=NOW)


CASES = [
    ("genuine", SECRET, 0, b""),
    ("wrong secret", "whsec_other", 0, b""),
    ("forged body", SECRET, 0, b" "),
    ("old", SECRET, -301, b""),
    ("from the future", SECRET, 301, b""),
    ("at the edge", SECRET, -300, b""),
]


@pytest.mark.parametrize(("case", "secret", "skew", "extra"), CASES, ids=[c[0] for c in CASES])
def test_the_sdk_check_accepts_and_refuses_as_the_servers_documented_check(
    case: str, secret: str, skew: int, extra: bytes
) -> None:
    header, body = delivery(at=NOW + skew)
    try:
        sdk: int | str = verify_signature(secret, header, body + extra, now=NOW)
    except WebhookSignatureError:
        sdk = "refused"
    try:
        documented: int | str = server.verify(header, body + extra, secret, now=NOW)
    except server.SignatureError:
        documented = "refused"
    assert sdk == documented, case
    assert (sdk != "refused") == (case in ("genuine", "at the edge")), case
