"""Request and answer models of the merchant's webhook routes (``routes/webhooks.py``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schemas import Model

EventType = Literal[
    "points.issued",
    "points.redeemed",
    "swap.out",
    "swap.in",
    "order.rejected",
    "risk.intercepted",
]


class EndpointRequest(Model):
    url: str = Field(max_length=2000, description="http(s) URL the deliveries are POSTed to")
    event_types: list[EventType] = Field(min_length=1)


class Endpoint(Model):
    id: int
    url: str
    event_types: list[str]
    created_at: float
    disabled: bool
    previous_secret_valid_until: float | None = Field(
        description="after a rotation, until when deliveries are also signed with the old secret"
    )


class EndpointWithSecret(Model):
    """The only answer that carries the secret: store it now, it is never shown again."""

    endpoint: Endpoint
    secret: str


class Attempt(Model):
    at: float
    status_code: int | None
    error: str | None
    duration_ms: float


class Delivery(Model):
    id: int
    event_id: str
    type: str
    reverses: str | None
    state: Literal["pending", "succeeded", "abandoned"]
    next_attempt_at: float | None
    attempts: list[Attempt]


class ReplayResult(Model):
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: float
