"""Request and answer bodies of the CRM member and bulk issuance routes (``routes/members.py``).

Member ids travel in bodies only, never in paths or query strings, so they stay out of access
logs and proxies' URLs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

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


class BulkFileRow(BaseModel):
    """One row of a JSON bulk file. The file's fields are snake_case, as its CSV header is:
    the same names in both formats. Give ``member_id`` or ``address``, not both."""

    member_id: str | None = Field(None, max_length=128, description="a linked CRM member id")
    address: Address | None = None
    amount: int = Field(gt=0, description="whole points")
    idempotency_key: str = Field(
        min_length=1, max_length=100, description="a row with a key used before is skipped"
    )


def bulk_file_body() -> dict[str, Any]:
    """The upload's ``requestBody`` for OpenAPI: the route reads the raw file itself (its
    checks list every row's errors at once, which a pydantic body would not), so the document
    says what the file is for a generated client to send it."""
    return {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string", "format": "binary"},
                "example": "member_id,amount,idempotency_key\nVIP-0001,100,2026-11-a\n",
            },
            "application/json": {
                "schema": {"type": "array", "items": BulkFileRow.model_json_schema()}
            },
        },
    }


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
