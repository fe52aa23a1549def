"""Request and answer models of the merchant's risk routes (``routes/risk.py``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schemas import Address, Model

RuleKind = Literal["velocity_address", "velocity_member", "amount", "cooling", "blocklist"]


class RuleRequest(Model):
    """A rule for this merchant's requests (orders that spend or receive its points, gifts of
    them). Each kind reads its own fields: velocity ``maxCount`` uses per ``windowSeconds``;
    amount ``maxAmount`` points; cooling ``windowSeconds``; blocklist ``addresses``."""

    kind: RuleKind
    action: Literal["hold", "refuse"]
    max_count: int = Field(default=0, ge=0, le=1_000_000)
    window_seconds: int = Field(default=0, ge=0, le=366 * 86_400)
    max_amount: int = Field(default=0, ge=0, lt=2**63)
    addresses: list[str] = Field(default_factory=list, max_length=10_000)


class RuleOut(Model):
    id: int
    scope: Literal["consortium", "merchant"] = Field(
        description="consortium: a default for every merchant, set by a consortium reviewer "
        "('/consortium/risk/rules') or the operator's CLI"
    )
    kind: str
    action: str
    max_count: int
    window_seconds: int
    max_amount: int
    addresses: list[str]
    created_at: float


class HeldRequest(Model):
    subject: Literal["order", "gift"]
    hash: str = Field(description="the order's or gift's EIP-712 digest")
    owner: Address
    from_token: Address
    to_token: Address
    amount: int
    rule_id: int
    kind: str
    code: str
    message: str
    at: float


class ReviewRequest(Model):
    hash: str = Field(pattern=r"^0x[0-9a-fA-F]{64}$", description="a held request's digest")
    decision: Literal["release", "refuse"]


class ReviewOut(Model):
    subject: Literal["order", "gift"]
    hash: str
    decision: str
    state: str = Field(description="now: received (queued again), or rejected (a gift: failed)")


class InterceptionCount(Model):
    day: str = Field(description="UTC date, YYYY-MM-DD")
    rule_id: int
    kind: str
    code: str
    outcome: Literal["held", "refused", "released", "refused_on_review"]
    count: int
