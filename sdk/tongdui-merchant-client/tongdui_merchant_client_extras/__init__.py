"""Hand-written companions of the generated ``tongdui_merchant_client``.

scripts/generate_sdk.sh replaces the generated package and keeps this one: what the OpenAPI
document cannot describe lives here (a webhook receiver's signature check)."""

from .webhooks import (
    DEFAULT_TOLERANCE,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    WebhookSignatureError,
    verify_signature,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "EVENT_ID_HEADER",
    "SIGNATURE_HEADER",
    "WebhookSignatureError",
    "verify_signature",
]
