"""Where the payment provider is, where it calls us back, and how fresh a notice must be.

Read from the environment (as a real deployment configures its acquirer), so the API, the
relayer's sweeper and ``tongdui up --demo`` agree without a new field in ``Settings``:
``TONGDUI_PAYMENT_PROVIDER_URL`` (the provider's API base; unset: payment orders are made
without a payUrl until it is set), ``TONGDUI_PAYMENT_NOTIFY_URL`` (our ``/payments/notify`` as
the provider reaches it; default from the API host and port), and
``TONGDUI_PAYMENT_NOTICE_TOLERANCE`` (seconds a notice's ``sentAt`` may be off, default 300).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..core.config import Settings

PROVIDER_URL = "TONGDUI_PAYMENT_PROVIDER_URL"
NOTIFY_URL = "TONGDUI_PAYMENT_NOTIFY_URL"
TOLERANCE = "TONGDUI_PAYMENT_NOTICE_TOLERANCE"


@dataclass(frozen=True)
class PaymentSettings:
    provider_url: str | None
    notify_url: str
    notice_tolerance: float = 300.0
    sweep_grace: int = 1  # seconds past the chain's deadline before refundExpired is queued

    @classmethod
    def from_env(cls, settings: Settings) -> PaymentSettings:
        host = settings.api_host if settings.api_host not in ("0.0.0.0", "::") else "127.0.0.1"
        default_notify = f"http://{host}:{settings.api_port}/payments/notify"
        return cls(
            provider_url=(os.environ.get(PROVIDER_URL) or "").rstrip("/") or None,
            notify_url=os.environ.get(NOTIFY_URL) or default_notify,
            notice_tolerance=float(os.environ.get(TOLERANCE) or 300.0),
        )
