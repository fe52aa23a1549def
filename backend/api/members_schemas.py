"""Request and answer bodies of the CRM member and bulk issuance routes (``routes/members.py``).

Member ids travel in bodies only, never in paths or query strings, so they stay out of access
logs and proxies' URLs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .merchant_schemas import PointsTx
from .schemas import Address, Model, TxHash

MemberId = Field(min_length=1, max_length=128, description="the merchant's CRM member id")


class MemberLinkRequest(Model):
    member_id: str = MemberId
    address: Address


class MemberRef(Model):
    member_id: str = MemberId


class MemberLinked(Model):
    address: Address
    linked: bool = True


class MemberErased(Model):
    links_erased: int = Field(description="1 if a link was erased, 0 if there was none")


class MemberIssueRequest(Model):
    member_id: str = MemberId
    amount: int = Field(gt=0, lt=2**128, strict=True, description="whole points")


class MemberRedeemRequest(Model):
    member_id: str = MemberId
    amount: int = Field(gt=0, lt=2**128, strict=True)
    deadline: int = Field(gt=0, strict=True, description="unix seconds, as signed")
    signature: str = Field(pattern=r"^0x[0-9a-fA-F]{130}$")


class MemberPointsTx(PointsTx):
    """The holder is the member's linked wallet."""


class BulkProgress(Model):
    job_id: int
    state: Literal["running", "done"]
    total: int = Field(description="rows to issue (keys used before are not counted)")
    skipped: int = Field(description="rows whose idempotency key was already used")
    pending: int
    sent: int
    issued: int
    failed: int


class BulkRowResult(Model):
    line: int
    idempotency_key: str
    address: Address
    amount: int
    state: Literal["pending", "sent", "issued", "failed"]
    tx_hash: TxHash | None = None
    block_number: int | None = None
    error_code: str | None = None
    error: str | None = None


class BulkRowPage(Model):
    rows: list[BulkRowResult]
    offset: int
    total: int
