"""Our side of the provider's API: open a payment (its answer carries the payUrl) and refund
one. Both calls are idempotent at the provider by our order number (``paymentId``), so a
call repeated after a timeout opens or refunds nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = 5.0


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with an error: try again later."""


@dataclass(frozen=True)
class ProviderClient:
    base_url: str

    def create_payment(
        self, payment_id: str, purchase_id: str, amount: int, currency: str, notify_url: str,
        expires_at: int,
    ) -> str:  # fmt: skip
        """Opens the payment at the provider; its payUrl."""
        answer = self._post(
            "/v1/payments",
            {
                "merchantOrderId": payment_id,
                "purchaseId": purchase_id,
                "amount": amount,
                "currency": currency,
                "notifyUrl": notify_url,
                "expiresAt": expires_at,
                "description": "Tongdui voucher",
            },
        )
        return str(answer["payUrl"])

    def refund(self, payment_id: str, amount: int, reason: str) -> str:
        """Refunds a paid payment in full; the refund's state at the provider."""
        answer = self._post(
            "/v1/refunds", {"merchantOrderId": payment_id, "amount": amount, "reason": reason}
        )
        return str(answer["state"])

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = httpx.post(self.base_url + path, json=body, timeout=TIMEOUT)
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{path}: {error}") from error
        if response.status_code >= 300:
            raise ProviderUnavailable(f"{path}: {response.status_code} {response.text[:200]}")
        data: dict[str, Any] = response.json()
        return data
